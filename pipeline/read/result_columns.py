"""The results rows of many pages read at once, as columns: every row of every results table of a
chunk typed by Arrow kernels (`result_cell_columns`), the cells with few distinct values
(statuses, race numbers, notes, relay skaters) read by the row reader's own functions once per
distinct value, and each page's races, results and printed entrants assembled from them.

It reads only rows that the row reader (`pipeline.read.results`) reads without a problem, and
reads them the same. A row that reader would refuse, or that this one cannot vouch to read
alike, makes the whole chunk `Unreadable`: the chunk is then read row by row, so that every
message keeps one wording and one order. The differential tests hold the two readers' tables
equal.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import repeat

from core.errors import SourceError
from core.rows import EventRow
from pipeline.read.event_page import ResultsReader
from pipeline.read.labels import race_id, race_label
from pipeline.read.notes import Note, parse_note
from pipeline.read.page import Page
from pipeline.read.printed import PrintedEntrant, split_skaters
from pipeline.read.problems import Problems
from pipeline.read.result_cell_columns import CellColumns, LaidOutTable, Unreadable, typed_rows
from pipeline.read.result_cells import place_offset, race_number, status_of
from pipeline.read.result_tables import table_layout
from pipeline.read.results import PrintedResult, RaceOnPage, ResultsOnPage
from pipeline.read.tables import Table


@dataclass(frozen=True)
class PendingPage:
    """A page whose results tables are laid out, their rows still to be read."""

    path: str
    event: EventRow
    tables: list[LaidOutTable]


def read_rows_later(pending: list[PendingPage]) -> ResultsReader:
    """A stand-in for the row reader: lays each page's results tables out (a table that cannot
    be laid out is Unreadable) and keeps them in `pending`, for `read_result_columns`."""

    def lay_out(page: Page, event: EventRow, tables: list[Table], _: Problems) -> ResultsOnPage:
        laid = []
        for table in tables:
            try:
                columns, label, place, lettered = table_layout(page.path, table, event.is_relay)
            except SourceError:
                raise Unreadable from None
            laid.append(LaidOutTable(table, columns, label, place, lettered, event.is_relay))
        pending.append(PendingPage(page.path, event, laid))
        return ResultsOnPage([], [], [])

    return lay_out


def read_result_columns(pages: list[PendingPage]) -> list[ResultsOnPage]:
    """Each page's races, result rows and printed entrants, as the row reader gives them."""
    tables = [laid for page in pages for laid in page.tables]
    rows = typed_rows(tables)
    found, start = [], 0
    for page in pages:
        results, start = _page_results(page, rows, start)
        found.append(results)
    return found


def _status(cell: str) -> str:
    """A result cell that is not a time: its status, as result_cells.read_result reads it."""
    status = status_of(cell)
    if status is None:
        raise Unreadable
    return status


class _PageRaces:
    """The races of one page in reading order, named as the row reader names them."""

    def __init__(self, event_id: str) -> None:
        self.event_id = event_id
        self.races: dict[str, RaceOnPage] = {}

    def table_races(self, laid: LaidOutTable, rows: CellColumns, start: int) -> list[str]:
        """The race id of each row of a table (its races recorded at their first row)."""
        label, count = laid.label, len(laid.table.lines)
        if label.number is not None:
            name = race_label(label.round, label.number, laid.lettered)
            if name in self.races:
                raise Unreadable  # one table for a race already read: the row reader says so
            self.races[name] = RaceOnPage(label.round, label.number, name, laid.place.number)
            return [race_id(self.event_id, name)] * count
        cells = rows.race[start : start + count]
        lines = rows.line[start : start + count]
        first_lines = dict(zip(reversed(cells), reversed(lines), strict=True))
        id_of: dict[str | None, str] = {}
        for cell in dict.fromkeys(cells):  # each distinct cell, in the order rows print it
            try:
                number = race_number("", 0, label.round, cell or "")
            except SourceError:
                raise Unreadable from None
            name = race_label(label.round, number, laid.lettered)
            if name not in self.races:
                self.races[name] = RaceOnPage(label.round, number, name, first_lines[cell])
            id_of[cell] = race_id(self.event_id, name)
        return [id_of[cell] for cell in cells]


def _page_results(page: PendingPage, rows: CellColumns, start: int) -> tuple[ResultsOnPage, int]:
    """One page's races, results and entrants from the chunk's rows[start:], and where the
    next page's rows start."""
    path, relay = page.path, page.event.is_relay
    races = _PageRaces(page.event.event_id)
    entrants: list[PrintedEntrant] = []
    results: list[PrintedResult] = []
    for laid in page.tables:
        end = start + len(laid.table.lines)
        race_ids = races.table_races(laid, rows, start)
        lines, names = rows.line[start:end], rows.name[start:end]
        printed_countries = rows.country[start:end]
        if relay:
            if not all(split_skaters(cell) for cell in set(names)):
                raise Unreadable  # a team without skaters: the row reader says so
            countries: list[str | None] = printed_countries
        else:
            countries = [country or None for country in printed_countries]
        printings = zip(repeat(path), lines, names, countries, lines, repeat(relay))
        who = list(map(PrintedEntrant._make, printings))
        entrants += who
        results += _table_results(laid, rows, start, end, race_ids, who, path)
        start = end
    return ResultsOnPage(list(races.races.values()), results, entrants), start


def _table_results(
    laid: LaidOutTable,
    rows: CellColumns,
    start: int,
    end: int,
    race_ids: list[str],
    who: list[PrintedEntrant],
    path: str,
) -> list[PrintedResult]:
    places = rows.place[start:end]
    offset = place_offset(laid.label.round, laid.label.number, places)
    ranks = places if not offset else [None if p is None else p - offset for p in places]
    times, cells = rows.time_ms[start:end], rows.result[start:end]
    untimed = {cell for cell, time in zip(cells, times, strict=True) if time is None}
    status_by_cell = {cell: _status(cell) for cell in untimed}
    statuses = [
        "finished" if time is not None else status_by_cell[cell]
        for cell, time in zip(cells, times, strict=True)
    ]
    printed_notes = [notes or None for notes in rows.notes[start:end]]
    notes = [parse_note(cell) if cell else Note(None, None) for cell in printed_notes]
    return list(
        map(
            PrintedResult._make,
            zip(
                race_ids,
                who,
                ranks,
                places,
                times,
                rows.decimals[start:end],
                statuses,
                [note.note for note in notes],
                [note.record_mark for note in notes],
                printed_notes,
                repeat(path),
                rows.line[start:end],
            ),
        )
    )
