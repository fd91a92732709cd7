"""The infobox: typed event facts, every field as printed, and the medalists."""

from __future__ import annotations

import re
from functools import partial
from typing import NamedTuple

from core.errors import SourceError
from core.rows import EventRow, InfoboxRow
from core.timefmt import parse_count
from pipeline.read.competition import Competition, olympic_competition, read_competition
from pipeline.read.dates import parse_date_range
from pipeline.read.page import InfoboxField, Page
from pipeline.read.printed import PrintedEntrant
from pipeline.read.problems import Problems

EVENT_NAME = re.compile(
    r"(?:(Men|Women)['’]s|(Mixed))\s+([0-9]{3,4})\s+metres?(?:\s+(relay))?", re.IGNORECASE
)
EVENT_EXAMPLES = "Men's 1000 metres, Women's 3000 metre relay or Mixed 2000 metre relay"
MAX_COUNT = 9999  # competitors and nations are int16 columns
GAMES = re.compile(r"([0-9]{4})\s+(Winter)")
# An Olympic Games named as a Competition (a Youth Olympics or an Olympic qualifier is not one).
OLYMPIC = re.compile(r"\bolympic", re.IGNORECASE)
NOT_THE_GAMES = re.compile(r"\byouth\b|\bqualif", re.IGNORECASE)
MEDALS = (
    ("gold", 1, "Gold", "Goldnoc"),
    ("silver", 2, "Silver", "Silvernoc"),
    ("bronze", 3, "Bronze", "Bronzenoc"),
)


def _fields(page: Page) -> dict[str, InfoboxField]:
    fields: dict[str, InfoboxField] = {}
    for field in page.infobox:
        key = field.key.casefold()
        if key in fields:
            raise SourceError(page.path, field.line, f"one {field.key} field", field.value)
        fields[key] = field
    return fields


def _required(page: Page, fields: dict[str, InfoboxField], key: str) -> InfoboxField:
    field = fields.get(key.casefold())
    if field is None:
        line = page.infobox[0].line if page.infobox else 1
        raise SourceError(page.path, line, f"an infobox field '- {key}: …'", "none")
    return field


def _count(page: Page, fields: dict[str, InfoboxField], key: str) -> int | None:
    field = fields.get(key.casefold())
    if field is None:
        return None
    count = parse_count(field.value)
    if count is None or count > MAX_COUNT:
        raise SourceError(
            page.path, field.line, f"{key} as a whole number up to {MAX_COUNT}", field.value
        )
    return count


class PrintedMedal(NamedTuple):
    """A medal of the infobox: its fields as printed, and the entrant they name."""

    medal: str
    place: int
    holder: InfoboxField
    noc: InfoboxField | None
    entrant: PrintedEntrant


def _medalist(
    page: Page, event: EventRow, holder: InfoboxField, noc: InfoboxField | None
) -> PrintedEntrant:
    """The entrant of a medal: the athlete; in a relay the team its NOC field names, which
    must be printed. (An individual medallist's NOC field is judged by the check
    tallies.medal-nocs, not held to the athlete here.)"""
    if not event.is_relay:
        return PrintedEntrant(page.path, holder.line, holder.value, None, holder.line, False)
    if noc is None:
        expected = f"a {holder.key}noc field naming the medal team"
        raise SourceError(page.path, holder.line, expected, "none")
    return PrintedEntrant(page.path, holder.line, holder.value, noc.value, noc.line, True)


def same_event_key(event_name: str, competition: str) -> tuple[str, str]:
    """What makes two pages one event: the same event name and competition (case aside).
    `pipeline run` refuses a second page of one event; `pipeline add` refuses to file one."""
    return event_name.casefold(), competition.casefold()


def _competition(
    page: Page, fields: dict[str, InfoboxField]
) -> tuple[Competition, tuple[str, int, str] | None]:
    """The event's competition, and for an Olympic page its Games (as printed, year, season)."""
    games, competition = fields.get("games"), fields.get("competition")
    if games is not None and competition is not None:
        raise SourceError(
            page.path, competition.line, "Games or Competition, not both", competition.value
        )
    if competition is not None:
        if OLYMPIC.search(competition.value) and not NOT_THE_GAMES.search(competition.value):
            expected = "a Games field such as '- Games: 2006 Winter' for the Olympics"
            raise SourceError(page.path, competition.line, expected, competition.value)
        if not competition.value:
            raise SourceError(page.path, competition.line, "a competition's name", "none")
        try:
            return read_competition(competition.value), None
        except ValueError as refused:
            raise SourceError(
                page.path, competition.line, str(refused), competition.value
            ) from None
    if games is None:
        line = page.infobox[0].line if page.infobox else 1
        expected = "an infobox field '- Games: …' or '- Competition: …'"
        raise SourceError(page.path, line, expected, "none")
    games_match = GAMES.fullmatch(games.value)
    if games_match is None:
        raise SourceError(page.path, games.line, "Games such as 2006 Winter", games.value)
    year, season = int(games_match.group(1)), games_match.group(2)
    return olympic_competition(games.value), (games.value, year, season)


def _check_season(
    page: Page, fields: dict[str, InfoboxField], competition: Competition, year: int
) -> None:
    """A season a Competition names holds the event's first day."""
    if competition.season is None or str(year) in competition.season.split("/"):
        return
    field = fields["competition"]
    expected = f"a season that holds the event's dates ({fields['dates'].value})"
    raise SourceError(page.path, field.line, expected, field.value)


def parse_event_facts(page: Page, event_id: str) -> tuple[EventRow, dict[str, InfoboxField]]:
    """The typed event facts of the infobox (no registry needed), and its fields by key."""
    if page.title is None:
        found = "an empty page" if page.first is None else page.first
        raise SourceError(page.path, 1, "a title line '= … ='", found)
    fields = _fields(page)
    event = _required(page, fields, "Event")
    name = EVENT_NAME.fullmatch(event.value)
    if name is None:
        raise SourceError(page.path, event.line, f"an event such as {EVENT_EXAMPLES}", event.value)
    competition, games = _competition(page, fields)
    dates = _required(page, fields, "Dates")
    days = parse_date_range(dates.value)
    if days is None:
        raise SourceError(page.path, dates.line, "Dates such as 15–18 February 2006", dates.value)
    _check_season(page, fields, competition, days[0].year)
    venue = fields.get("venue")
    row = EventRow(
        event_id=event_id,
        title=page.title.text,
        event_name=event.value,
        gender=(name.group(1) or name.group(2)).lower(),
        distance_m=int(name.group(3)),
        games=games[0] if games else None,
        games_year=games[1] if games else None,
        season=games[2] if games else None,
        competition=competition.name,
        competition_kind=competition.kind,
        competition_season=competition.season,
        stage=competition.stage,
        venue=venue.value if venue else None,
        start_date=days[0],
        end_date=days[1],
        competitors_declared=_count(page, fields, "Competitors"),
        nations_declared=_count(page, fields, "Nations"),
        is_relay=name.group(4) is not None,
        teams_declared=_count(page, fields, "Teams"),
        source_file=page.path,
        source_line=page.title.number,
    )
    return row, fields


def read_infobox(
    page: Page, event_id: str, problems: Problems
) -> tuple[EventRow, list[InfoboxRow], list[PrintedMedal]]:
    """Type the infobox into one events row; keep each field; read the medallists (a relay
    medal without its NOC field is kept in `problems`)."""
    row, fields = parse_event_facts(page, event_id)
    infobox = [InfoboxRow(event_id, f.key, f.value, page.path, f.line) for f in page.infobox]
    medals = []
    for medal, place, name_key, noc_key in MEDALS:
        holder = fields.get(name_key.casefold())
        if holder is None:
            continue
        noc = fields.get(noc_key.casefold())
        entrant = problems.attempt(partial(_medalist, page, row, holder, noc))
        if entrant is not None:
            medals.append(PrintedMedal(medal, place, holder, noc, entrant))
    return row, infobox, medals
