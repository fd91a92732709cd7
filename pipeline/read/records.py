"""The records tables: records standing before the event ("Prior to this competition") and
new Olympic and world records set during it."""

from __future__ import annotations

import datetime as dt
import re
from functools import partial
from typing import NamedTuple

from core.errors import SourceError
from core.rows import EventRow, PriorRecordRow
from core.timefmt import parse_time
from pipeline.read.dates import parse_day
from pipeline.read.labels import parse_label, race_id, race_label
from pipeline.read.page import Page
from pipeline.read.printed import PrintedEntrant
from pipeline.read.problems import Problems
from pipeline.read.tables import (
    PRIOR_RECORD_TABLE,
    RECORD_TABLE,
    Table,
    TableRow,
    check_width,
    map_columns,
)

PRIOR_KINDS = {"world record": "WR", "olympic record": "OR"}


class PrintedRecord(NamedTuple):
    """A new record as printed: where and when it was set, and who holds it."""

    race_id: str
    date: dt.date
    time_ms: int
    time_decimals: int
    is_olympic_record: bool
    is_world_record: bool
    holder_as_printed: str | None
    holder: PrintedEntrant | None  # None when no holder is printed
    source_file: str
    source_line: int


BRACKETED_NOC = re.compile(r"\(([A-Z]{3})\)\s*$")


def is_prior_table(table: Table) -> bool:
    """A "Prior to this competition" table: its first line is already a record row."""
    return table.header[0].casefold() in PRIOR_KINDS


def _flag(path: str, line: int, text: str, mark: str) -> bool:
    """An OR/WR cell: the mark itself, or empty."""
    if text and text.upper() != mark:
        raise SourceError(path, line, f"{mark} or an empty cell", text)
    return bool(text)


def _marks(path: str, row: TableRow, columns: dict[str, int]) -> tuple[bool, bool]:
    """(olympic, world) from OR and WR columns or a Record column; a world record set at the
    Games is an Olympic record too."""
    cells = row.cells
    if "record" in columns:
        words = cells[columns["record"]].replace(",", " ").upper().split()
        if not words or any(word not in ("OR", "WR") for word in words):
            raise SourceError(path, row.line, "OR, WR or OR, WR", cells[columns["record"]])
        world = "WR" in words
        return "OR" in words or world, world
    world = _flag(path, row.line, cells[columns["world"]], "WR")
    return _flag(path, row.line, cells[columns["olympic"]], "OR") or world, world


def _holder(
    path: str, line: int, event: EventRow, holder: str, country: str | None
) -> PrintedEntrant:
    """The printed entrant of a holder: an athlete, held to its Country cell if any; in a relay
    the team its Country cell names, which must be printed."""
    if event.is_relay and country is None:
        raise SourceError(path, line, "a Country cell naming the record team", "none")
    return PrintedEntrant(path, line, holder, country, line, event.is_relay)


def read_records(
    page: Page, event: EventRow, tables: list[Table], problems: Problems
) -> list[PrintedRecord]:
    """Rows of the new-records tables; the race is named by its label, e.g. Quarterfinal 1.
    A relay holder without a Country cell is kept in `problems`."""
    records = []
    for table in tables:
        if is_prior_table(table):
            continue
        columns = _record_columns(page, table)
        for row in table.rows:
            check_width(page.path, table, row)
            record = _record(page, event, row, columns, problems)
            if record is not None:
                records.append(record)
    return records


def _record_columns(page: Page, table: Table) -> dict[str, int]:
    """Where each field of a records table stands; OR and WR columns or a Record column."""
    columns = map_columns(page.path, table, RECORD_TABLE)
    if "record" not in columns and not {"olympic", "world"} <= set(columns):
        raise SourceError(
            page.path,
            table.header_line,
            "OR and WR columns, or a Record column",
            " | ".join(table.header),
        )
    return columns


def _when_and_where(
    page: Page, row: TableRow, columns: dict[str, int], event: EventRow
) -> tuple[dt.date, str, tuple[int, int]]:
    """A record row's day, race id and time (milliseconds, decimals printed)."""
    cells = row.cells
    day = parse_day(cells[columns["date"]], event.start_date.year)
    if day is None:
        raise SourceError(page.path, row.line, "a date such as 15 February", cells[columns["date"]])
    printed_race = cells[columns["race"]]
    label = parse_label(printed_race)
    if label is None or label.number is None:
        raise SourceError(
            page.path, row.line, "a race label such as Heat 1 or Final A", printed_race
        )
    lettered = printed_race.strip().casefold() != "final"
    time = parse_time(cells[columns["time"]])
    if time is None:
        raise SourceError(page.path, row.line, "a time like 1:27.048", cells[columns["time"]])
    return day, race_id(event.event_id, race_label(label.round, label.number, lettered)), time


def _record(
    page: Page,
    event: EventRow,
    row: TableRow,
    columns: dict[str, int],
    problems: Problems,
) -> PrintedRecord | None:
    """One record row; None when its holder cannot be read (kept in `problems`)."""
    day, race, (time_ms, decimals) = _when_and_where(page, row, columns, event)
    olympic, world = _marks(page.path, row, columns)
    cells = row.cells
    holder = cells[columns["holder"]] or None if "holder" in columns else None
    country = cells[columns["country"]] or None if "country" in columns else None
    printed = None
    if holder is not None:
        printed = problems.attempt(partial(_holder, page.path, row.line, event, holder, country))
        if printed is None:
            return None
    return PrintedRecord(
        race,
        day,
        time_ms,
        decimals,
        olympic,
        world,
        holder,
        printed,
        page.path,
        row.line,
    )


def read_prior_records(page: Page, event_id: str, tables: list[Table]) -> list[PriorRecordRow]:
    """Rows of the "Prior to this competition" table: kind, holder (NOC), time, place, date.
    The NOC is the holder's bracketed code, if printed (resolve finds it otherwise)."""
    prior = []
    for table in tables:
        if not is_prior_table(table):
            continue
        for row in (TableRow(table.header_line, table.header), *table.rows):
            cells = row.cells
            if len(cells) != len(PRIOR_RECORD_TABLE.required):
                raise SourceError(
                    page.path,
                    row.line,
                    "5 cells: record, holder, time, place, date",
                    f"{len(cells)} cells",
                )
            kind_cell, holder, time_cell, _place, date_cell = cells
            kind = PRIOR_KINDS.get(kind_cell.casefold())
            if kind is None:
                raise SourceError(page.path, row.line, "World record or Olympic record", kind_cell)
            time = parse_time(time_cell)
            if time is None:
                raise SourceError(page.path, row.line, "a time like 1:20.875", time_cell)
            day = parse_day(date_cell, 0)
            if day is None:
                raise SourceError(page.path, row.line, "a date such as 10 November 2019", date_cell)
            bracketed = BRACKETED_NOC.search(holder)
            noc = bracketed.group(1) if bracketed else None
            prior.append(
                PriorRecordRow(
                    event_id, kind, time[0], time[1], holder, noc, day, page.path, row.line
                )
            )
    return prior
