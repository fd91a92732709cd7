"""Pipe tables (`| a | b |`): cells, and columns found by header name through declared synonyms."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

from core.errors import SourceError
from pipeline.read.lines import Line


class TableRow(NamedTuple):
    """One data row of a table with its page line."""

    line: int
    cells: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A pipe table as it stands on the page, with the labels that place it. Its rows are split
    into cells when first asked for: the columnar reader reads a results table's rows from
    their lines and never needs them as Python rows."""

    section: str  # the `==Level 2==` heading above it, "" before any
    subsection: Line | None  # the `===Level 3===` heading above it, if any
    caption: Line | None  # a `;Label` or bare line right above the header
    header_line: int
    header: tuple[str, ...]
    lines: tuple[Line, ...]  # the rows below the header, as printed

    @cached_property
    def rows(self) -> tuple[TableRow, ...]:
        """The rows below the header, each split into its cells."""
        return tuple([TableRow(line.number, split_cells(line.text)) for line in self.lines])


def split_cells(text: str) -> tuple[str, ...]:
    """Split `| a | b |` into stripped cells ("a", "b")."""
    inner = text[1:-1] if text[-1] == "|" and len(text) > 1 else text[1:]
    return tuple([cell.strip() for cell in inner.split("|")])


@dataclass(frozen=True)
class TableKind:
    """A kind of table: its canonical columns, the header names pages use for each (matched
    ignoring case), and the columns it cannot do without."""

    name: str
    headers: Mapping[str, tuple[str, ...]]
    required: tuple[str, ...]
    note: str = ""  # what the README says of the kind beyond its headers

    @cached_property
    def by_name(self) -> dict[str, str]:
        """Header name (casefolded) -> canonical column."""
        return {name.casefold(): c for c, names in self.headers.items() for name in names}


# The "Accepted page layouts" of docs/layouts.md is generated from these declarations.
RESULT_TABLE = TableKind(
    "results",
    {
        # The race number within a round, in a table holding a whole round.
        "race": ("Heat", "Quarterfinal", "Semifinal", "Race"),
        "rank": ("Rank", "Place"),
        "athlete": ("Athlete", "Name", "Skater"),
        "athletes": ("Athletes", "Skaters"),
        "country": ("Country", "Nation", "NOC", "Team"),
        "result": ("Result", "Time"),
        "gap": ("Deficit", "Gap"),
        "notes": ("Notes", "Note"),
    },
    ("rank", "result"),
    "An individual event's table also needs athlete; a relay's needs country (the team) and "
    "athletes (its skaters). The race column holds the race number in a table of a whole round.",
)
RECORD_TABLE = TableKind(
    "records",
    {
        "date": ("Date",),
        "race": ("Event", "Race", "Round"),
        "holder": ("Team", "Athlete", "Athletes", "Name", "Skater"),
        "country": ("Country", "Nation", "NOC"),
        "time": ("Time", "Result"),
        "olympic": ("OR",),
        "world": ("WR",),
        "record": ("Record",),
    },
    ("date", "race", "time"),
    "And the marks: OR and WR columns, or one Record column (OR, WR or OR, WR).",
)
# "Prior to this competition": rows without a header, read by position, the kind first.
PRIOR_RECORD_TABLE = TableKind(
    "prior records",
    {
        "kind": ("World record", "Olympic record"),
        "holder": ("(2nd cell)",),
        "time": ("(3rd cell)",),
        "place": ("(4th cell)",),
        "date": ("(5th cell)",),
    },
    ("kind", "holder", "time", "place", "date"),
    "No header row: each row is read by position, its first cell naming the record.",
)
# The standing a source prints, under ==Classification== (or ==Final classification==).
STANDING_TABLE = TableKind(
    "classification",
    {
        "rank": ("Rank", "Place", "Pos"),
        "athlete": ("Athlete", "Name", "Skater"),
        "country": ("Country", "Nation", "NOC", "Team"),
    },
    ("rank",),
    "Under ==Classification== or ==Final classification==: an individual event's table needs "
    "athlete, a relay's country (the team); a dash ranks no one. Held against the derived "
    "classification by classification.printed.",
)
TABLE_KINDS = (RESULT_TABLE, RECORD_TABLE, PRIOR_RECORD_TABLE, STANDING_TABLE)


def map_columns(path: str, table: Table, kind: TableKind) -> dict[str, int]:
    """Return canonical column -> cell index, refusing unknown, repeated or missing headers."""
    positions: dict[str, int] = {}
    for index, name in enumerate(table.header):
        column = kind.by_name.get(name.casefold())
        if column is None:
            known = ", ".join(name for names in kind.headers.values() for name in names)
            raise SourceError(path, table.header_line, f"a column header, one of: {known}", name)
        if column in positions:
            raise SourceError(path, table.header_line, f"one {column!r} column", name)
        positions[column] = index
    missing = [column for column in kind.required if column not in positions]
    if missing:
        names = " / ".join(kind.headers[missing[0]])
        raise SourceError(path, table.header_line, f"a {names} column", " | ".join(table.header))
    return positions


def check_width(path: str, table: Table, row: TableRow) -> None:
    """Refuse a row whose cell count differs from its header's."""
    if len(row.cells) != len(table.header):
        raise SourceError(
            path,
            row.line,
            f"{len(table.header)} cells as in the header at line {table.header_line}",
            f"{len(row.cells)} cells",
        )
