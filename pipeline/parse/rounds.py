"""Round and race labels (`Heats`, `Quarterfinal 1`, `Final A`) and the race result tables."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.errors import SourceError
from pipeline.parse.athletes import resolve_athlete
from pipeline.parse.entrants import athlete_entrant
from pipeline.parse.lines import Line
from pipeline.parse.page import Page
from pipeline.parse.registry import Registry
from pipeline.parse.tables import (
    RESULT_TABLE,
    Table,
    TableRow,
    check_width,
    map_columns,
)
from pipeline.rows import ResultRow
from pipeline.timefmt import parse_count, parse_time

ROUND_WORDS = {
    "heat": "heats",
    "quarterfinal": "quarterfinals",
    "semifinal": "semifinals",
    "final": "finals",
}
LABEL = re.compile(
    r"(heat|quarter-?final|semi-?final|final)(s?)(?:\s+([0-9]{1,2}|[A-Za-z]))?", re.IGNORECASE
)
KNOWN_LABELS = "Heats, Heat 1, Quarterfinals, Quarterfinal 1, Semifinal 1, Final, Final A, Final B"
NO_RANK = {"", "–", "—", "-"}
STATUSES = {"DQ": "DQ", "DSQ": "DQ", "DNF": "DNF", "DNS": "DNS"}


@dataclass(frozen=True, slots=True)
class RoundLabel:
    """A parsed label: the round, and the race within it when the label names one."""

    round: str
    number: int | None


@dataclass(frozen=True, slots=True)
class RaceOnPage:
    """A race found on the page, with the line that introduces it."""

    round: str
    number: int
    label: str
    line: int


def parse_label(text: str) -> RoundLabel | None:
    """`Quarterfinal 3` -> (quarterfinals, 3); `Heats` -> (heats, None); `Final B` -> (finals, 2)"""
    match = LABEL.fullmatch(text.strip())
    if match is None:
        return None
    word, plural, race = match.groups()
    round_name = ROUND_WORDS[word.casefold().replace("-", "")]
    if race is None:
        # A bare `Final` is the one race of the finals; `Heats` names a whole round.
        if plural:
            return RoundLabel(round_name, None)
        return RoundLabel(round_name, 1) if round_name == "finals" else None
    if plural:
        return None
    if race.isascii() and race.isdigit():
        if round_name == "finals" or int(race) < 1:
            return None
        return RoundLabel(round_name, int(race))
    if round_name != "finals" or race.upper() not in "AB":
        return None
    return RoundLabel(round_name, "AB".index(race.upper()) + 1)


def race_label(round_name: str, number: int, lettered_final: bool = True) -> str:
    """Canonical label: `Heat 2`, `Quarterfinal 1`, `Final A` (or `Final` when not lettered)."""
    if round_name == "finals":
        return f"Final {'AB'[number - 1]}" if lettered_final else "Final"
    return f"{round_name[:-1].capitalize()} {number}"


def race_id(event_id: str, label: str) -> str:
    """Stable race key, e.g. `2006-men-1000m/final-a`."""
    return f"{event_id}/{label.lower().replace(' ', '-')}"


def _round_of_table(path: str, table: Table) -> tuple[RoundLabel, Line, bool]:
    """Which round (and race) a results table holds, from its caption or else its heading."""
    heading = table.subsection
    heading_label = parse_label(heading.text) if heading else None
    if heading is not None and heading_label is None:
        raise SourceError(path, heading.number, f"a round heading ({KNOWN_LABELS})", heading.text)
    place = table.caption or heading
    if place is None:
        raise SourceError(
            path, table.header_line, "a round label or heading above the table", "none"
        )
    label = parse_label(place.text)
    if label is None:
        raise SourceError(path, place.number, f"a round label ({KNOWN_LABELS})", place.text)
    if heading_label is not None and heading_label.round != label.round:
        raise SourceError(
            path,
            place.number,
            f"a {heading_label.round} label under '{heading.text if heading else ''}'",
            place.text,
        )
    lettered = not (label.round == "finals" and place.text.strip().casefold() == "final")
    return label, place, lettered


def parse_rank(path: str, line: int, text: str) -> int | None:
    """A rank cell: a whole number, or – for none (whether it is a sensible rank is a check)."""
    if text in NO_RANK:
        return None
    rank = parse_count(text)
    if rank is None or rank > 127:
        raise SourceError(path, line, "a rank (a whole number up to 127) or –", text)
    return rank


def _result(path: str, line: int, text: str) -> tuple[int | None, int | None, str]:
    """A result cell: (time_ms, decimals, status) from `1:27.048`, `41.80` or DQ/DNF/DNS."""
    status = STATUSES.get(text.upper())
    if status is not None:
        return None, None, status
    parsed = parse_time(text)
    if parsed is None:
        raise SourceError(path, line, "a time like 1:27.048 or 41.80, or DQ/DNF/DNS", text)
    return parsed[0], parsed[1], "finished"


def _result_row(
    path: str,
    event_id: str,
    race: str,
    row: TableRow,
    columns: dict[str, int],
    registry: Registry,
) -> ResultRow:
    cells = row.cells
    country = cells[columns["country"]] or None if "country" in columns else None
    athlete = resolve_athlete(path, row.line, registry, cells[columns["athlete"]], country)
    time_ms, decimals, status = _result(path, row.line, cells[columns["result"]])
    note = cells[columns["notes"]] or None if "notes" in columns else None
    return ResultRow(
        event_id,
        race,
        athlete_entrant(event_id, athlete.athlete_id),
        athlete.athlete_id,
        athlete.name_as_printed,
        athlete.how,
        athlete.country_as_printed,
        parse_rank(path, row.line, cells[columns["rank"]]),
        time_ms,
        decimals,
        status,
        note,
        path,
        row.line,
    )


def parse_results(
    page: Page, event_id: str, registry: Registry, tables: list[Table]
) -> tuple[list[RaceOnPage], list[ResultRow]]:
    """Every race and result row of the results tables, in page order."""
    races: dict[str, RaceOnPage] = {}
    results: list[ResultRow] = []
    for table in tables:
        columns = map_columns(page.path, table, RESULT_TABLE)
        label, place, lettered = _round_of_table(page.path, table)
        if not table.rows:
            raise SourceError(page.path, table.header_line, "at least one result row", "none")
        if ("heat" in columns) != (label.number is None):
            expected = (
                "no Heat column under a single race label"
                if "heat" in columns
                else f"a Heat column, or a label naming one race, e.g. {race_label(label.round, 1)}"
            )
            raise SourceError(page.path, place.number, expected, place.text)
        if "heat" in columns and label.round != "heats":
            raise SourceError(
                page.path, place.number, "a Heat column only in the heats", place.text
            )
        names: dict[int, tuple[str, str]] = {}  # race number -> (label, race_id)
        for row in table.rows:
            check_width(page.path, table, row)
            if label.number is None:
                heat = row.cells[columns["heat"]]
                heat_number = parse_count(heat)
                if heat_number is None or not 1 <= heat_number <= 99:
                    raise SourceError(page.path, row.line, "a heat number from 1 to 99", heat)
                number, line = heat_number, row.line
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
            results.append(_result_row(page.path, event_id, race, row, columns, registry))
    return list(races.values()), results
