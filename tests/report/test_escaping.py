"""Every check report shows raw values as data: a failure whose path or message holds a
newline, ESC, NUL, `%` or rich markup is one line of text, one workflow command, well-formed
XML, and never runs as a command, a control sequence or markup."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from xml.etree import ElementTree

from rich.console import Console

from checks.catalog import ALL_CHECKS
from checks.framework.check import Failure
from checks.outcome import CheckRun
from report.html_page import to_html
from report.machine import to_github, to_json, to_junit
from report.text import print_text

HOSTILE = "\n::error::x \x1b[31m \x00 100% [bold] [/x]"
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")  # anything but tab and newline
ERROR = next(c for c in ALL_CHECKS if c.id == "ranks.no-gaps")
WARN = next(c for c in ALL_CHECKS if c.id == "identity.indirect-name")
FAILURES = (
    Failure(ERROR.id, "error", f"raw/events/e{HOSTILE}/page.txt", 3, f"m{HOSTILE}", "1", "2"),
    Failure(WARN.id, "warn", "raw/events/e/page.txt", 4, "name", f"x{HOSTILE}", "y"),
    Failure(WARN.id, "warn", "raw/events/e/page.txt", 5, "name", "x", "y", waiver=HOSTILE),
)
RUN = CheckRun(ALL_CHECKS, FAILURES)


def test_github_output_is_one_command_per_failure() -> None:
    out = to_github(RUN)
    commands = out.split("\n")
    assert commands.pop() == ""
    assert [c.split(" ")[0] for c in commands] == ["::error", "::warning", "::notice"]
    assert not RAW_CONTROL.search(out) and "\r" not in out
    properties = commands[0].split("::")[1]
    assert properties == (
        "error file=raw/events/e%0A%3A%3Aerror%3A%3Ax \\x1b[31m \\x00 100%25 [bold] [/x]"
        "/page.txt,line=3,title=ranks.no-gaps"
    )
    assert "%0A::error::x \\x1b[31m \\x00 100%25 [bold] [/x]" in commands[0]


def test_text_report_shows_controls_escaped_and_markup_literally() -> None:
    out = io.StringIO()
    print_text(RUN, Console(file=out, width=300))
    text = out.getvalue()
    assert not RAW_CONTROL.search(text)
    failure_lines = [line for line in text.split("\n") if line.startswith("raw/events/")]
    assert len(failure_lines) == len(FAILURES)
    assert failure_lines[0] == (
        "raw/events/e\\x0a::error::x \\x1b[31m \\x00 100% [bold] [/x]/page.txt:3: error: "
        "ranks.no-gaps: m\\x0a::error::x \\x1b[31m \\x00 100% [bold] [/x] (expected 1, found 2)"
    )
    assert not any(line.startswith("::") for line in text.split("\n"))


def test_junit_is_well_formed_and_one_line_per_failure() -> None:
    xml = to_junit(RUN)
    root = ElementTree.fromstring(xml)
    assert not any(line.lstrip().startswith("::") for line in xml.split("\n"))
    cases = {case.get("name"): case for case in root.iter("testcase")}
    failure = cases[ERROR.id].find("failure")
    assert failure is not None and failure.text == (
        "raw/events/e\\x0a::error::x \ufffd[31m \ufffd 100% [bold] [/x]/page.txt:3: error: "
        "ranks.no-gaps: m\\x0a::error::x \ufffd[31m \ufffd 100% [bold] [/x] (expected 1, found 2)"
    )
    out = cases[WARN.id].find("system-out")
    assert out is not None and out.text is not None and out.text.count("\n") == 1


def test_json_keeps_the_values_exactly() -> None:
    document = json.loads(to_json(RUN))
    assert [f["path"] for f in document["failures"]][0] == f"raw/events/e{HOSTILE}/page.txt"
    assert document["failures"][2]["waiver_reason"] == HOSTILE


def test_html_shows_controls_escaped_and_markup_as_text(built_warehouse: Path) -> None:
    markup = "<script>alert(1)</script> \" ' &"
    failures = (*FAILURES, Failure(WARN.id, "warn", "raw/x.txt", 6, markup, "x", "y", markup))
    page = to_html(CheckRun(ALL_CHECKS, failures), built_warehouse / "skating.duckdb")
    assert not RAW_CONTROL.search(page)
    assert "<script" not in page
    shown = "&lt;script&gt;alert(1)&lt;/script&gt; &quot; &#x27; &amp;"
    assert page.count(shown) == 2  # the message and the waiver's reason
    assert (
        '<code class="location">raw/events/e\\x0a::error::x \\x1b[31m \\x00 100% [bold] [/x]'
        "/page.txt:3</code>"
    ) in page


def test_markdown_cells_and_code_spans_show_values_as_text() -> None:
    from core.escape import markdown, markdown_code

    assert markdown("A|B <img src=x> *x* [l](u) `c`\n") == (
        # the newline shown as \x0a, its backslash escaped: it renders as `\x0a`
        "A\\|B &lt;img src=x&gt; \\*x\\* \\[l\\](u) \\`c\\`\\\\x0a"
    )
    assert markdown_code("raw/a`b") == "``raw/a`b``"
    assert markdown_code("`x") == "`` `x ``"
    assert markdown_code("line\nbreak") == "`line\\x0abreak`"
