"""Ranks agree with times: finishing order never puts a slower time ahead, and has no gaps."""

from __future__ import annotations

import duckdb
import pandera.polars as pa
import polars as pl

from checks.framework.check import Check, Failure
from checks.framework.keyed import KEYED_RESULTS
from checks.framework.rule import Rule
from checks.framework.validate import validate

TIME_ORDER = Check(
    id="ranks.time-order",
    severity="error",
    description="Within a race, no finisher is ranked behind a slower time.",
    message="{name_as_printed} ranked {rank} in {race_label} is faster than rank {ahead_rank}",
    expected="a time of {ahead_time} or slower",
    found="{time}",
)
NO_GAPS = Check(
    id="ranks.no-gaps",
    severity="error",
    description="Finishers' ranks run 1..n without gaps (a dead heat shares a rank and skips the "
    "next).",
    message="{name_as_printed} in {race_label} breaks the rank sequence",
    expected="rank {expected_rank}",
    found="rank {rank}",
)
PRINTED_PLACES = Check(
    id="ranks.printed-places",
    severity="error",
    description="A final that prints overall places (a Final B ranked 6, 7, 8 …) starts right "
    "after the "
    "entrants of the finals before it.",
    message="{name_as_printed} is printed {place_as_printed} in {race_label}: place {rank} of the "
    "race "
    "after {printed_ahead} printed ahead, but {entrants_ahead} raced the finals before it",
    expected="place {rank} or {expected_place}",
    found="{place_as_printed}",
)
CHECKS = (TIME_ORDER, NO_GAPS, PRINTED_PLACES)

FRAME_SQL = """
SELECT r.name_as_printed, r.rank, r.time_ms, r.source_file, r.source_line,
       r.race_label,
       r.time_decimals,
       -- The nearest printed time ahead: a 'no time' between two skaters leaves them compared.
       last_value(r.time_ms IGNORE NULLS) OVER (
           w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS ahead_time_ms,
       lag(r.rank) OVER w AS ahead_rank,
       rank() OVER (PARTITION BY r.race_key ORDER BY r.rank) AS expected_rank
FROM keyed_results AS r
-- Ranks below 1 are results.rank-range failures; they would only blur the order here.
-- A ranked 'no time' is in the rank sequence; the time order compares only printed times.
WHERE r.status IN ('finished', 'no time') AND r.rank >= 1
WINDOW w AS (PARTITION BY r.race_key ORDER BY r.rank, r.time_ms)
"""


PLACES_SQL = """
WITH finals AS (SELECT event_id, race_id, race_number, label FROM races WHERE round = 'finals'),
ahead AS (
    SELECT f.race_id, count(r.entrant_id) AS entrants_ahead
    FROM finals AS f
    LEFT JOIN finals AS before ON before.event_id = f.event_id
                              AND before.race_number < f.race_number
    LEFT JOIN results AS r ON r.race_id = before.race_id
    GROUP BY f.race_id
)
SELECT r.name_as_printed, r.rank, r.place_as_printed, r.source_file, r.source_line,
       f.label AS race_label, a.entrants_ahead,
       r.place_as_printed - r.rank AS printed_ahead,
       r.rank + a.entrants_ahead AS expected_place
FROM results AS r
JOIN finals AS f USING (race_id)
JOIN ahead AS a USING (race_id)
WHERE r.place_as_printed IS NOT NULL AND r.rank IS NOT NULL
"""


class FinishingOrder(pa.DataFrameModel):
    """Ranked results of each race in rank order, with the nearest printed time ahead."""

    rank: pl.Int8 = pa.Field(description="Printed rank.")
    time_ms: pl.Int32 = pa.Field(nullable=True, description="Time in milliseconds; none: no time.")
    ahead_time_ms: pl.Int32 = pa.Field(
        nullable=True, description="The nearest printed time ranked ahead."
    )
    expected_rank: pl.Int64 = pa.Field(description="Competition rank from the printed order.")

    @pa.dataframe_check(name=TIME_ORDER.id)
    def _time_order(cls, data: pa.PolarsData) -> pl.LazyFrame:
        ahead, time = pl.col("ahead_time_ms"), pl.col("time_ms")
        return data.lazyframe.select(ahead.is_null() | time.is_null() | (time >= ahead))

    @pa.dataframe_check(name=NO_GAPS.id)
    def _no_gaps(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("rank") == pl.col("expected_rank"))


class PrintedPlaces(pa.DataFrameModel):
    """Each placed result of a final, with how far its printed place lies from its race place."""

    printed_ahead: pl.Int8 = pa.Field(description="Printed place minus race place.")
    entrants_ahead: pl.Int64 = pa.Field(description="Entrants of the earlier finals.")

    @pa.dataframe_check(name=PRINTED_PLACES.id)
    def _after_the_earlier_finals(cls, data: pa.PolarsData) -> pl.LazyFrame:
        ahead = pl.col("printed_ahead").cast(pl.Int64)
        return data.lazyframe.select((ahead == 0) | (ahead == pl.col("entrants_ahead")))


def run(con: duckdb.DuckDBPyConnection) -> list[Failure]:
    """Failures of the rank rules."""
    return [
        *validate(con.sql(FRAME_SQL), FinishingOrder, CHECKS, "results"),
        *validate(con.sql(PLACES_SQL), PrintedPlaces, CHECKS, "results"),
    ]


RULE = Rule(CHECKS, run, "event", order=40, needs=(KEYED_RESULTS,))
