"""One NamedTuple per warehouse table: what the parsers emit, in the column order of `model.py`."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple


class EventRow(NamedTuple):
    event_id: str
    title: str
    event_name: str
    gender: str
    distance_m: int
    games: str | None
    games_year: int | None
    season: str | None
    competition: str
    competition_kind: str
    competition_season: str | None
    stage: int | None
    venue: str | None
    start_date: dt.date
    end_date: dt.date
    competitors_declared: int | None
    nations_declared: int | None
    is_relay: bool
    teams_declared: int | None
    source_file: str
    source_line: int


class InfoboxRow(NamedTuple):
    event_id: str
    key: str
    value: str
    source_file: str
    source_line: int


class MedalRow(NamedTuple):
    event_id: str
    medal: str
    place: int
    entrant_id: str
    athlete_id: str | None
    name_as_printed: str
    noc_as_printed: str | None
    noc_source_line: int | None
    source_file: str
    source_line: int


class NationRow(NamedTuple):
    noc: str
    name: str
    source_file: str
    source_line: int


class AthleteRow(NamedTuple):
    athlete_id: str
    name: str
    noc: str
    source_file: str
    source_line: int


class AliasRow(NamedTuple):
    alias: str
    athlete_id: str
    reason: str
    since: dt.date | None
    source_file: str
    source_line: int


class NationalityRow(NamedTuple):
    athlete_id: str
    noc: str
    since: dt.date
    reason: str
    source_file: str
    source_line: int


class RoundRow(NamedTuple):
    event_id: str
    round: str
    round_order: int
    date: dt.date
    date_source_file: str
    date_source_line: int
    seeded: bool
    source_file: str
    source_line: int


class RaceRow(NamedTuple):
    race_id: str
    event_id: str
    round: str
    race_number: int
    label: str
    date: dt.date
    contested: bool
    source_file: str
    source_line: int


class EntrantRow(NamedTuple):
    entrant_id: str
    event_id: str
    kind: str
    athlete_id: str | None
    noc: str
    name: str
    source_file: str
    source_line: int


class TeamSkaterRow(NamedTuple):
    event_id: str
    race_id: str
    entrant_id: str
    athlete_id: str
    name_as_printed: str
    name_match: str
    source_file: str
    source_line: int


class ResultRow(NamedTuple):
    event_id: str
    race_id: str
    entrant_id: str
    athlete_id: str | None
    name_as_printed: str
    name_match: str
    country_as_printed: str | None
    rank: int | None
    place_as_printed: int | None
    time_ms: int | None
    time_decimals: int | None
    status: str
    note: str | None
    record_mark: str | None
    notes_as_printed: str | None
    source_file: str
    source_line: int


class RecordRow(NamedTuple):
    event_id: str
    race_id: str
    date: dt.date
    time_ms: int
    time_decimals: int
    is_olympic_record: bool
    is_world_record: bool
    holder_as_printed: str | None
    holder_athlete_id: str | None
    holder_entrant_id: str | None
    source_file: str
    source_line: int


class PriorRecordRow(NamedTuple):
    event_id: str
    kind: str
    time_ms: int
    time_decimals: int
    athlete_name: str
    noc: str | None
    date: dt.date
    source_file: str
    source_line: int


class AdvancementRuleRow(NamedTuple):
    event_id: str
    round: str
    note: str | None
    rank_min: int
    rank_max: int
    fastest: int | None
    to_round: str | None
    to_label: str | None
    source_file: str
    source_line: int


class ClassificationRow(NamedTuple):
    event_id: str
    position: int | None
    entrant_id: str
    athlete_id: str | None
    noc: str
    last_round: str
    last_race: str
    place_in_last_race: int | None
    points: float
    best_time_ms: int | None
    status: str
    source_file: str
    source_line: int


class PrintedStandingRow(NamedTuple):
    event_id: str
    entrant_id: str
    position_as_printed: int | None
    name_as_printed: str
    source_file: str
    source_line: int


class WaiverRow(NamedTuple):
    check_id: str
    file: str
    line: int
    reason: str
    source_file: str
    source_line: int


class ReferenceEventRow(NamedTuple):
    reference_id: str
    games: str
    games_year: int
    host: str
    event: str
    gender: str
    distance_m: int
    is_relay: bool
    dates: str
    participants: int
    countries: int
    source_file: str
    source_line: int


class ReferencePodiumRow(NamedTuple):
    reference_id: str
    medal: str
    place: int
    name: str
    noc: str
    athlete_id: str | None
    name_match: str
    source_file: str
    source_line: int


class ReferenceMedalRow(NamedTuple):
    reference_id: str
    year: int
    city: str
    athlete: str
    noc: str
    gender: str
    event: str
    distance_m: int
    is_relay: bool
    medal: str
    athlete_id: str | None
    name_match: str
    source_file: str
    source_line: int


class FailureRow(NamedTuple):
    check_id: str
    severity: str
    event_id: str | None
    source_file: str
    source_line: int
    message: str
    expected: str
    found: str
    waived: bool
    waiver_reason: str | None
    note: str | None


class CheckRow(NamedTuple):
    check_id: str
    family: str
    severity: str
    status: str
    failures: int
    description: str
