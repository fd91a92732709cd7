"""Failure lines as compilers print them: `path:line: error: check: …` (`warning:` for a
warning), the level coloured on a terminal, the other side of a mismatch as a `note:` line,
and for a failed run the ready `[[waiver]]` block, whose placeholder reason is refused."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

from rich.console import Console

from checks.catalog import ALL_CHECKS
from checks.framework.check import Failure
from checks.outcome import CheckRun
from report.text import print_text
from tests.add.helpers import Cli
from tests.conftest import RAW, SEED, corrupt, line_of


def _run_lines(cli: Cli, raw: Path, tmp_path: Path) -> list[str]:
    result = cli("run", "--raw", str(raw), "--warehouse", str(tmp_path / "wh"))
    assert result.code == 1
    return result.out.splitlines()


def test_a_mismatch_names_its_other_side_and_a_broken_note_its_rule(
    cli: Cli, tmp_path: Path
) -> None:
    raw = Path(shutil.copytree(RAW, tmp_path / "raw"))
    page = corrupt(
        raw / "events" / SEED / "page.txt",
        "| 18 February | Final A | | 1:26.739 | OR | |",
        "| 18 February | Final A | | 1:26.738 | OR | |",
    )
    corrupt(
        page,
        "| 1 | 3 | Jean Charles Mattei | | 1:28.009 | |",
        "| 1 | 3 | Jean Charles Mattei | | 1:28.009 | Q |",
    )
    printed = _run_lines(cli, raw, tmp_path)
    toml = raw / "events" / SEED / "event.toml"
    record = printed.index(
        f"{page}:29: error: records.time-matches-result: no result 1:26.738 in Final A "
        "(expected a result of 1:26.738 in Final A, found 1:26.739, 1:26.764, 1:26.927, "
        "1:27.435, 1:29.918)"
    )
    assert (
        printed[record + 1] == f"{page}:{line_of(page, ';Final A')}: note: see the race's results"
    )
    mattei = line_of(page, "Jean Charles Mattei")
    rule = [
        i
        for i, line in enumerate(printed)
        if line.startswith(f"{page}:{mattei}: error: advancement.note-follows-rule")
    ]
    heats_rule = line_of(toml, '{ note = "Q", ranks = [1, 2] }')
    assert printed[rule[0] + 1] == (f"{toml}:{heats_rule}: note: see the round's advancement rules")


def test_a_failed_run_prints_the_waiver_that_would_accept_it_and_refuses_it_pasted(
    cli: Cli, tmp_path: Path
) -> None:
    raw = Path(shutil.copytree(RAW, tmp_path / "raw"))
    corrupt(raw / "events" / SEED / "page.txt", "- Nations: 17", "- Nations: 18")
    printed = _run_lines(cli, raw, tmp_path)
    start = printed.index("[[waiver]]")
    block = printed[start : start + 5]
    # The raw folder the run was given, not a raw/ of the current folder.
    assert printed[start - 1] == (
        f"If the source itself is wrong there (never to quiet a check), declare it in "
        f"{raw}/waivers.toml with a reviewed reason:"
    )
    assert block == [
        "[[waiver]]",
        'check = "tallies.nations"',
        f'file = "events/{SEED}/page.txt"',
        "line = 9",
        'reason = "REVIEW: why the source is wrong here, and where that is documented"',
    ]
    waivers = raw / "waivers.toml"
    waivers.write_text(waivers.read_text(encoding="utf-8") + "\n".join(block) + "\n")
    pasted = cli("run", "--raw", str(raw), "--warehouse", str(tmp_path / "wh"))
    assert pasted.code == 2
    assert "the reason a person reviewed, not the placeholder the report prints" in pasted.err


def test_the_level_is_coloured_on_a_terminal() -> None:
    failures = (
        Failure("tallies.nations", "error", "raw/events/e/page.txt", 9, "m", "x", "y"),
        Failure("identity.indirect-name", "warn", "raw/events/e/page.txt", 7, "m", "x", "y"),
    )
    out = io.StringIO()
    print_text(CheckRun(ALL_CHECKS, failures), Console(file=out, force_terminal=True, width=200))
    shown = out.getvalue()
    assert "raw/events/e/page.txt:9: \x1b[1;31merror\x1b[0m: tallies.nations: m" in shown
    assert "raw/events/e/page.txt:7: \x1b[1;33mwarning\x1b[0m: identity.indirect-name" in shown


def test_the_waiver_shown_is_for_the_first_error_printed(cli: Cli, tmp_path: Path) -> None:
    """Found by a newcomer: the block named a later check than the first error line."""
    raw = Path(shutil.copytree(RAW, tmp_path / "raw"))
    corrupt(raw / "events" / SEED / "page.txt", "- Competitors: 26", "- Competitors: 25")
    printed = _run_lines(cli, raw, tmp_path)
    first_error = next(line for line in printed if ": error: " in line)
    check = first_error.split(": error: ")[1].split(":")[0]
    assert printed[printed.index("[[waiver]]") + 1] == f'check = "{check}"'
