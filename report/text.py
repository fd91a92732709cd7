"""The check report on a terminal: a table of every check, then each failure as a
compiler-style line (`path:line: check-id: message`), and the verdict."""

from __future__ import annotations

from io import StringIO

from rich.console import Console
from rich.table import Table

from checks.framework.check import Failure
from checks.outcome import STATUSES, CheckRun, summary
from core import escape
from core.plural import plural

MAX_LINES_PER_CHECK = 20
STATUS_STYLE = {"passed": "green", "failed": "bold red", "warned": "yellow", "waived": "cyan"}
assert tuple(STATUS_STYLE) == STATUSES


def failure_line(failure: Failure) -> str:
    """`path:line: check-id: message (expected X, found Y)`, plus the waiver if any."""
    waived = f" [waived: {failure.waiver}]" if failure.waiver else ""
    return f"{failure}{waived}"


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
    if run.warn_error:
        console.print("Warnings fail this run (--warn-error).", markup=False, highlight=False)
    console.print(
        f"{verdict}: {counts['checks']} checks, {counts['passed']} passed, {counts['failed']} "
        f"failed, {counts['warned']} warned, {counts['waived']} waived "
        f"({plural(counts['errors'], 'error')}, {plural(counts['warnings'], 'warning')}, "
        f"{plural(counts['waived_failures'], 'waived failure')})",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )


def to_text(run: CheckRun, width: int = 120) -> str:
    """The terminal report as plain text (no colour), for a report file."""
    buffer = StringIO()
    print_text(run, Console(file=buffer, width=width))
    return buffer.getvalue()
