"""What the HTML report shows of an event, assembled from its warehouse rows (read by
checks.event_rows): its rounds as a bracket (every race with its entrants, and where each went
next), its standings and its record chart."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from core.codes import ADVANCING_NOTES, ROUND_ORDER, ROUND_TITLES
from core.timefmt import format_time
from report.record_chart import Point, Prior, RecordChart, record_chart

# What each note means, shown as the bracket's legend.
NOTE_MEANINGS = {
    "Q": "qualified by place",
    "q": "qualified among the fastest of a place",
    "QA": "qualified for Final A",
    "QB": "qualified for Final B",
    "ADV": "advanced by the referee",
    "ADVA": "advanced to Final A by the referee",
    "ADVB": "advanced to Final B by the referee",
    "PEN": "penalty",
    "YC": "yellow card",
}


@dataclass(frozen=True)
class Entry:
    """One entrant's line in a race box."""

    place: int | None
    name: str
    noc: str
    result: str  # the time, or DQ, DNF, DNS
    status: str
    note: str | None
    record_mark: str | None
    advanced: bool  # the note is an advancing one (Q, q, QA, QB, ADV …)
    next_race: str | None  # the race the entrant skated (or was awarded) next
    skaters: tuple[str, ...]  # a relay team's skaters in this race
    source_file: str  # the page row it was read from
    source_line: int


@dataclass(frozen=True)
class Race:
    label: str
    date: datetime.date | None
    contested: bool
    entries: tuple[Entry, ...]
    awarded: tuple[str, ...]  # an uncontested race: who the classification placed from it


@dataclass(frozen=True)
class Round:
    name: str
    title: str
    date: datetime.date | None
    rules: tuple[str, ...]  # who advances, e.g. "Q: places 1–2"
    races: tuple[Race, ...]


@dataclass(frozen=True)
class Standing:
    position: int | None
    name: str
    noc: str
    last_race: str
    points: float
    best_time: str | None
    status: str


@dataclass(frozen=True)
class Event:
    event_id: str
    name: str
    competition: str
    start_date: datetime.date
    end_date: datetime.date
    venue: str | None
    is_relay: bool
    rounds: tuple[Round, ...]
    standings: tuple[Standing, ...] | None  # None: the warehouse has no classification
    chart: RecordChart | None  # None: no records and no prior records


Row = dict[str, Any]  # a warehouse row by column name
RaceKey = tuple[str, str]  # (race_id, entrant_id)


def _time(ms: int | None, decimals: int | None) -> str | None:
    """A time as printed; a value no page could hold (a tampered warehouse) as its number."""
    if ms is None:
        return None
    try:
        return format_time(ms, decimals or 3)
    except ValueError:
        return f"{ms} ms"


def rule_text(rule: Row, next_round: str | None = None) -> str:
    """An advancement rule as read: `Q: places 1–2`, `q: place 3, the 2 fastest`,
    `QA: places 1–2 → Final A`, `no note: places 3–4 → Repechage quarterfinals` (the round
    shown for a rule without a note, or where it is not the event's next one)."""
    low, high = rule["rank_min"], rule["rank_max"]
    note = rule["note"] if rule["note"] is not None else "no note"
    text = f"{note}: " + (f"place {low}" if low == high else f"places {low}–{high}")
    if rule["fastest"] is not None:
        text += f", the {rule['fastest']} fastest"
    if rule["to_label"] is not None:
        text += f" → {rule['to_label']}"
    elif rule.get("to_round") is not None and (
        rule["note"] is None or rule["to_round"] != next_round
    ):
        text += f" → {ROUND_TITLES.get(rule['to_round'], rule['to_round'])}"
    return text


def _step(race: Row) -> tuple[int, int, str]:
    """Where a race comes in skating order, with its label."""
    return ROUND_ORDER.get(race["round"], 0), race["race_number"] or 0, race["label"]


def _next_races(
    results: list[Row], awarded: list[Row], races: dict[str, Row]
) -> dict[RaceKey, str]:
    """(race_id, entrant_id) → the label of the entrant's next race in a later round (an
    uncontested final counts for those placed from it)."""
    path: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for row in results:
        path[row["entrant_id"]].append(_step(races[row["race_id"]]))
    for row in awarded:
        path[row["entrant_id"]].append(_step(row["race"]))
    following: dict[RaceKey, str] = {}
    for row in results:
        order = _step(races[row["race_id"]])[0]
        later = sorted(step for step in path[row["entrant_id"]] if step[0] > order)
        if later:
            following[(row["race_id"], row["entrant_id"])] = later[0][2]
    return following


def _entries(
    data: dict[str, list[Row]], races: dict[str, Row], athlete_names: dict[str, str]
) -> dict[str, list[Entry]]:
    """Each race's entries, in finishing order."""
    results = [row for row in data["results"] if row["race_id"] in races]
    skaters: dict[RaceKey, list[str]] = defaultdict(list)
    for row in data["team_skaters"]:
        name = athlete_names.get(row["athlete_id"]) or row["name_as_printed"]
        skaters[(row["race_id"], row["entrant_id"])].append(name)
    next_race = _next_races(results, _awarded(data, races), races)
    entries: dict[str, list[Entry]] = defaultdict(list)
    for row in results:
        key = (row["race_id"], row["entrant_id"])
        printed = row["place_as_printed"]
        entries[row["race_id"]].append(
            Entry(
                place=printed if printed is not None else row["rank"],
                name=row["entrant_name"],
                noc=row["noc"],
                result=_time(row["time_ms"], row["time_decimals"]) or row["status"],
                status=row["status"],
                note=row["note"],
                record_mark=row["record_mark"],
                advanced=row["note"] in ADVANCING_NOTES,
                next_race=next_race.get(key),
                skaters=tuple(skaters.get(key, ())),
                source_file=row["source_file"],
                source_line=row["source_line"],
            )
        )
    return entries


def _awarded(data: dict[str, list[Row]], races: dict[str, Row]) -> list[Row]:
    """Standings rows whose last race is an uncontested one, each with that race."""
    uncontested = {race["label"]: race for race in races.values() if not race["contested"]}
    return [
        {**row, "race": uncontested[row["last_race"]]}
        for row in data["standings"]
        if row["last_race"] in uncontested
    ]


def _rounds(
    data: dict[str, list[Row]], races: dict[str, Row], athlete_names: dict[str, str]
) -> tuple[Round, ...]:
    entries = _entries(data, races, athlete_names)
    awarded = _awarded(data, races)
    dates = {row["round"]: row["date"] for row in data["rounds"]}
    round_names = {race["round"] for race in races.values()} | set(dates)
    ordered = sorted(round_names, key=lambda name: ROUND_ORDER.get(name, 0))
    following = dict(zip(ordered, [*ordered[1:], None], strict=True))
    return tuple(
        Round(
            name=name,
            title=ROUND_TITLES.get(name, name),
            date=dates.get(name),
            rules=tuple(
                rule_text(rule, following[name]) for rule in data["rules"] if rule["round"] == name
            ),
            races=tuple(
                Race(
                    label=race["label"],
                    date=race["date"],
                    contested=race["contested"],
                    entries=tuple(entries[race["race_id"]]),
                    awarded=tuple(
                        f"{row['position'] or '–'}. {row['name']} ({row['noc']})"
                        for row in awarded
                        if row["race"]["race_id"] == race["race_id"]
                    ),
                )
                for race in races.values()
                if race["round"] == name
            ),
        )
        for name in ordered
    )


def _chart(data: dict[str, list[Row]], races: dict[str, Row]) -> RecordChart | None:
    in_order = sorted((race for race in races.values() if race["contested"]), key=_step)
    return record_chart(
        [(race["label"], race["round"]) for race in in_order],
        [
            Point(
                row["race_label"],
                row["time_ms"],
                row["time"],
                row["holder"],
                row["noc"],
                "WR" if row["is_world_record"] else "OR",
                row["source_file"],
                row["source_line"],
            )
            for row in data["records"]
        ],
        [
            Prior(
                row["kind"],
                row["time_ms"],
                _time(row["time_ms"], row["time_decimals"]) or "",
                row["athlete_name"],
                row["noc"],
                row["date"],
            )
            for row in data["prior_records"]
        ],
    )


def build_event(
    event: Row, data: dict[str, list[Row]], athlete_names: dict[str, str], has_standings: bool
) -> Event:
    """One event of the report from its rows (`data`: rows by query name, see event_rows)."""
    races = {race["race_id"]: race for race in data["races"]}
    standings = tuple(
        Standing(
            position=row["position"],
            name=row["name"],
            noc=row["noc"],
            last_race=row["last_race"],
            points=row["points"],
            best_time=row["best_time"],
            status=row["status"],
        )
        for row in data["standings"]
    )
    return Event(
        event_id=event["event_id"],
        name=event["event_name"],
        competition=event["competition"],
        start_date=event["start_date"],
        end_date=event["end_date"],
        venue=event["venue"],
        is_relay=event["is_relay"],
        rounds=_rounds(data, races, athlete_names),
        standings=standings if has_standings else None,
        chart=_chart(data, races),
    )
