"""Entrants: who races in an event. An athlete in individual events; a team (a nation and its
skaters) in relays. Results, medals and records point at entrants; only the registry and the
identity rules speak of athletes."""

from __future__ import annotations

from collections.abc import Iterable

from pipeline.parse.registry import Registry
from pipeline.rows import EntrantRow, ResultRow


def athlete_entrant(event_id: str, athlete_id: str) -> str:
    """The entrant key of an athlete in an individual event, e.g. 2006-men-1000m/li-ye."""
    return f"{event_id}/{athlete_id}"


def team_entrant(event_id: str, noc: str) -> str:
    """The entrant key of a nation's team in a relay, e.g. 2010-men-5000m-relay/team-kor."""
    return f"{event_id}/team-{noc.lower()}"


def entrants_of(
    event_id: str, results: Iterable[ResultRow], registry: Registry
) -> list[EntrantRow]:
    """One row per entrant of the event, at its first result; the NOC is the entry's."""
    entrants: dict[str, EntrantRow] = {}
    for result in results:
        if result.entrant_id in entrants:
            continue
        # Individual results name their athlete; a relay parser states its teams itself.
        assert result.athlete_id is not None, "a team's entrant row comes with its team"
        athlete = registry.by_id[result.athlete_id]
        entrants[result.entrant_id] = EntrantRow(
            result.entrant_id,
            event_id,
            "athlete",
            athlete.athlete_id,
            athlete.noc,
            athlete.name,
            result.source_file,
            result.source_line,
        )
    return list(entrants.values())
