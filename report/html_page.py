"""The check report as one self-contained HTML file: the verdict, every check, each failure with
the raw lines around it, and per event its bracket, standings and record chart.

Inline CSS and SVG, no script, nothing fetched. Every value reaches the page through the
template's finalize, which is core.escape.html: names, notes, paths and raw lines are data,
never markup."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from checks.framework.check import Check, Failure
from checks.outcome import CheckRun, summary
from core import escape
from report import event_rows
from report.event_report import NOTE_MEANINGS
from report.event_rows import Shown, load_events
from report.excerpts import Excerpt, excerpts

TEMPLATES = Path(__file__).parent / "templates"
MAX_FAILURES_PER_CHECK = 100  # past this, a count of the rest: the JSON report has them all


@dataclass(frozen=True)
class CheckRow:
    check: Check
    status: str
    failures: int


@dataclass(frozen=True)
class ShownFailure:
    failure: Failure
    excerpt: Excerpt


@dataclass(frozen=True)
class FailureGroup:
    check: Check
    status: str
    failures: tuple[ShownFailure, ...]
    more: int  # failures of the check not shown


def _finalize(value: object) -> Markup:
    """Every `{{ … }}` of the template: escaped by the project's one HTML function."""
    if isinstance(value, Markup):  # only the template's own literals are Markup
        return value
    return Markup(escape.html("" if value is None else str(value)))


def environment() -> Environment:
    """The template environment: autoescape on, undefined names an error."""
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        finalize=_finalize,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def failure_groups(run: CheckRun) -> list[FailureGroup]:
    """The failures of each failing, warned or waived check, in catalogue order, with the raw
    lines around each (at most MAX_FAILURES_PER_CHECK a check)."""
    shown = {c.id: run.failures_of(c)[:MAX_FAILURES_PER_CHECK] for c in run.checks}
    lines = excerpts(f for found in shown.values() for f in found)
    return [
        FailureGroup(
            check,
            run.status(check),
            tuple(ShownFailure(f, lines[(f.path, f.line)]) for f in shown[check.id]),
            len(run.failures_of(check)) - len(shown[check.id]),
        )
        for check in run.checks
        if shown[check.id]
    ]


def to_html(run: CheckRun, database: Path) -> str:
    """The whole report, reading the events from the warehouse file (opened read-only)."""
    template = environment().get_template("report.html.j2")
    try:
        blamed = (f.path for f in run.failures)
        shown, problem = load_events(database, blamed, event_rows.MAX_EVENTS), None
    except duckdb.Error as error:  # the checks' verdict is still worth its page
        shown, problem = Shown((), 0), f"The events could not be read from the warehouse: {error}"
    return template.render(
        passed=not run.failed,
        counts=summary(run),
        database=database.as_posix(),
        checks=[CheckRow(c, run.status(c), len(run.failures_of(c))) for c in run.checks],
        groups=failure_groups(run),
        events=shown.events,
        events_total=shown.total,
        events_problem=problem,
        note_meanings=NOTE_MEANINGS,
    )
