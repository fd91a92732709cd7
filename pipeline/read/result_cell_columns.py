"""The cells of many results tables' rows at once, as Arrow arrays: every row split into its
cells, and its rank, time and gap typed by Arrow compute kernels (RE2 regular expressions,
integer arithmetic), as `result_cells` reads them one at a time. A row that reader would
refuse, or that these kernels cannot vouch to read alike, is `Unreadable`."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import repeat

import pyarrow as pa
import pyarrow.compute as pc

from core.timefmt import MAX_COUNT_DIGITS, TIME_SYNTAX
from pipeline.read.labels import RoundLabel
from pipeline.read.lines import Line
from pipeline.read.result_cells import LARGEST_RANK, NO_RANK
from pipeline.read.tables import Table

TIME = f"^{TIME_SYNTAX}$"  # the whole cell, as parse_time's fullmatch (RE2's `$` is the end)
NO_RANK_CELLS = pa.array(sorted(NO_RANK), pa.string())
# parse_count: more significant digits than this are past any bound
RANK_DIGITS = f"^0*[0-9]{{1,{MAX_COUNT_DIGITS}}}$"


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


@dataclass
class CellColumns:
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
        pa.array(texts, pa.large_string()),  # one array, however long the chunk's text
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


def typed_rows(tables: list[LaidOutTable]) -> CellColumns:
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
    return CellColumns(
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
