"""Check reports: a terminal table with compiler-style lines, JSON, JUnit, GitHub annotations,
and an HTML page (checks.html_report), the one format that also reads the warehouse."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from rich.console import Console
from rich.table import Table

from checks.check import Failure
from checks.outcome import CheckRun
from pipeline import escape
from pipeline.codes import ReportFormat

MAX_LINES_PER_CHECK = 20
STATUS_STYLE = {"passed": "green", "failed": "bold red", "warned": "yellow", "waived": "cyan"}


def failure_line(failure: Failure) -> str:
    """`path:line: check-id: message (expected X, found Y)`, plus the waiver if any."""
    waived = f" [waived: {failure.waiver}]" if failure.waiver else ""
    return f"{failure}{waived}"


def summary(run: CheckRun) -> dict[str, Any]:
    """Counts of checks by status and of failures by kind."""
    statuses = Counter(run.status(check) for check in run.checks)
    severity = {check.id: check.severity for check in run.checks}
    open_failures = [f for f in run.failures if f.waiver is None]
    return {
        "checks": len(run.checks),
        **{status: statuses.get(status, 0) for status in STATUS_STYLE},
        "errors": sum(severity[f.check_id] == "error" for f in open_failures),
        "warnings": sum(severity[f.check_id] == "warn" for f in open_failures),
        "waived_failures": sum(f.waiver is not None for f in run.failures),
        "input_errors": 0,  # a run refused for bad input ran no check (checks.input_report)
    }


def print_text(run: CheckRun, console: Console) -> None:
    """A rich table of every check, then each failure as a compiler-style line (plain text,
    controls shown as escapes: one failure is one line, whatever raw/ holds)."""
    table = Table(title="Data-quality checks")
    for column in ("check", "severity", "status", "failures"):
        table.add_column(column, justify="right" if column == "failures" else "left")
    for check in run.checks:
        status = run.status(check)
        count = len(run.failures_of(check))
        table.add_row(
            escape.terminal_markup(check.id),
            escape.terminal_markup(check.severity),
            f"[{STATUS_STYLE[status]}]{status}[/]",
            str(count) if count else "",
        )
    console.print(table)
    for check in run.checks:
        found = run.failures_of(check)
        for failure in found[:MAX_LINES_PER_CHECK]:
            console.print(
                escape.terminal(failure_line(failure)),
                markup=False,
                highlight=False,
                soft_wrap=True,
            )
        if len(found) > MAX_LINES_PER_CHECK:
            console.print(
                f"… and {len(found) - MAX_LINES_PER_CHECK} more {escape.terminal(check.id)} "
                "failures (`pipeline check --format json` lists them all)",
                markup=False,
            )
    counts = summary(run)
    verdict = "FAILED" if run.failed else "PASSED"
    if run.selection is not None:
        console.print(f"Selected: {escape.terminal(run.selection)}", markup=False, highlight=False)
    console.print(
        f"{verdict}: {counts['checks']} checks, {counts['passed']} passed, {counts['failed']} "
        f"failed, {counts['warned']} warned, {counts['waived']} waived "
        f"({counts['errors']} errors, {counts['warnings']} warnings, "
        f"{counts['waived_failures']} waived failures)",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )


def to_json(run: CheckRun) -> str:
    """The whole run as JSON (documented in the README)."""
    document = {
        "passed": not run.failed,
        "selection": run.selection,
        "summary": summary(run),
        "errors": [],  # input errors: a run that has a check report had none
        "checks": [
            {
                "id": check.id,
                "severity": check.severity,
                "description": check.description,
                "status": run.status(check),
                "failures": len(run.failures_of(check)),
            }
            for check in run.checks
        ],
        "failures": [
            {
                "check": f.check_id,
                "severity": f.severity,
                "path": f.path,
                "line": f.line,
                "message": f.message,
                "expected": f.expected,
                "found": f.found,
                "waived": f.waiver is not None,
                "waiver_reason": f.waiver,
            }
            for f in run.failures
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def to_junit(run: CheckRun) -> str:
    """JUnit XML: one testcase per check; warnings and waived failures go to system-out.
    Every value passes escape.xml: a control character would make the file unreadable, and a
    line break inside a failure would start a line of stdout with a raw value."""
    counts = summary(run)
    suites = ElementTree.Element(
        "testsuites",
        name="pipeline check",
        tests=str(len(run.checks)),
        failures=str(counts["failed"]),
    )
    suite = ElementTree.SubElement(
        suites,
        "testsuite",
        name="data-quality",
        tests=str(len(run.checks)),
        failures=str(counts["failed"]),
        errors="0",
        skipped="0",
    )
    for check in run.checks:
        case = ElementTree.SubElement(
            suite,
            "testcase",
            classname=escape.xml(f"checks.{check.family}"),
            name=escape.xml(check.id),
        )
        found = run.failures_of(check)
        blocking = [f for f in found if f.waiver is None and check.severity == "error"]
        if blocking:
            failure = ElementTree.SubElement(
                case,
                "failure",
                type=escape.xml(check.id),
                message=escape.xml(f"{len(blocking)} failures: {check.description}"),
            )
            failure.text = "\n".join(escape.xml(failure_line(f), one_line=True) for f in blocking)
        others = [f for f in found if f not in blocking]
        if others:
            ElementTree.SubElement(case, "system-out").text = "\n".join(
                escape.xml(failure_line(f), one_line=True) for f in others
            )
    ElementTree.indent(suites)
    return ElementTree.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


def to_github(run: CheckRun) -> str:
    """GitHub Actions workflow commands: one annotation on the offending line per failure."""
    lines = []
    for f in run.failures:
        level = "notice" if f.waiver else ("error" if f.severity == "error" else "warning")
        text = f"{f.message} (expected {f.expected}, found {f.found})"
        if f.waiver:
            text += f" [waived: {f.waiver}]"
        lines.append(
            f"::{level} file={escape.github_property(f.path)},line={f.line},"
            f"title={escape.github_property(f.check_id)}::{escape.github_message(text)}"
        )
    return "".join(f"{line}\n" for line in lines)


def to_html(run: CheckRun, database: Path) -> str:
    """One self-contained HTML page: the run, and each event's bracket, standings and records
    read from the warehouse file."""
    from checks import html_report  # jinja2 only for this format

    return html_report.to_html(run, database)


RENDERERS: dict[ReportFormat, Callable[[CheckRun], str]] = {
    ReportFormat.json: to_json,
    ReportFormat.junit: to_junit,
    ReportFormat.github: to_github,
}
# Formats that show the warehouse's data as well as the run: given the checked DuckDB file.
WAREHOUSE_RENDERERS: dict[ReportFormat, Callable[[CheckRun, Path], str]] = {
    ReportFormat.html: to_html,
}


def render(run: CheckRun, output_format: ReportFormat, database: Path) -> str:
    """The report in a machine format (every format but text), as one string."""
    if output_format in WAREHOUSE_RENDERERS:
        return WAREHOUSE_RENDERERS[output_format](run, database)
    return RENDERERS[output_format](run)
