"""The check report as one self-contained HTML file: the verdict and the build it judged, an
overview (every event's verdict, the medal tables), the checks (passed ones folded), each
failure with the raw lines around it and a link to the row it blames, and the events worth
drawing with their bracket, standings and record chart.

Inline CSS and SVG, no script, nothing fetched. Every value reaches the page through the
template's finalize, which is core.escape.html: names, notes, paths and raw lines are data,
never markup."""

from __future__ import annotations

import hashlib
import itertools
import shlex
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import duckdb
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from checks.framework.check import Check, Failure
from checks.outcome import CheckRun, summary
from checks.selection import event_folder
from core import escape
from report.build_info import UNKNOWN_BUILD, BuildInfo
from report.event_report import NOTE_MEANINGS, Event, Row
from report.event_rows import Shown, load_events
from report.excerpts import Excerpt, excerpts
from report.overview import (
    EventLine,
    coverage_grid,
    drawn,
    drawn_note,
    event_lines,
    folded,
    medal_tables,
    tally,
)

TEMPLATES = Path(__file__).parent / "templates"
# Past this, a count of the rest: the JSON report and the build's failures table have them all.
MAX_FAILURES_PER_CHECK = 25


@dataclass(frozen=True)
class CheckRow:
    check: Check
    status: str
    failures: int


@dataclass(frozen=True)
class ShownFailure:
    failure: Failure
    excerpt: Excerpt
    number: int  # its element is #failure-<number>
    href: str | None  # where its file:line is drawn: the bracket or records row, or its event


@dataclass(frozen=True)
class FailureGroup:
    check: Check
    status: str
    failures: tuple[ShownFailure, ...]
    more: int  # failures of the check not shown


@dataclass(frozen=True)
class Mark:
    """A failure marked on the row it blames, in the bracket or a records table."""

    check_id: str
    kind: str  # error, warn or waived
    number: int  # the failure it links back to


def line_anchor(path: str, line: int) -> str:
    """The element id of the drawn row read from `path`:`line` (a digest: a path may hold any
    character, an id may not)."""
    digest = hashlib.blake2b(f"{path}\0{line}".encode(), digest_size=6).hexdigest()
    return f"L{digest}"


def _finalize(value: object) -> Markup:
    """Every `{{ … }}` of the template: escaped by the project's one HTML function."""
    if isinstance(value, Markup):  # only the template's own literals are Markup
        return value
    return Markup(escape.html("" if value is None else str(value)))


def environment() -> Environment:
    """The template environment: autoescape on, undefined names an error."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        finalize=_finalize,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["anchor"] = line_anchor
    return env


def _drawn_rows(events: tuple[Event, ...]) -> set[str]:
    """The anchors of every row the drawn events show: results and records."""
    anchors = set()
    for event in events:
        for round_ in event.rounds:
            for race in round_.races:
                anchors |= {line_anchor(e.source_file, e.source_line) for e in race.entries}
        if event.chart is not None:
            anchors |= {
                line_anchor(r.source_file, r.source_line)
                for r in event.chart.records
                if r.source_file is not None and r.source_line is not None
            }
    return anchors


def _href(
    failure: Failure, anchor: str, rows: set[str], drawn: set[str], listed: set[str]
) -> str | None:
    """The row a failure blames (its `anchor`) where it is drawn, else its event's drawing or
    overview line."""
    event = event_folder(failure.path)
    if anchor in rows:
        return f"#{anchor}"
    if event in drawn:
        return f"#event-{event}"
    return f"#index-{event}" if event in listed else None


NOTHING_DRAWN = Shown((), ())


def failure_groups(
    run: CheckRun, shown: Shown = NOTHING_DRAWN
) -> tuple[list[FailureGroup], dict[str, list[Mark]]]:
    """The failures of each failing, warned or waived check, in catalogue order, with the raw
    lines around each (at most MAX_FAILURES_PER_CHECK a check); and the marks of those shown,
    by the anchor of the drawn row they blame."""
    rows = _drawn_rows(shown.events)
    drawn = {event.event_id for event in shown.events}
    listed = {event["event_id"] for event in shown.index}
    chosen = {c.id: run.failures_of(c)[:MAX_FAILURES_PER_CHECK] for c in run.checks}
    lines = excerpts(f for found in chosen.values() for f in found)
    numbers = itertools.count(1)
    groups, marks = [], defaultdict(list)
    for check in run.checks:
        if not chosen[check.id]:
            continue
        failures = []
        for f in chosen[check.id]:
            anchor = line_anchor(f.path, f.line)
            shown_failure = ShownFailure(
                f, lines[(f.path, f.line)], next(numbers), _href(f, anchor, rows, drawn, listed)
            )
            failures.append(shown_failure)
            if anchor in rows:
                kind = "waived" if f.waiver is not None else f.severity
                marks[anchor].append(Mark(f.check_id, kind, shown_failure.number))
        more = len(run.failures_of(check)) - len(failures)
        groups.append(FailureGroup(check, run.status(check), tuple(failures), more))
    return groups, dict(marks)


def to_html(run: CheckRun, database: Path, build: BuildInfo = UNKNOWN_BUILD) -> str:
    """The whole report, reading the events from the warehouse file (opened read-only)."""
    template = environment().get_template("report.html.j2")
    lines: tuple[EventLine, ...] = ()

    def choose(events: list[Row]) -> list[str]:
        nonlocal lines
        lines = event_lines(events, run)
        return drawn(lines)

    try:
        shown, problem = load_events(database, choose), None
    except duckdb.Error as error:  # the checks' verdict is still worth its page
        shown, problem = NOTHING_DRAWN, f"The events could not be read from the warehouse: {error}"
    groups, marks = failure_groups(run, shown)
    rows = [CheckRow(c, run.status(c), len(run.failures_of(c))) for c in run.checks]
    return template.render(
        passed=not run.failed,
        counts=summary(run),
        database=database.as_posix(),
        build=build,
        open_checks=[row for row in rows if row.status != "passed"],
        passed_checks=[row for row in rows if row.status == "passed"],
        groups=groups,
        marks=marks,
        index=lines,
        index_tally=tally(lines),
        collapse_index=folded(lines),
        drawn_ids={event.event_id for event in shown.events},
        medals=medal_tables(shown.medals),
        coverage=run.coverage,
        grid=coverage_grid(shown.coverage),
        events=shown.events,
        events_note=drawn_note(lines, len(shown.events), bool(run.events)),
        selection=run.selection,
        checked_events=sum(line.status != "not checked" for line in lines),
        warehouse_option=f" --warehouse {shlex.quote(build.warehouse)}" if build.warehouse else "",
        events_problem=problem,
        note_meanings=NOTE_MEANINGS,
    )
