"""A results table's layout: its columns, the round (and race) its label or heading names, and
how far its printed places lie from race places; or the reason it cannot be read."""

from __future__ import annotations

from functools import partial

from core.codes import HEAT_CAPTIONED, ROUND_TITLES
from core.errors import SourceError
from pipeline.read.labels import KNOWN_LABELS, ROUND_WORDS, RoundLabel, parse_label, race_label
from pipeline.read.lines import Line
from pipeline.read.page import Page
from pipeline.read.problems import Problems
from pipeline.read.result_cells import may_print_overall_places, parse_rank, place_offset
from pipeline.read.tables import RESULT_TABLE, Table, check_width, map_columns

Layout = tuple[dict[str, int], RoundLabel, Line, bool]  # columns, label, its line, lettered


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
    if heading_label is not None and label.round == "heats" and label.number is not None:
        # `Heat 2` under `Repechage quarterfinals`: the round is the heading's.
        if heading_label.round in HEAT_CAPTIONED:
            label = RoundLabel(heading_label.round, label.number)
    if heading_label is not None and heading_label.round != label.round:
        raise SourceError(
            path,
            place.number,
            f"a {ROUND_TITLES[heading_label.round].lower()} label under "
            f"'{heading.text if heading else ''}'",
            place.text,
        )
    lettered = not (label.round == "finals" and place.text.strip().casefold() == "final")
    return label, place, lettered


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
    column_round = ROUND_WORDS.get(header.casefold().replace("-", ""))
    if column_round == "heats" and label.round in HEAT_CAPTIONED:
        return  # the races of every round captioned by heat are numbered in a Heat column
    if column_round != label.round:
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
    """How far the table's printed places lie from race places (see place_offset)."""
    if not may_print_overall_places(label.round, label.number):
        return 0  # no rank need be read
    printed = [parse_rank(path, row.line, row.cells[columns["rank"]]) for row in table.rows]
    return place_offset(label.round, label.number, printed)


def table_layout(path: str, table: Table, relay: bool) -> Layout:
    """A results table's columns and the round (and race) it holds, or the reason it is
    unreadable."""
    columns = map_columns(path, table, RESULT_TABLE)
    _check_entrant_columns(path, table, columns, relay)
    label, place, lettered = _round_of_table(path, table)
    if not table.lines:
        raise SourceError(path, table.header_line, "at least one result row", "none")
    _check_race_column(path, table, columns, label, place)
    return columns, label, place, lettered


def readable_layout(
    page: Page, table: Table, relay: bool, problems: Problems
) -> tuple[tuple[dict[str, int], RoundLabel, Line, bool], int] | None:
    """A results table's layout and place offset; None, its problems kept, when it cannot be
    read: its header or label, or the places a later final prints. A row of the wrong width
    is reported, and the others are still read for their own problems (the event is refused
    either way, but every problem of the table is in one run)."""
    layout = problems.attempt(partial(table_layout, page.path, table, relay))
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
