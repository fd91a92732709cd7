"""The check report on a terminal: a table of every check, then each failure as a
compiler-style line (`path:line: check-id: message`), and the verdict."""

from __future__ import annotations

from io import StringIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from checks.framework.check import Failure
from checks.outcome import STATUSES, CheckRun, summary
from core import escape
from core.codes import WAIVER_REASON_PLACEHOLDER
from core.plural import plural

MAX_LINES_PER_CHECK = 20
STATUS_STYLE = {"passed": "green", "failed": "bold red", "warned": "yellow", "waived": "cyan"}
assert tuple(STATUS_STYLE) == STATUSES


LEVEL_STYLE = {"error": "bold red", "warning": "bold yellow"}


def failure_line(failure: Failure) -> str:
    """`path:line: error: check-id: message (expected X, found Y)` as a compiler prints a
    diagnostic (`warning:` for a warning), plus the waiver if any."""
    level = "error" if failure.severity == "error" else "warning"
    waived = f" [waived: {failure.waiver}]" if failure.waiver else ""
    return (
        f"{failure.path}:{failure.line}: {level}: {failure.check_id}: {failure.message} "
        f"(expected {failure.expected}, found {failure.found}){waived}"
    )


def _styled(line: str, level: str) -> Text:
    """The line with its level word coloured (on a terminal; plain text elsewhere)."""
    text = Text(escape.terminal(line))
    marker = f": {level}: "
    at = text.plain.find(marker)
    if at >= 0:
        text.stylize(LEVEL_STYLE.get(level, "cyan"), at + 2, at + 2 + len(level))
    return text


def _raw_place(failure: Failure) -> tuple[str, str] | None:
    """(the raw folder, the file under it) of a failure in a file under an events/, registry/
    or reference/ folder of raw/; None elsewhere."""
    parts = failure.path.split("/")
    starts = [i for i, part in enumerate(parts) if part in ("events", "registry", "reference")]
    if not starts:
        return None
    return "/".join(parts[: starts[-1]]) or ".", "/".join(parts[starts[-1] :])


def waiver_hint(failure: Failure) -> str | None:
    """The `[[waiver]]` block that would accept an open failure as the source's own mistake,
    for a file under an events/, registry/ or reference/ folder of raw/ (None elsewhere)."""
    place = _raw_place(failure)
    if failure.waiver is not None or place is None:
        return None
    relative = place[1]
    return (
        "[[waiver]]\n"
        f"check = {escape.toml_string(failure.check_id)}\n"
        f"file = {escape.toml_string(relative)}\n"
        f"line = {failure.line}\n"
        f'reason = "{WAIVER_REASON_PLACEHOLDER} why the source is wrong here, and where that is '
        'documented"'
    )


def _print_waiver_hint(run: CheckRun, console: Console) -> None:
    """Under a failed run, how the first open error would be waived, were it a real mistake of
    the source page (a waiver is reviewed: never a way to silence a check)."""
    printed = (f for check in run.checks for f in run.failures_of(check))  # report order
    hints = ((f, waiver_hint(f)) for f in printed if f.severity == "error")
    failure, hint = next(((f, text) for f, text in hints if text is not None), (None, None))
    place = None if failure is None else _raw_place(failure)
    if hint is None or place is None or not run.failed:
        return
    console.print(
        "If the source itself is wrong there (never to quiet a check), declare it in "
        f"{escape.terminal(place[0])}/waivers.toml with a reviewed reason:",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )
    for line in hint.splitlines():
        console.print(Text(escape.terminal(line)), highlight=False, soft_wrap=True)


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
            level = "error" if failure.severity == "error" else "warning"
            console.print(_styled(failure_line(failure), level), highlight=False, soft_wrap=True)
            if failure.note is not None:
                console.print(_styled(failure.note, "note"), highlight=False, soft_wrap=True)
        if len(found) > MAX_LINES_PER_CHECK:
            console.print(
                f"… and {len(found) - MAX_LINES_PER_CHECK} more {escape.terminal(check.id)} "
                "failures (`pipeline check --format json` lists them all)",
                markup=False,
            )
    _print_waiver_hint(run, console)
    counts = summary(run)
    verdict = "FAILED" if run.failed else "PASSED"
    if run.selection is not None:
        console.print(f"Selected: {escape.terminal(run.selection)}", markup=False, highlight=False)
    if run.warn_error:
        console.print("Warnings fail this run (--warn-error).", markup=False, highlight=False)
    if run.coverage is not None:
        console.print(
            f"Coverage: {run.coverage.sentence()}", markup=False, highlight=False, soft_wrap=True
        )
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
