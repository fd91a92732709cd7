"""The standing a page prints itself (`==Classification==`): a position and an entrant a row."""

from __future__ import annotations

from functools import partial
from typing import NamedTuple

from core.errors import SourceError
from core.rows import EventRow
from pipeline.read.page import Page
from pipeline.read.printed import PrintedEntrant
from pipeline.read.problems import Problems
from pipeline.read.result_cells import parse_rank
from pipeline.read.tables import STANDING_TABLE, Table, TableRow, check_width, map_columns


class PrintedStanding(NamedTuple):
    """One row of a printed classification (at its entrant's line)."""

    position: int | None
    entrant: PrintedEntrant


def _columns(page: Page, table: Table, relay: bool) -> dict[str, int]:
    """Where each column stands: an individual event's table names athletes, a relay's its
    teams by their country (and names no athlete)."""
    columns = map_columns(page.path, table, STANDING_TABLE)
    needed = "country" if relay else "athlete"
    found = " | ".join(table.header)
    if needed not in columns:
        names = " / ".join(STANDING_TABLE.headers[needed])
        kind = "a relay" if relay else "an individual"
        expected = f"a column {names} in {kind} event's classification"
        raise SourceError(page.path, table.header_line, expected, found)
    if relay and "athlete" in columns:
        expected = "a relay's classification by team (Country), without an athlete column"
        raise SourceError(page.path, table.header_line, expected, found)
    return columns


def _standing(
    page: Page, table: Table, row: TableRow, columns: dict[str, int], relay: bool
) -> PrintedStanding:
    check_width(page.path, table, row)
    cells = row.cells
    position = parse_rank(page.path, row.line, cells[columns["rank"]])
    country = cells[columns["country"]] or None if "country" in columns else None
    if relay:  # the team: its nation, no skaters named
        entrant = PrintedEntrant(page.path, row.line, "", country or "", row.line, True)
    else:
        entrant = PrintedEntrant(
            page.path, row.line, cells[columns["athlete"]], country, row.line, False
        )
    return PrintedStanding(position, entrant)


def read_standings(
    page: Page, event: EventRow, tables: list[Table], problems: Problems
) -> list[PrintedStanding]:
    """Every row of the classification tables; a row that cannot be read is kept in
    `problems`, a table that cannot be read is refused."""
    found = []
    for table in tables:
        columns = problems.attempt(partial(_columns, page, table, event.is_relay))
        if columns is None:
            continue  # reported; the page's other problems are still found
        for row in table.rows:
            standing = problems.attempt(
                partial(_standing, page, table, row, columns, event.is_relay)
            )
            if standing is not None:
                found.append(standing)
    return found
