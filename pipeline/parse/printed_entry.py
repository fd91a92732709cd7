"""A printed entry (a name cell, and a country cell or field) resolved to who races: the
athlete in an individual event; in a relay, the team its country names, each skater listed a
registered athlete. One resolver for the medallists of the infobox and the holders of the
records table."""

from __future__ import annotations

from typing import NamedTuple

from pipeline.errors import SourceError
from pipeline.parse.athletes import resolve_athlete
from pipeline.parse.entrants import athlete_entrant, team_entrant
from pipeline.parse.registry import Registry
from pipeline.parse.teams import split_skaters, team_noc
from pipeline.rows import EventRow


class Entry(NamedTuple):
    athlete_id: str | None  # None for a team
    entrant_id: str


def resolve_entry(
    path: str,
    line: int,
    event: EventRow,
    registry: Registry,
    name: str,
    country: str | None,
    country_line: int,
    team_expected: str,
) -> Entry:
    """The entry a name (and its country, printed at `country_line`) stands for in `event`;
    a relay entry without a country is refused, expecting `team_expected`."""
    on = event.start_date
    if not event.is_relay:
        athlete_id = resolve_athlete(path, line, registry, name, country, on).athlete_id
        return Entry(athlete_id, athlete_entrant(event.event_id, athlete_id))
    if country is None:
        raise SourceError(path, line, team_expected, "none")
    for skater in split_skaters(name):
        registry.resolve(path, line, skater, on)
    noc = team_noc(path, country_line, registry, country)[0]
    return Entry(None, team_entrant(event.event_id, noc))
