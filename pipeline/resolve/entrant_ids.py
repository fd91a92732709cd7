"""Entrants: who races in an event. An athlete in individual events; a team (a nation and its
skaters) in relays. Results, medals and records point at entrants; only the registry and the
identity rules speak of athletes."""

from __future__ import annotations


def athlete_entrant(event_id: str, athlete_id: str) -> str:
    """The entrant key of an athlete in an individual event, e.g. 2006-men-1000m/li-ye."""
    return f"{event_id}/{athlete_id}"


def team_entrant(event_id: str, noc: str) -> str:
    """The entrant key of a nation's team in a relay, e.g. 2010-men-5000m-relay/team-kor."""
    return f"{event_id}/team-{noc.lower()}"
