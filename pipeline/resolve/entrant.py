"""The one athlete-or-team resolver: a printed entrant (of a results row, a records holder or
an infobox medallist) to who raced. In an individual event, the athlete its name cell names,
held to its country; in a relay, the team its country names, each skater a registered athlete."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from core.errors import SourceError
from pipeline.read.printed import PrintedEntrant, split_skaters
from pipeline.resolve.athletes import resolve_athlete
from pipeline.resolve.entrant_ids import athlete_entrant, team_entrant
from pipeline.resolve.registry import Registry
from pipeline.resolve.teams import team_noc


class Skater(NamedTuple):
    """One skater of a relay team's entry, as printed and as resolved."""

    athlete_id: str
    name_as_printed: str
    how: str


class Entrant(NamedTuple):
    """Who a printed entrant is in its event (nothing here depends on where it is printed)."""

    entrant_id: str
    kind: str  # athlete or team
    athlete_id: str | None  # None for a team
    noc: str  # the nationality of the entry on the event's first day
    name: str  # the registered name of the athlete, or the nation's
    how: str  # exact, folded, alias or renamed: how the printed name matched
    name_as_printed: str  # the name without a bracketed NOC; a team: its country as printed
    country_as_printed: str | None
    skaters: tuple[Skater, ...] = ()


class EntrantResolver:
    """Resolves the printed entrants of one event; a spelling is looked up once per event (its
    resolution depends only on the cells and the event's first day)."""

    def __init__(self, event_id: str, on: dt.date, registry: Registry) -> None:
        self.event_id, self.on, self.registry = event_id, on, registry
        self.known: dict[tuple[str, str | None, bool], Entrant] = {}

    def resolve(self, printed: PrintedEntrant) -> Entrant:
        """The entrant `printed` stands for; a SourceError at its line when none is."""
        key = (printed.name, printed.country, printed.relay)
        entrant = self.known.get(key)
        if entrant is None:
            entrant = self._team(printed) if printed.relay else self._athlete(printed)
            self.known[key] = entrant
        return entrant

    def _athlete(self, printed: PrintedEntrant) -> Entrant:
        registry, on = self.registry, self.on
        athlete = resolve_athlete(
            printed.path, printed.line, registry, printed.name, printed.country, on
        )
        athlete_id = athlete.athlete_id
        return Entrant(
            athlete_entrant(self.event_id, athlete_id),
            "athlete",
            athlete_id,
            registry.noc_on(athlete_id, on),
            registry.by_id[athlete_id].name,
            athlete.how,
            athlete.name_as_printed,
            athlete.country_as_printed,
        )

    def _team(self, printed: PrintedEntrant) -> Entrant:
        registry, path = self.registry, printed.path
        if printed.country is None:  # the reader refuses this; a team is named by its nation
            raise SourceError(path, printed.line, "the team's nation", "none")
        noc, how = team_noc(path, printed.country_line, registry, printed.country)
        skaters = []
        for name in split_skaters(printed.name):
            athlete_id, skater_how = registry.resolve(path, printed.line, name, self.on)
            skaters.append(Skater(athlete_id, name, skater_how))
        return Entrant(
            team_entrant(self.event_id, noc),
            "team",
            None,
            noc,
            registry.nation_name(noc),
            how,
            printed.country,
            printed.country,
            tuple(skaters),
        )
