"""The records table: new Olympic and world records set during the event."""

from __future__ import annotations

from pipeline.errors import SourceError
from pipeline.parse.athletes import resolve_athlete
from pipeline.parse.dates import parse_day
from pipeline.parse.entrants import athlete_entrant
from pipeline.parse.page import Page
from pipeline.parse.registry import Registry
from pipeline.parse.rounds import parse_label, race_id, race_label
from pipeline.parse.tables import RECORD_TABLE, Table, check_width, map_columns
from pipeline.rows import RecordRow
from pipeline.timefmt import parse_time


def _flag(path: str, line: int, text: str, mark: str) -> bool:
    """An OR/WR cell: the mark itself, or empty."""
    if text and text.upper() != mark:
        raise SourceError(path, line, f"{mark} or an empty cell", text)
    return bool(text)


def parse_records(
    page: Page, event_id: str, year: int, tables: list[Table], registry: Registry
) -> list[RecordRow]:
    """Rows of the records tables; the race is named by its label, e.g. Quarterfinal 1."""
    records = []
    for table in tables:
        columns = map_columns(page.path, table, RECORD_TABLE)
        for row in table.rows:
            check_width(page.path, table, row)
            cells = row.cells
            day = parse_day(cells[columns["date"]], year)
            if day is None:
                raise SourceError(
                    page.path, row.line, "a date such as 15 February", cells[columns["date"]]
                )
            printed_race = cells[columns["race"]]
            label = parse_label(printed_race)
            if label is None or label.number is None:
                raise SourceError(
                    page.path, row.line, "a race label such as Heat 1 or Final A", printed_race
                )
            lettered = printed_race.strip().casefold() != "final"
            time = parse_time(cells[columns["time"]])
            if time is None:
                raise SourceError(
                    page.path, row.line, "a time like 1:27.048", cells[columns["time"]]
                )
            holder = cells[columns["holder"]] or None if "holder" in columns else None
            holder_id = None
            if holder is not None:
                holder_id = resolve_athlete(page.path, row.line, registry, holder, None).athlete_id
            records.append(
                RecordRow(
                    event_id,
                    race_id(event_id, race_label(label.round, label.number, lettered)),
                    day,
                    time[0],
                    time[1],
                    _flag(page.path, row.line, cells[columns["olympic"]], "OR"),
                    _flag(page.path, row.line, cells[columns["world"]], "WR"),
                    holder,
                    holder_id,
                    None if holder_id is None else athlete_entrant(event_id, holder_id),
                    page.path,
                    row.line,
                )
            )
    return records
