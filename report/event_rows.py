"""The warehouse rows the HTML report draws its events from: one query per table for the
chosen events, grouped by event here, so the report's cost grows with the rows, not with a
round trip per race. Read-only, like every reader of the warehouse."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from checks.shape import table_kinds
from report.event_report import Event, Row, build_event


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
    """What the report reads of the warehouse: every event's row (for the overview), the
    events it draws, and each competition's medal table rows."""

    index: tuple[Row, ...]
    events: tuple[Event, ...]
    medals: tuple[Row, ...] = ()
    coverage: tuple[Row, ...] = ()  # the coverage view's rows: reference events, held or not

    @property
    def total(self) -> int:
        return len(self.index)


# Given every event's row, the ids of those to draw.
Chooser = Callable[[list[Row]], Iterable[str]]


def every_event(events: list[Row]) -> list[str]:
    return [event["event_id"] for event in events]


def _rows(con: duckdb.DuckDBPyConnection, sql: str, **parameters: object) -> list[Row]:
    cursor = con.execute(sql, parameters or None)
    names = [column[0] for column in cursor.description or ()]
    return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


def load_events(database: Path, choose: Chooser = every_event) -> Shown:
    """Every event's row, the chosen events drawn (in event_id order) and the medal tables."""
    with duckdb.connect(str(database), read_only=True) as con:
        present = set(table_kinds(con))
        events = _rows(con, "SELECT * FROM events ORDER BY event_id") if "events" in present else []
        wanted = set(choose(events))
        chosen = [event for event in events if event["event_id"] in wanted]
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
        # The medal tables of each competition: a warehouse built before they had one has none.
        by_competition = "medal_table" in present and any(
            row["column_name"] == "competition"
            for row in _rows(
                con,
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_name = 'medal_table'",
            )
        )
        medals = _rows(con, "SELECT * FROM medal_table") if by_competition else []
        coverage = _rows(con, "SELECT * FROM coverage") if "coverage" in present else []
    names = {row["athlete_id"]: row["name"] for row in athletes}
    by_event: dict[str, dict[str, list[Row]]] = defaultdict(lambda: defaultdict(list))
    for name, rows in data.items():
        for row in rows:
            by_event[row["event_id"]][name].append(row)
    drawn = tuple(
        build_event(event, by_event[event["event_id"]], names, has_standings="standings" in present)
        for event in chosen
    )
    return Shown(tuple(events), drawn, tuple(medals), tuple(coverage))
