"""The race result tables: every race a page holds and every result row as printed, its
entrant a printed entrant (no name is looked up here)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import NamedTuple

from core.errors import SourceError
from core.rows import EventRow
from pipeline.read.labels import race_id, race_label
from pipeline.read.notes import Note, parse_note
from pipeline.read.page import Page
from pipeline.read.printed import PrintedEntrant, split_skaters
from pipeline.read.problems import Problems
from pipeline.read.result_cells import check_gap, parse_rank, race_number, read_result
from pipeline.read.result_tables import readable_layout
from pipeline.read.tables import Table, TableRow


@dataclass(frozen=True, slots=True)
class RaceOnPage:
    """A race found on the page, with the line that introduces it."""

    round: str
    number: int
    label: str
    line: int


class PrintedResult(NamedTuple):
    """One result row as printed: the race, the entrant's cells, and the typed result cells."""

    race_id: str
    entrant: PrintedEntrant
    rank: int | None  # the place within the race
    place_as_printed: int | None
    time_ms: int | None
    time_decimals: int | None
    status: str
    note: str | None
    record_mark: str | None
    notes_as_printed: str | None
    source_file: str
    source_line: int


def _printed_entrant(
    path: str, row: TableRow, columns: dict[str, int], relay: bool
) -> PrintedEntrant:
    """The entrant cells of a row: an athlete cell and its Country cell, if any; in a relay the
    team's Country cell and its skaters (at least one)."""
    cells = row.cells
    if relay:
        skaters = cells[columns["athletes"]]
        if not split_skaters(skaters):
            raise SourceError(path, row.line, "the team's skaters in the Athletes cell", "none")
        country: str | None = cells[columns["country"]]
        return PrintedEntrant(path, row.line, skaters, country, row.line, True)
    country = cells[columns["country"]] or None if "country" in columns else None
    return PrintedEntrant(path, row.line, cells[columns["athlete"]], country, row.line, False)


def _result_row(
    path: str,
    race: str,
    row: TableRow,
    columns: dict[str, int],
    who: PrintedEntrant,
    place_offset: int,
) -> PrintedResult:
    cells = row.cells
    time_ms, decimals, status = read_result(path, row.line, cells[columns["result"]])
    printed_notes = cells[columns["notes"]] or None if "notes" in columns else None
    note = parse_note(printed_notes) if printed_notes else Note(None, None)
    place = parse_rank(path, row.line, cells[columns["rank"]])
    if "gap" in columns:
        check_gap(path, row.line, cells[columns["gap"]])
    return PrintedResult(
        race,
        who,
        None if place is None else place - place_offset,
        place,
        time_ms,
        decimals,
        status,
        note.note,
        note.record_mark,
        printed_notes,
        path,
        row.line,
    )


@dataclass
class ResultsOnPage:
    """The races the results tables hold, their readable result rows, and the entrant of every
    row whose entrant cells read (a row whose time does not read still names someone)."""

    races: list[RaceOnPage]
    results: list[PrintedResult]
    entrants: list[PrintedEntrant]


def read_results(
    page: Page, event: EventRow, tables: list[Table], problems: Problems
) -> ResultsOnPage:
    """Every race and result row of the results tables, in page order. A row that cannot be
    read (a cell count, a rank, a time, no skaters) is kept in `problems`, and reading goes on:
    every such row of the page is reported in one run."""
    event_id, relay = event.event_id, event.is_relay
    races: dict[str, RaceOnPage] = {}
    found = ResultsOnPage([], [], [])
    for table in tables:
        readable = readable_layout(page, table, relay, problems)
        if readable is None:
            continue  # reported; the page's other tables are still read
        (columns, label, place, lettered), offset = readable
        names: dict[int, tuple[str, str]] = {}  # race number -> (label, race_id)
        for row in table.rows:
            if len(row.cells) != len(table.header):
                continue  # reported by _readable
            if label.number is None:
                number = race_number(page.path, row.line, label.round, row.cells[columns["race"]])
                line = row.line
            else:
                number, line = label.number, place.number
            if number not in names:
                name = race_label(label.round, number, lettered)
                names[number] = name, race_id(event_id, name)
            name, race = names[number]
            known = races.get(name)
            if known is None:
                races[name] = RaceOnPage(label.round, number, name, line)
            elif label.number is not None and row is table.rows[0]:
                raise SourceError(
                    page.path,
                    place.number,
                    f"one table for {name} (already at line {known.line})",
                    place.text,
                )
            who = problems.attempt(partial(_printed_entrant, page.path, row, columns, relay))
            if who is None:
                continue
            found.entrants.append(who)
            result = problems.attempt(
                partial(_result_row, page.path, race, row, columns, who, offset)
            )
            if result is not None:
                found.results.append(result)
    found.races = list(races.values())
    return found
