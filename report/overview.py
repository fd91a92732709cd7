"""The report's overview: every event with its verdict (from the failures blamed on its folder),
the events worth drawing in full, and each competition's medal table."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from checks.framework.check import Failure
from checks.outcome import CheckRun, verdict
from checks.selection import event_folder
from report.event_report import Row

# An event's verdict, worst first: the order the overview lists them in.
EVENT_STATUSES = ("failed", "warned", "waived", "passed", "not checked")
DRAW_ALL_UP_TO = 10  # a warehouse this small is drawn whole
MAX_DRAWN = 20  # past it, only the first failing events are drawn (each is some 40 kB)


@dataclass(frozen=True)
class EventLine:
    """One event in the overview."""

    event_id: str
    name: str
    competition: str
    start_date: datetime.date
    end_date: datetime.date
    status: str
    errors: int  # failures not waived, of an error-level check
    warnings: int  # failures not waived, of a warn-level check
    waived: int


@dataclass(frozen=True)
class MedalRow:
    rank: int
    noc: str
    nation: str
    gold: int
    silver: int
    bronze: int
    total: int


@dataclass(frozen=True)
class CompetitionMedals:
    competition: str
    rows: tuple[MedalRow, ...]


def event_lines(events: list[Row] | tuple[Row, ...], run: CheckRun) -> tuple[EventLine, ...]:
    """Every event with its verdict (the failures blamed on its folder), worst first, then by
    event id."""
    blamed: dict[str | None, list[Failure]] = {}
    for failure in run.failures:
        blamed.setdefault(event_folder(failure.path), []).append(failure)
    lines = []
    for event in events:
        found = blamed.get(event["event_id"], [])
        waived = sum(f.waiver is not None for f in found)
        errors = sum(f.waiver is None and f.severity == "error" for f in found)
        lines.append(
            EventLine(
                event["event_id"],
                event["event_name"],
                event["competition"],
                event["start_date"],
                event["end_date"],
                "not checked"
                if run.events and event["event_id"] not in run.events
                else verdict(found, run.warn_error),
                errors,
                len(found) - errors - waived,
                waived,
            )
        )
    return tuple(sorted(lines, key=lambda line: EVENT_STATUSES.index(line.status)))


def drawn(lines: tuple[EventLine, ...]) -> list[str]:
    """The events drawn in full: all of a small (or --event restricted) warehouse; of a larger
    one the failing events, at most MAX_DRAWN (the overview lists the rest)."""
    checked = [line for line in lines if line.status != "not checked"]
    if len(checked) <= DRAW_ALL_UP_TO:
        return [line.event_id for line in checked]
    failing = sorted(line.event_id for line in checked if line.status == "failed")
    return failing[:MAX_DRAWN]


def folded(lines: tuple[EventLine, ...]) -> bool:
    """The overview of a warehouse too large to be drawn whole lists its failing events and
    folds the rest, by verdict."""
    return len(lines) > DRAW_ALL_UP_TO


def medal_tables(rows: tuple[Row, ...]) -> tuple[CompetitionMedals, ...]:
    """The medal_table view's rows grouped by competition, in the view's order."""
    grouped: dict[str, list[MedalRow]] = {}
    for row in rows:
        grouped.setdefault(row["competition"], []).append(
            MedalRow(
                row["rank"],
                row["noc"],
                row["nation"],
                row["gold"],
                row["silver"],
                row["bronze"],
                row["total"],
            )
        )
    return tuple(CompetitionMedals(name, tuple(medals)) for name, medals in grouped.items())


def tally(lines: tuple[EventLine, ...]) -> list[tuple[str, int]]:
    """How many events have each verdict, worst first, those with none left out."""
    counts = Counter(line.status for line in lines)
    return [(status, counts[status]) for status in EVENT_STATUSES if counts[status]]


def drawn_note(lines: tuple[EventLine, ...], drawn_count: int, restricted: bool) -> str | None:
    """Which events the page draws, when not every event of the warehouse (`restricted`: the
    run checked only the events selected with --event)."""
    if drawn_count == len(lines):
        return None
    if not lines:
        return "The warehouse holds no event."
    checked = sum(line.status != "not checked" for line in lines)
    if restricted and drawn_count == checked:
        which = "the one" if checked == 1 else f"the {checked}"
        return f"Of the warehouse's {len(lines)} events, {which} selected with --event drawn below."
    if drawn_count == 0:
        return "No event is drawn: none has a failing check."
    failing = sum(line.status == "failed" for line in lines)
    which = "the one with a failing check" if drawn_count == 1 else "those with a failing check"
    if failing > drawn_count:
        which += f", the first {drawn_count} of {failing} by event id"
    return f"{drawn_count} of the warehouse's {len(lines)} events are drawn below: {which}."


@dataclass(frozen=True)
class CoverageCell:
    event: str  # the reference's name of the event, e.g. 1,000 metres, Men
    event_id: str | None  # the warehouse event that is it; None: missing


@dataclass(frozen=True)
class CoverageGrid:
    """The coverage view as Games (rows) × events (columns, grouped by gender)."""

    genders: tuple[tuple[str, int], ...]  # each gender's title and how many columns it spans
    columns: tuple[tuple[str, str, int, bool], ...]  # (title, gender, distance, relay)
    years: tuple[int, ...]
    cells: dict[tuple[int, int], CoverageCell]  # (year, column index) -> the reference event

    def cell(self, year: int, column: int) -> CoverageCell | None:
        return self.cells.get((year, column))


GENDER_ORDER = {"men": 0, "women": 1, "mixed": 2}


def coverage_grid(rows: tuple[Row, ...]) -> CoverageGrid | None:
    """The grid of the coverage view's rows; None when the warehouse holds no references."""
    if not rows:
        return None
    keys = sorted(
        {(row["gender"], row["is_relay"], row["distance_m"]) for row in rows},
        key=lambda key: (GENDER_ORDER.get(key[0], 3), key[0], key[1], key[2]),
    )
    column_of = {key: index for index, key in enumerate(keys)}
    columns = tuple(
        (f"{distance} relay" if relay else str(distance), gender, distance, relay)
        for gender, relay, distance in keys
    )
    spans: dict[str, int] = {}
    for gender, _, _ in keys:
        spans[gender] = spans.get(gender, 0) + 1
    cells = {
        (row["games_year"], column_of[(row["gender"], row["is_relay"], row["distance_m"])]): (
            CoverageCell(row["event"], row["event_id"])
        )
        for row in rows
    }
    return CoverageGrid(
        tuple((gender.capitalize(), span) for gender, span in spans.items()),
        columns,
        tuple(sorted({row["games_year"] for row in rows})),
        cells,
    )
