"""The results rows of many pages read at once, as columns: every row of every results table of a
chunk split into cells and its rank, time and gap typed by polars expressions (Rust regex, all
cores); the cells with few distinct values (statuses, race numbers, notes, relay skaters) go
through the row reader's own functions, once per distinct value.

It reads only rows that the row reader (`pipeline.read.results`) reads without a problem, and
reads them the same. A row that reader would refuse, or that this one cannot vouch to read
alike (a cell with a character the two languages trim differently), makes the whole chunk
`Unreadable`: the chunk is then read row by row, so that every message keeps one wording and
one order. The differential tests hold the two readers' tables equal.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from itertools import repeat
from typing import TypeVar

import pyarrow as pa
import pyarrow.compute as pc

from core.errors import SourceError
from core.rows import EventRow
from pipeline.read.event_page import ResultsReader
from pipeline.read.labels import RoundLabel, race_id, race_label
from pipeline.read.lines import Line
from pipeline.read.notes import Note, parse_note
from pipeline.read.page import Page
from pipeline.read.printed import PrintedEntrant, split_skaters
from pipeline.read.problems import Problems
from pipeline.read.result_cells import NO_RANK, STATUSES, race_number
from pipeline.read.result_tables import table_layout
from pipeline.read.results import PrintedResult, RaceOnPage, ResultsOnPage
from pipeline.read.tables import Table

# core.timefmt.TIME_PATTERN in RE2's syntax, its groups named: `\d` there is ASCII (re.ASCII).
TIME = r"^(?:(?P<m>[0-9]{1,2}):(?P<s>[0-5][0-9])|(?P<t>[0-9]{1,2}))\.(?P<f>[0-9]{2,3})$"
NO_RANK_CELLS = pa.array(sorted(NO_RANK), pa.string())
LARGEST_RANK = 127  # result_cells.parse_rank's bound
RANK_DIGITS = r"^0*[0-9]{1,18}$"  # parse_count: more digits than this are past any bound

Value = TypeVar("Value")
Key = TypeVar("Key", bound=Hashable)


class Unreadable(Exception):
    """A row the row reader would refuse or might read otherwise: read the chunk row by row."""


@dataclass(frozen=True)
class LaidOutTable:
    """A results table whose header and label read; its rows are still to be read."""

    table: Table
    columns: dict[str, int]
    label: RoundLabel
    place: Line  # the label (or heading) naming its round and race
    lettered: bool  # a final printed as `Final A`, not a bare `Final`
    relay: bool  # its entrants are teams: a Country cell and an Athletes cell of skaters

    def position(self, column: str) -> int | None:
        """Where a column's cells stand; `name` is the athlete's, or in a relay the skaters'."""
        if column == "name":
            return self.columns["athletes" if self.relay else "athlete"]
        return self.columns.get(column)


@dataclass(frozen=True)
class PendingPage:
    """A page whose results tables are laid out, their rows still to be read."""

    path: str
    event: EventRow
    tables: list[LaidOutTable]


@dataclass
class _Rows:
    """The typed cells of every row of a chunk, as Python lists in row order."""

    line: list[int]
    place: list[int | None]
    time_ms: list[int | None]
    decimals: list[int | None]
    result: list[str]
    name: list[str]
    country: list[str | None]
    race: list[str | None]
    notes: list[str | None]


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
    rows = _typed_rows(tables)
    found, start = [], 0
    for page in pages:
        count = sum(len(laid.table.lines) for laid in page.tables)
        found.append(_page_results(page, rows, start))
        start += count
    return found


def _per_row(tables: list[LaidOutTable]) -> tuple[pa.Array, pa.Array, pa.Array]:
    """Each row's table (an index into `tables`), line number and text."""
    table_of: list[int] = []
    numbers: list[int] = []
    texts: list[str] = []
    for index, laid in enumerate(tables):
        lines = laid.table.lines
        table_of += repeat(index, len(lines))
        numbers += [line.number for line in lines]
        texts += [line.text for line in lines]
    return (
        pa.array(table_of, pa.int32()),
        pa.array(numbers, pa.int64()),
        pa.array(texts, pa.string()),
    )


def _split(texts: pa.Array) -> pa.ListArray:
    """`| a | b |` -> ["a", "b"], as tables.split_cells (Arrow trims the same white space as
    Python's str.strip: every code point was tried)."""
    closed = pc.and_(pc.ends_with(texts, "|"), pc.greater(pc.utf8_length(texts), 1))
    inner = pc.if_else(
        closed, pc.utf8_slice_codeunits(texts, 1, -1), pc.utf8_slice_codeunits(texts, 1)
    )
    cells = pc.split_pattern(inner, "|")
    trimmed = pc.utf8_trim_whitespace(cells.values)
    return pa.ListArray.from_arrays(cells.offsets, trimmed)


def _typed_rows(tables: list[LaidOutTable]) -> _Rows:
    """Split and type every row; Unreadable at the first sign of a row the row reader refuses."""
    table_of, lines, texts = _per_row(tables)
    cells = _split(texts)
    widths = pa.array([len(laid.table.header) for laid in tables], pa.int32()).take(table_of)
    if not pc.all(pc.equal(pc.list_value_length(cells), widths)).as_py():
        raise Unreadable  # a row of another width than its header
    starts = cells.offsets.slice(0, len(cells))

    def column(name: str) -> pa.Array:
        at = pa.array([laid.position(name) for laid in tables], pa.int32()).take(table_of)
        return cells.values.take(pc.add(starts, at))  # null where the table has no such column

    place, result = _places(column("rank")), column("result")
    time_ms, decimals = _times(result)
    gap = column("gap")
    bad_gap = pc.and_not(
        pc.is_valid(gap),
        pc.or_(
            pc.is_in(gap, NO_RANK_CELLS),
            _is_time(pc.replace_substring_regex(gap, "^\\+", "", max_replacements=1)),
        ),
    )
    if pc.any(bad_gap).as_py():
        raise Unreadable
    return _Rows(
        line=lines.to_pylist(),
        place=place.to_pylist(),
        time_ms=time_ms.to_pylist(),
        decimals=decimals.to_pylist(),
        result=result.to_pylist(),
        name=column("name").to_pylist(),
        country=column("country").to_pylist(),
        race=column("race").to_pylist(),
        notes=column("notes").to_pylist(),
    )


def _places(rank: pa.Array) -> pa.Array:
    """The rank cells as numbers (null for a dash); Unreadable if one is neither, or too large."""
    digits = pc.match_substring_regex(rank, RANK_DIGITS)
    place = pc.cast(pc.if_else(digits, rank, pa.scalar(None, pa.string())), pa.int64())
    neither = pc.and_not(pc.is_null(place), pc.is_in(rank, NO_RANK_CELLS))
    if pc.any(neither).as_py() or pc.any(pc.greater(place, LARGEST_RANK)).as_py():
        raise Unreadable
    return place


def _is_time(cells: pa.Array) -> pa.Array:
    return pc.match_substring_regex(cells, TIME)


def _times(result: pa.Array) -> tuple[pa.Array, pa.Array]:
    """The result cells that are times, as core.timefmt.parse_time reads them: milliseconds
    and decimals printed (null where the cell is not a time)."""
    parts = pc.extract_regex(result, TIME)
    # struct_field, not .field(): a cell that is no time is null in every part
    minutes, seconds, alone, fraction = (pc.struct_field(parts, name) for name in "mstf")

    def number(text: pa.Array) -> pa.Array:
        return pc.cast(pc.if_else(pc.equal(text, ""), "0", text), pa.int64())

    decimals = pc.utf8_length(fraction).cast(pa.int64())
    scale = pc.if_else(pc.equal(decimals, 2), 10, 1)
    whole = pc.add(pc.multiply(number(minutes), 60), pc.add(number(seconds), number(alone)))
    millis = pc.add(pc.multiply(whole, 1000), pc.multiply(number(fraction), scale))
    return millis, decimals


def _each_distinct(values: Iterable[Key], read: Callable[[Key], Value]) -> Callable[[Key], Value]:
    """`read` of each distinct value once (raising Unreadable where it raises a SourceError)."""
    known: dict[Key, Value] = {}

    def lookup(value: Key) -> Value:
        if value not in known:
            try:
                known[value] = read(value)
            except SourceError:
                raise Unreadable from None
        return known[value]

    for value in values:
        lookup(value)
    return lookup


def _status(cell: str) -> str:
    """A result cell that is not a time: its status, as result_cells.read_result reads it."""
    status = STATUSES.get(cell.upper())
    if status is None:
        raise SourceError("", 0, "a time or a status", cell)
    return status


def _skaters(cell: str) -> str:
    if not split_skaters(cell):
        raise SourceError("", 0, "the team's skaters in the Athletes cell", "none")
    return cell


class _PageRaces:
    """The races of one page in reading order, named as the row reader names them."""

    def __init__(self, event_id: str) -> None:
        self.event_id = event_id
        self.races: dict[str, RaceOnPage] = {}

    def table_races(self, laid: LaidOutTable, rows: _Rows, start: int) -> list[str]:
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


def _place_offset(laid: LaidOutTable, places: list[int | None]) -> int:
    """result_tables._place_offset: a later final may print overall places (6, 7 …)."""
    if laid.label.round != "finals" or laid.label.number in (None, 1):
        return 0
    return min((place for place in places if place is not None), default=1) - 1


def _page_results(page: PendingPage, rows: _Rows, start: int) -> ResultsOnPage:
    """One page's races, results and entrants from the chunk's rows[start:]."""
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
            _each_distinct(names, _skaters)
            countries: list[str | None] = printed_countries
        else:
            countries = [country or None for country in printed_countries]
        printings = zip(repeat(path), lines, names, countries, lines, repeat(relay))
        who = list(map(PrintedEntrant._make, printings))
        entrants += who
        results += _table_results(laid, rows, start, end, race_ids, who, path)
        start = end
    return ResultsOnPage(list(races.races.values()), results, entrants)


def _table_results(
    laid: LaidOutTable,
    rows: _Rows,
    start: int,
    end: int,
    race_ids: list[str],
    who: list[PrintedEntrant],
    path: str,
) -> list[PrintedResult]:
    places = rows.place[start:end]
    offset = _place_offset(laid, places)
    ranks = places if not offset else [None if p is None else p - offset for p in places]
    times, cells = rows.time_ms[start:end], rows.result[start:end]
    status_of = _each_distinct(
        (cell for cell, time in zip(cells, times, strict=True) if time is None), _status
    )
    statuses = [
        "finished" if time is not None else status_of(cell)
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
