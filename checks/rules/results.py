"""Rules on each result row: ranges, accepted values, uniqueness, status against time and rank."""

from __future__ import annotations

import duckdb
import pandera.polars as pa
import polars as pl

from checks.framework.check import Check, Failure
from checks.framework.keyed import KEYED_RESULTS
from checks.framework.rule import Rule
from checks.framework.validate import validate
from core.codes import NOTES, PENALTY, YELLOW_CARD

# Paces outside these bounds are typos, not races: 75 ms/m is faster than any world record
# (500 m in 37.5 s), 200 ms/m slower than a skater who fell and finished (1000 m in 3:20).
FASTEST_MS_PER_M, SLOWEST_MS_PER_M = 75, 200

RANK_RANGE = Check(
    id="results.rank-range",
    severity="error",
    description="A printed rank is 1 or more.",
    message="{name_as_printed} in {race_label} has rank {rank}",
    expected="a rank of 1 or more",
    found="{rank}",
)
TIME_PLAUSIBLE = Check(
    id="results.time-plausible",
    severity="error",
    description=f"A time lies between {FASTEST_MS_PER_M} and {SLOWEST_MS_PER_M} ms per metre of "
    f"the distance.",
    message="{name_as_printed} in {race_label} has an implausible {distance_m} m time",
    expected="{fastest} to {slowest}",
    found="{time}",
)
NOTE_VALUES = Check(
    id="results.note-values",
    severity="error",
    description=f"A note is one of {', '.join(NOTES)}.",
    message="{name_as_printed} in {race_label} has an unknown note",
    expected=f"one of {', '.join(NOTES)}",
    found="{note!r}",
)
STATUS_TIME = Check(
    id="results.status-time",
    severity="error",
    description="A finisher has a rank and a time; a `no time` a rank and no time; a DQ, DNF "
    "or DNS has neither.",
    message="{name_as_printed} in {race_label} is {status} with rank {rank} and time {time}",
    expected="{status_needs}",
    found="rank {rank}, time {time}",
)
ONE_RESULT_PER_ATHLETE = Check(
    id="results.one-per-athlete",
    severity="error",
    description="An entrant (an athlete, or a relay team) has one result per race.",
    message="{name_as_printed} appears {entries} times in {race_label}",
    expected="one row per athlete",
    found="{entries} rows",
)
ONE_RACE_PER_ROUND = Check(
    id="results.one-race-per-round",
    severity="error",
    description="An entrant skates one race of each round (in two heats, one row is a copy or "
    "names the wrong skater).",
    message="{name_as_printed} skates {round_races} races of one round: {races_of_round}",
    expected="one race of the round",
    found="{races_of_round}",
)
UNIQUE_RANK = Check(
    id="results.unique-rank",
    severity="error",
    description="Finishing ranks are unique within a race, except a dead heat (same rank, same "
    "time).",
    message="rank {rank} in {race_label} is shared by {rank_holders} skaters with different times",
    expected="a unique rank or a dead heat",
    found="{rank_holders} skaters at rank {rank}",
)
PENALTY_DQ = Check(
    id="results.penalty-dq",
    severity="error",
    description="A penalty (PEN) is a disqualification: DQ in the Result column.",
    message="{name_as_printed} in {race_label} has the note {note} and the result {status}",
    expected="DQ with the note {note}",
    found="{status}",
)
YELLOW_CARD_OUT = Check(
    id="results.yellow-card-out",
    severity="error",
    description="A yellow card (YC) puts a skater out of the rest of the competition: no result "
    "in a later round.",
    message="{name_as_printed} has a yellow card in {race_label} and skates in a later round",
    expected="no result after the yellow card",
    found="a result in a later round",
)
CHECKS = (
    RANK_RANGE,
    TIME_PLAUSIBLE,
    NOTE_VALUES,
    STATUS_TIME,
    ONE_RESULT_PER_ATHLETE,
    ONE_RACE_PER_ROUND,
    UNIQUE_RANK,
    PENALTY_DQ,
    YELLOW_CARD_OUT,
)

# Which races of one round an entrant skates is named only in a failure's message: a window
# `string_agg(DISTINCT …)` over every result cost 3.7 s at 10,000 events, so only the few
# entrants whose races of a round differ are aggregated. The counts a result needs (its
# entrant's rows in its race, its races of the round, the holders of its rank) are grouped
# over the frame's own rows for the exceptional groups only (more than one row, or races that
# differ) and joined back: a result in none of them counts one. Windows partitioning every
# result three ways cost 1.06 s at 10,000 events, this 0.5 s. Partitions treat NULL keys as
# equal, so the joins do too (IS NOT DISTINCT FROM).
FRAME_SQL = f"""
WITH base AS MATERIALIZED (
SELECT r.event_key, r.round, r.entrant_key, r.race_key, r.round_order,
       r.name_as_printed, r.rank, r.time_ms, r.status, r.note, r.source_file, r.source_line,
       r.race_label, CAST(e.distance_m AS INTEGER) AS distance_m,
       r.time_decimals,
       CAST(e.distance_m AS INTEGER) * {FASTEST_MS_PER_M} AS fastest_ms,
       CAST(e.distance_m AS INTEGER) * {SLOWEST_MS_PER_M} AS slowest_ms,
       CASE WHEN r.status = 'finished' THEN 'a rank and a time'
            WHEN r.status = 'no time' THEN 'a rank and no time'
            ELSE 'no rank and no time' END AS status_needs
FROM keyed_results AS r
JOIN events AS e ON e.event_id = r.event_id
),
twice AS (
    -- An entrant with more than one row in a race.
    SELECT race_key, entrant_key, count(*) AS entries
    FROM base GROUP BY ALL HAVING count(*) > 1
),
apart AS (
    -- Races of a round that differ, or none that exists (a dangling race_id): not one race.
    SELECT event_key, round, entrant_key, true AS differ
    FROM base GROUP BY ALL HAVING min(race_key) IS NULL OR min(race_key) <> max(race_key)
),
shared AS (
    -- A rank more than one row of a race holds; a dead heat if every holder has a time, and
    -- it is one time ('no time' shares no rank).
    SELECT race_key, rank, count(*) AS holders,
           count(time_ms) = count(*) AND min(time_ms) = max(time_ms) AS times_equal
    FROM base GROUP BY ALL HAVING count(*) > 1
),
frame AS NOT MATERIALIZED (
SELECT b.* EXCLUDE (round_order),
       coalesce(twice.entries, 1) AS entries,
       coalesce(apart.differ, false) AS several_races,
       b.round_order = max(b.round_order) OVER (PARTITION BY b.event_key, b.entrant_key)
           AS in_last_round,
       coalesce(shared.holders, 1) AS rank_holders,
       -- A rank of one row: that row's time.
       CASE WHEN shared.holders IS NULL THEN b.time_ms IS NOT NULL
            ELSE shared.times_equal END AS rank_times_equal
FROM base AS b
LEFT JOIN twice
  ON twice.race_key IS NOT DISTINCT FROM b.race_key
 AND twice.entrant_key IS NOT DISTINCT FROM b.entrant_key
LEFT JOIN apart
  ON apart.event_key IS NOT DISTINCT FROM b.event_key
 AND apart.round IS NOT DISTINCT FROM b.round
 AND apart.entrant_key IS NOT DISTINCT FROM b.entrant_key
LEFT JOIN shared
  ON shared.race_key IS NOT DISTINCT FROM b.race_key
 AND shared.rank IS NOT DISTINCT FROM b.rank
),
several AS (
    SELECT event_key, round, entrant_key, count(DISTINCT race_key) AS round_races,
           string_agg(DISTINCT race_label, ', ' ORDER BY race_label) AS races_of_round
    FROM frame WHERE several_races GROUP BY ALL
)
SELECT f.* EXCLUDE (event_key, round, entrant_key, race_key, several_races),
       coalesce(s.round_races, 1) AS round_races, s.races_of_round
FROM frame AS f
LEFT JOIN several AS s  -- a missing entrant (a broken key) groups as the window did
  ON s.event_key IS NOT DISTINCT FROM f.event_key AND s.round IS NOT DISTINCT FROM f.round
 AND s.entrant_key IS NOT DISTINCT FROM f.entrant_key
"""


class ResultRules(pa.DataFrameModel):
    """One row per result, with its race's distance and the counts uniqueness needs."""

    rank: pl.Int8 = pa.Field(nullable=True, description="Printed rank.")
    time_ms: pl.Int32 = pa.Field(nullable=True, description="Time in milliseconds.")
    status: pl.String = pa.Field(description="finished, no time, DQ, DNF or DNS.")
    note: pl.String = pa.Field(nullable=True, description="Note as printed.")
    distance_m: pl.Int32 = pa.Field(description="The event's distance.")
    entries: pl.Int64 = pa.Field(description="Rows of this entrant in this race.")
    round_races: pl.Int64 = pa.Field(description="Races of this round the entrant skates.")
    rank_holders: pl.Int64 = pa.Field(description="Rows sharing this rank in this race.")
    rank_times_equal: pl.Boolean = pa.Field(nullable=True, description="They share one time.")
    in_last_round: pl.Boolean = pa.Field(description="The entrant skates no later round.")

    @pa.check("rank", name=RANK_RANGE.id)
    def _rank_range(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("rank").is_null() | (pl.col("rank") >= 1))

    @pa.dataframe_check(name=TIME_PLAUSIBLE.id)
    def _time_plausible(cls, data: pa.PolarsData) -> pl.LazyFrame:
        time, distance = pl.col("time_ms"), pl.col("distance_m")
        within = time.is_between(distance * FASTEST_MS_PER_M, distance * SLOWEST_MS_PER_M)
        return data.lazyframe.select(time.is_null() | within)

    @pa.check("note", name=NOTE_VALUES.id)
    def _note_values(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("note").is_null() | pl.col("note").is_in(NOTES))

    @pa.dataframe_check(name=STATUS_TIME.id)
    def _status_time(cls, data: pa.PolarsData) -> pl.LazyFrame:
        has_rank, has_time = pl.col("rank").is_not_null(), pl.col("time_ms").is_not_null()
        consistent = (
            pl.when(pl.col("status") == "finished")
            .then(has_rank & has_time)
            .when(pl.col("status") == "no time")
            .then(has_rank & ~has_time)
            .otherwise(~has_rank & ~has_time)
        )
        return data.lazyframe.select(consistent)

    @pa.check("entries", name=ONE_RESULT_PER_ATHLETE.id)
    def _one_per_athlete(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("entries") == 1)

    @pa.check("round_races", name=ONE_RACE_PER_ROUND.id)
    def _one_race_per_round(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("round_races") == 1)

    @pa.dataframe_check(name=UNIQUE_RANK.id)
    def _unique_rank(cls, data: pa.PolarsData) -> pl.LazyFrame:
        dead_heat = pl.col("rank_times_equal").fill_null(False)
        ok = pl.col("rank").is_null() | (pl.col("rank_holders") == 1) | dead_heat
        return data.lazyframe.select(ok)

    @pa.dataframe_check(name=PENALTY_DQ.id)
    def _penalty_dq(cls, data: pa.PolarsData) -> pl.LazyFrame:
        penalised = (pl.col("note") == PENALTY).fill_null(False)
        return data.lazyframe.select(~penalised | (pl.col("status") == "DQ"))

    @pa.dataframe_check(name=YELLOW_CARD_OUT.id)
    def _yellow_card_out(cls, data: pa.PolarsData) -> pl.LazyFrame:
        carded = (pl.col("note") == YELLOW_CARD).fill_null(False)
        return data.lazyframe.select(~carded | pl.col("in_last_round"))


def run(con: duckdb.DuckDBPyConnection) -> list[Failure]:
    """Failures of the result-row rules."""
    return validate(con.sql(FRAME_SQL), ResultRules, CHECKS, "results")


RULE = Rule(CHECKS, run, "event", order=30, needs=(KEYED_RESULTS,))
