"""The warehouse rows the HTML report draws its events from: one query per table for the
chosen events, grouped by event here, so the report's cost grows with the rows, not with a
round trip per race. Read-only, like every reader of the warehouse."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePath

import duckdb

from report.event_report import Event, Row, build_event

MAX_EVENTS = 100  # drawn in one report (each is some 40 kB): past this, those with failures first


@dataclass(frozen=True)
class Query:
    """One part of the report: the relations it reads (a warehouse built before a relation
    existed lacks it: the part is left empty), rows carrying event_id, and their order (none
    keeps the order of a plain scan: the page's order)."""

    needs: tuple[str, ...]
    select: str
    order: str = ""


QUERIES = {
    "rounds": Query(("rounds",), "SELECT * FROM rounds", "event_id, round_order"),
    "races": Query(("races",), "SELECT * FROM races", "event_id, race_number, race_id"),
    "results": Query(
        ("results", "entrants"),
        """SELECT r.*, coalesce(en.name, r.name_as_printed) AS entrant_name,
                  coalesce(en.noc, r.country_as_printed, '') AS noc
           FROM results AS r LEFT JOIN entrants AS en USING (entrant_id)""",
        "event_id, race_id, rank NULLS LAST, source_line",
    ),
    "records": Query(("records_wide",), "SELECT * FROM records_wide", "event_id, date"),
    "prior_records": Query(
        ("prior_records",), "SELECT * FROM prior_records", "event_id, time_ms DESC, kind"
    ),
    "rules": Query(
        ("advancement_rules",), "SELECT * FROM advancement_rules", "event_id, source_line"
    ),
    "standings": Query(
        ("standings",),
        "SELECT * FROM standings",
        "event_id, position NULLS LAST, points DESC, name",
    ),
    "team_skaters": Query(("team_skaters",), "SELECT * FROM team_skaters"),
}


@dataclass(frozen=True)
class Shown:
    """The events a report draws, and how many the warehouse holds."""

    events: tuple[Event, ...]
    total: int


def _rows(con: duckdb.DuckDBPyConnection, sql: str, **parameters: object) -> list[Row]:
    cursor = con.execute(sql, parameters or None)
    names = [column[0] for column in cursor.description or ()]
    return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


def _chosen(events: list[Row], blamed: Iterable[str], limit: int) -> list[Row]:
    """At most `limit` events in event_id order: first those a failure blames a file of (the
    page or event.toml in the event's folder), then the others."""
    folders = {PurePath(path).parent for path in blamed}
    failing = [e["event_id"] for e in events if PurePath(e["source_file"]).parent in folders]
    first = list(dict.fromkeys(failing + [e["event_id"] for e in events]))[: max(limit, 0)]
    return [e for e in events if e["event_id"] in set(first)]


def load_events(database: Path, blamed: Iterable[str] = (), limit: int = MAX_EVENTS) -> Shown:
    """The events of the warehouse the report draws (see _chosen), in event_id order."""
    with duckdb.connect(str(database), read_only=True) as con:
        present = {
            row["table_name"]
            for row in _rows(con, "SELECT table_name FROM information_schema.tables")
        }
        events = _rows(con, "SELECT * FROM events ORDER BY event_id") if "events" in present else []
        chosen = _chosen(events, blamed, limit)
        ids = [event["event_id"] for event in chosen]
        data = {
            name: _rows(
                con,
                f"SELECT * FROM ({query.select}) AS q WHERE list_contains($ids, q.event_id)"
                + (f" ORDER BY {query.order}" if query.order else ""),
                ids=ids,
            )
            if present.issuperset(query.needs) and ids
            else []
            for name, query in QUERIES.items()
        }
        athletes = (
            _rows(con, "SELECT athlete_id, name FROM athletes") if "athletes" in present else []
        )
    names = {row["athlete_id"]: row["name"] for row in athletes}
    by_event: dict[str, dict[str, list[Row]]] = defaultdict(lambda: defaultdict(list))
    for name, rows in data.items():
        for row in rows:
            by_event[row["event_id"]][name].append(row)
    drawn = tuple(
        build_event(event, by_event[event["event_id"]], names, has_standings="standings" in present)
        for event in chosen
    )
    return Shown(drawn, len(events))
