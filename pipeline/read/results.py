"""The race result tables: every race a page holds and every result row as printed, its
entrant a printed entrant (no name is looked up here)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import NamedTuple

from core.errors import SourceError
from core.rows import EventRow
from core.timefmt import parse_count, parse_time
from pipeline.read.labels import (
    KNOWN_LABELS,
    ROUND_WORDS,
    RoundLabel,
    parse_label,
    race_id,
    race_label,
)
from pipeline.read.lines import Line
from pipeline.read.notes import Note, parse_note
from pipeline.read.page import Page
from pipeline.read.printed import PrintedEntrant, split_skaters
from pipeline.read.problems import Problems
from pipeline.read.tables import (
    RESULT_TABLE,
    Table,
    TableRow,
    check_width,
    map_columns,
)

NO_RANK = {"", "–", "—", "-"}
RANKS = {str(rank): rank for rank in range(1, 128)}  # the ranks pages print, read at once
STATUSES = {"DQ": "DQ", "DSQ": "DQ", "DNF": "DNF", "DNS": "DNS"}


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
    known = RANKS.get(text)
    if known is not None:
        return known
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
    time_ms, decimals, status = _result(path, row.line, cells[columns["result"]])
    printed_notes = cells[columns["notes"]] or None if "notes" in columns else None
    note = parse_note(printed_notes) if printed_notes else Note(None, None)
    place = parse_rank(path, row.line, cells[columns["rank"]])
    if "gap" in columns:
        _check_gap(path, row.line, cells[columns["gap"]])
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


def _check_gap(path: str, line: int, text: str) -> None:
    """A Deficit/Gap cell: empty, a dash, or a time behind the leader such as +0.147."""
    if text in NO_RANK or parse_time(text.removeprefix("+")) is not None:
        return
    raise SourceError(path, line, "a gap such as +0.147, or –", text)


def _race_number(path: str, line: int, round_name: str, cell: str) -> int:
    """A race-number cell: 1-99, or A/B in the finals."""
    if round_name == "finals" and cell.upper() in ("A", "B"):
        return "AB".index(cell.upper()) + 1
    number = parse_count(cell)
    if round_name == "finals" or number is None or not 1 <= number <= 99:
        expected = "a final A or B" if round_name == "finals" else "a race number from 1 to 99"
        raise SourceError(path, line, expected, cell)
    return number


def _check_race_column(
    path: str, table: Table, columns: dict[str, int], label: RoundLabel, place: Line
) -> None:
    """A race-number column (Heat, Semifinal …) exactly where a label names a whole round, and
    named after that round (or Race)."""
    header = table.header[columns["race"]] if "race" in columns else None
    if (header is not None) != (label.number is None):
        expected = (
            f"no {header} column under a single race label"
            if header is not None
            else "a race-number column (Heat, Quarterfinal, Semifinal), or a label naming one "
            f"race, e.g. {race_label(label.round, 1)}"
        )
        raise SourceError(path, place.number, expected, place.text)
    if header is None or header.casefold() == "race":
        return
    if ROUND_WORDS.get(header.casefold().replace("-", "")) != label.round:
        raise SourceError(
            path, place.number, f"a {header} column only in the {header.lower()}s", place.text
        )


def _check_entrant_columns(path: str, table: Table, columns: dict[str, int], relay: bool) -> None:
    """Individual tables name an athlete; relay tables a country and its athletes."""
    needed = ("country", "athletes") if relay else ("athlete",)
    for column in needed:
        if column not in columns:
            names = " / ".join(RESULT_TABLE.headers[column])
            kind = "relay" if relay else "individual"
            raise SourceError(
                path,
                table.header_line,
                f"a {names} column in a {kind} event",
                " | ".join(table.header),
            )
    if relay and "athlete" in columns:
        raise SourceError(
            path,
            table.header_line,
            "Athletes (a team's skaters) in a relay",
            table.header[columns["athlete"]],
        )


def _place_offset(label: RoundLabel, table: Table, columns: dict[str, int], path: str) -> int:
    """How far printed places lie from race places: 0, except a later final that prints the
    overall places (a Final B whose first place is printed 6 …)."""
    if label.round != "finals" or label.number in (None, 1):
        return 0
    printed = [parse_rank(path, row.line, row.cells[columns["rank"]]) for row in table.rows]
    first = min((place for place in printed if place is not None), default=1)
    return first - 1


def _layout(path: str, table: Table, relay: bool) -> tuple[dict[str, int], RoundLabel, Line, bool]:
    """A results table's columns and the round (and race) it holds, or the reason it is
    unreadable."""
    columns = map_columns(path, table, RESULT_TABLE)
    _check_entrant_columns(path, table, columns, relay)
    label, place, lettered = _round_of_table(path, table)
    if not table.rows:
        raise SourceError(path, table.header_line, "at least one result row", "none")
    _check_race_column(path, table, columns, label, place)
    return columns, label, place, lettered


@dataclass
class ResultsOnPage:
    """The races the results tables hold, their readable result rows, and the entrant of every
    row whose entrant cells read (a row whose time does not read still names someone)."""

    races: list[RaceOnPage]
    results: list[PrintedResult]
    entrants: list[PrintedEntrant]


def _readable(
    page: Page, table: Table, relay: bool, problems: Problems
) -> tuple[tuple[dict[str, int], RoundLabel, Line, bool], int] | None:
    """A results table's layout and place offset; None, its problems kept, when it cannot be
    read: its header or label, or the places a later final prints. A row of the wrong width
    is reported, and the others are still read for their own problems (the event is refused
    either way, but every problem of the table is in one run)."""
    layout = problems.attempt(partial(_layout, page.path, table, relay))
    if layout is None:
        return None
    width = len(table.header)
    if any(len(row.cells) != width for row in table.rows):
        for row in table.rows:
            problems.attempt(partial(check_width, page.path, table, row))
        return layout, 0  # places cannot be read whole: no offset, the rows still read
    columns, label = layout[0], layout[1]
    offset = problems.attempt(partial(_place_offset, label, table, columns, page.path))
    return None if offset is None else (layout, offset)


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
        readable = _readable(page, table, relay, problems)
        if readable is None:
            continue  # reported; the page's other tables are still read
        (columns, label, place, lettered), offset = readable
        names: dict[int, tuple[str, str]] = {}  # race number -> (label, race_id)
        for row in table.rows:
            if len(row.cells) != len(table.header):
                continue  # reported by _readable
            if label.number is None:
                number = _race_number(page.path, row.line, label.round, row.cells[columns["race"]])
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
