"""The report of a run refused for bad input, in every format the check report has: a CI job
that asked for JSON, JUnit, GitHub annotations or HTML gets the problems at their file and line
in that format, not an empty stdout. The exit code stays 2 (pipeline.cli)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from xml.etree import ElementTree

from checks.outcome import CheckRun, summary
from core import escape
from core.codes import ReportFormat
from core.errors import InputError, InputErrors, PipelineError, SourceError, bounded
from core.escape import utf8

TEMPLATE = "input_errors.html.j2"


@dataclass(frozen=True)
class Problem:
    """One input problem: where (a line, when the file has one to point at) and what."""

    path: str
    line: int | None
    message: str  # the whole one-line message, as the terminal shows it
    detail: str  # the message without its `path:line: ` (an annotation shows those apart)
    expected: str | None
    found: str | None


def problems(error: PipelineError) -> list[Problem]:
    """Every problem an error stands for, in the order they are reported."""
    if isinstance(error, InputErrors):
        return [problem for one in error.errors for problem in problems(one)]
    message = utf8(str(error))
    if isinstance(error, SourceError):
        path, expected, found = utf8(error.path), utf8(error.expected), utf8(error.found)
        detail = message.removeprefix(f"{path}:{error.line}: ")
        return [Problem(path, error.line, message, detail, expected, found)]
    if isinstance(error, InputError):
        path = utf8(error.path)
        return [Problem(path, None, message, message.removeprefix(f"{path}: "), None, None)]
    return [Problem("", None, message, message, None, None)]


def to_text(found: list[Problem]) -> str:
    """The terminal's `error:` lines, controls escaped."""
    return "".join(f"error: {escape.terminal(problem.message)}\n" for problem in found)


def to_json(found: list[Problem]) -> str:
    """The check report's JSON shape, failed, with no checks run and an `errors` list."""
    document = {
        "passed": False,
        "selection": None,
        # A check report's counts, all 0 as no check ran, and how many input errors stopped it.
        "summary": {**summary(CheckRun((), ())), "input_errors": len(found)},
        "coverage": None,
        "errors": [
            {
                "path": p.path,
                "line": p.line,
                "message": p.message,
                "expected": p.expected,
                "found": None if p.found is None else bounded(p.found),
            }
            for p in found
        ],
        "checks": [],
        "failures": [],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def to_junit(found: list[Problem]) -> str:
    """JUnit XML: one testcase with an <error> per problem, in a suite named `input`."""
    count = str(len(found))
    suites = ElementTree.Element(
        "testsuites", name="pipeline input", tests=count, failures="0", errors=count
    )
    suite = ElementTree.SubElement(
        suites, "testsuite", name="input", tests=count, failures="0", errors=count, skipped="0"
    )
    for problem in found:
        where = problem.path if problem.line is None else f"{problem.path}:{problem.line}"
        case = ElementTree.SubElement(
            suite, "testcase", classname="input", name=escape.xml(where, one_line=True)
        )
        error = ElementTree.SubElement(
            case, "error", type="input-error", message=escape.xml(problem.message, one_line=True)
        )
        error.text = escape.xml(problem.message, one_line=True)
    ElementTree.indent(suites)
    return ElementTree.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


def to_github(found: list[Problem]) -> str:
    """One `::error` workflow command per problem, on its line where it has one."""
    lines = []
    for problem in found:
        # An annotation names a file only where there is one (not `--select`, not a folder).
        where = ""
        if os.path.isfile(problem.path):
            where = f"file={escape.github_property(problem.path)},"
            where += "" if problem.line is None else f"line={problem.line},"
        text = problem.detail if where else problem.message
        lines.append(f"::error {where}title=input error::{escape.github_message(text)}")
    return "".join(f"{line}\n" for line in lines)


def to_html(found: list[Problem]) -> str:
    """A self-contained page listing each problem; values escaped as in the check report."""
    from report.html_page import environment  # jinja2 only for this format

    return environment().get_template(TEMPLATE).render(problems=found)


RENDERERS: dict[ReportFormat, Callable[[list[Problem]], str]] = {
    ReportFormat.text: to_text,
    ReportFormat.json: to_json,
    ReportFormat.junit: to_junit,
    ReportFormat.github: to_github,
    ReportFormat.html: to_html,
}


def render_input_errors(error: PipelineError, output_format: ReportFormat) -> str:
    """The report of a refused run in the asked format."""
    return RENDERERS[output_format](problems(error))
