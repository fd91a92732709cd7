"""Record times match race results, holders are derivable, and the progression holds."""

from __future__ import annotations

import duckdb
import pandera.polars as pa
import polars as pl

from checks.framework.check import Check, Failure
from checks.framework.rule import Rule
from checks.framework.validate import validate

TIME_MATCHES_RESULT = Check(
    id="records.time-matches-result",
    severity="error",
    description="Each record time equals a finisher's time in the named race.",
    message="no result {time} in {race_label}",
    expected="a result of {time} in {race_label}",
    found="{race_times}",
    related=("race_file", "race_line", "the race's results"),
)
DATE_MATCHES_RACE = Check(
    id="records.date-matches-race",
    severity="error",
    description="Each record's date is the day its race was skated.",
    message="the record in {race_label} is dated {date} but the race was skated on {race_date}",
    expected="{race_date}",
    found="{date}",
)
HOLDER_DERIVABLE = Check(
    id="records.holder-derivable",
    severity="error",
    description="A record's holder is the one finisher with that time in that race (or the "
    "printed one).",
    message="the holder of the {time} record in {race_label} cannot be derived",
    expected="{holder_expectation}",
    found="{matching} results of {time}: {matching_names}",
)
PROGRESSION = Check(
    id="records.progression",
    severity="error",
    description="Each new record beats the one standing before it (from the event's prior record).",
    message="the {kind} of {time} in {race_label} does not beat the standing {kind}",
    expected="faster than {standing}",
    found="{time}",
)
UNRECORDED = Check(
    id="records.unrecorded-faster-result",
    severity="error",
    description="No race's fastest time beats the standing record without a record row for that "
    "race.",
    message="{name_as_printed} skated {time} in {race_label}, under the standing {kind} of "
    "{standing}, "
    "but the records table has no {kind} for {race_label}",
    expected="a {kind} record row for {race_label}",
    found="none",
)
MARKED_RESULT = Check(
    id="records.marked-result",
    severity="error",
    description="A result whose Notes mark a record (OR, WR) has that record in the records table.",
    message="{name_as_printed}'s {time} in {race_label} is marked {record_mark}, but the records "
    "table "
    "has no such record",
    expected="a {record_mark} row for {race_label} at {time}",
    found="none",
)
CHECKS = (
    TIME_MATCHES_RESULT,
    DATE_MATCHES_RACE,
    HOLDER_DERIVABLE,
    PROGRESSION,
    UNRECORDED,
    MARKED_RESULT,
)

# The race's times are named by the time-matches-result failure only, so they are aggregated
# for the records no result matches: over every record they were three quarters of the frame's
# time (0.16 of 0.22 s at 10,000 events).
RECORDS_SQL = """
WITH judged AS (
    SELECT rec.race_id, rec.date, rec.time_ms, rec.holder_entrant_id, rec.source_file,
           rec.source_line, ra.label AS race_label, ra.date AS race_date,
           ra.source_file AS race_file, ra.source_line AS race_line, rec.time_decimals,
           count(res.entrant_id) AS matching,
           coalesce(string_agg(res.name_as_printed, ', ' ORDER BY res.source_line), 'none')
               AS matching_names,
           coalesce(bool_or(res.entrant_id = rec.holder_entrant_id), false) AS holder_matches,
           CASE WHEN rec.holder_entrant_id IS NULL THEN 'exactly one finisher with that time'
                ELSE 'the printed holder ' || rec.holder_as_printed || ' with that time' END
               AS holder_expectation
    FROM records AS rec
    JOIN races AS ra USING (race_id)
    LEFT JOIN results AS res
      ON res.race_id = rec.race_id AND res.time_ms = rec.time_ms AND res.status = 'finished'
    GROUP BY ALL
),
unmatched_times AS (
    SELECT o.race_id,
           string_agg(format_time(o.time_ms, coalesce(o.time_decimals, 3)), ', '
                      ORDER BY o.time_ms, o.source_line) AS race_times
    FROM results AS o
    WHERE o.time_ms IS NOT NULL
      AND o.race_id IN (SELECT race_id FROM judged WHERE matching = 0)
    GROUP BY o.race_id
)
SELECT j.*,
       CASE WHEN j.matching = 0 THEN coalesce(t.race_times, 'no times') END AS race_times
FROM judged AS j LEFT JOIN unmatched_times AS t USING (race_id)
"""

KINDS = """
kinds(kind) AS (VALUES ('OR'), ('WR')),
race_order AS (
    SELECT ra.race_id, ra.event_id, ra.label, ra.date, rd.round_order, ra.race_number
    FROM races AS ra JOIN rounds AS rd ON rd.event_id = ra.event_id AND rd.round = ra.round
),
claims AS (
    -- Each record row under each kind it claims, after the prior record of that kind.
    SELECT rec.event_id, k.kind, rec.time_ms, rec.time_decimals, rec.source_file,
           rec.source_line, o.label AS race_label, o.date, o.round_order, o.race_number
    FROM records AS rec
    JOIN race_order AS o USING (race_id)
    JOIN kinds AS k ON (k.kind = 'OR' AND rec.is_olympic_record)
                    OR (k.kind = 'WR' AND rec.is_world_record)
    UNION ALL
    SELECT event_id, kind, time_ms, time_decimals, source_file, source_line, NULL, date, 0, 0
    FROM prior_records
)
"""

PROGRESSION_SQL = f"""
WITH {KINDS},
standing AS (
    SELECT *, min(time_ms) OVER (
        PARTITION BY event_id, kind ORDER BY date, round_order, race_number
        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS standing_ms
    FROM claims
)
SELECT kind, time_ms, standing_ms, source_file, source_line, race_label,
       time_decimals
FROM standing WHERE race_label IS NOT NULL
"""

UNRECORDED_SQL = f"""
WITH {KINDS},
race_best AS (
    -- The race's best finish; of a dead heat, the one printed first (one row, not a column
    -- from each of them). A grouping, not a window: a window sorted every result (0.5 s of
    -- CPU at 10,000 events).
    SELECT race_id, best.*
    FROM (
        SELECT race_id,
               arg_min(struct_pack(best_ms := time_ms, source_file, source_line,
                                   name_as_printed, time_decimals),
                       (time_ms, source_line)) AS best
        FROM results WHERE status = 'finished' AND time_ms IS NOT NULL
        GROUP BY race_id
    )
),
race_records AS (
    SELECT o.*, k.kind, b.best_ms, b.source_file, b.source_line, b.name_as_printed,
           b.time_decimals,
           (SELECT min(c.time_ms) FROM claims AS c
            WHERE c.event_id = o.event_id AND c.kind = k.kind AND c.race_label = o.label)
               AS record_ms,
           (SELECT min(p.time_ms) FROM prior_records AS p
            WHERE p.event_id = o.event_id AND p.kind = k.kind) AS prior_ms
    FROM race_order AS o CROSS JOIN kinds AS k JOIN race_best AS b USING (race_id)
),
standing AS (
    SELECT *, least(prior_ms, min(record_ms) OVER (
        PARTITION BY event_id, kind ORDER BY date, round_order, race_number
        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)) AS standing_ms
    FROM race_records
)
SELECT kind, best_ms, record_ms, standing_ms, source_file, source_line, name_as_printed,
       label AS race_label, best_ms AS time_ms, time_decimals
FROM standing
"""


MARKS_SQL = """
SELECT r.name_as_printed, r.record_mark, r.source_file, r.source_line, r.time_ms,
       r.time_decimals, ra.label AS race_label, count(rec.race_id) > 0 AS recorded
FROM results AS r
JOIN races AS ra USING (race_id)
LEFT JOIN records AS rec
  ON rec.race_id = r.race_id AND rec.time_ms = r.time_ms
 AND CASE r.record_mark WHEN 'WR' THEN rec.is_world_record ELSE rec.is_olympic_record END
WHERE r.record_mark IS NOT NULL
GROUP BY ALL
"""


class RecordRows(pa.DataFrameModel):
    """Each record row with the results of its race that have its time."""

    date: pl.Date = pa.Field(description="Record date as printed.")
    race_date: pl.Date = pa.Field(description="Day the race was skated.")
    matching: pl.Int64 = pa.Field(description="Finishers in the race with the record time.")
    holder_entrant_id: pl.String = pa.Field(nullable=True, description="Printed holder.")
    holder_matches: pl.Boolean = pa.Field(description="The printed holder has that time.")

    @pa.check("matching", name=TIME_MATCHES_RESULT.id)
    def _time_matches(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("matching") >= 1)

    @pa.dataframe_check(name=DATE_MATCHES_RACE.id)
    def _date_matches(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("date") == pl.col("race_date"))

    @pa.dataframe_check(name=HOLDER_DERIVABLE.id)
    def _holder(cls, data: pa.PolarsData) -> pl.LazyFrame:
        printed = pl.col("holder_entrant_id").is_not_null()
        derivable = (
            pl.when(printed).then(pl.col("holder_matches")).otherwise(pl.col("matching") == 1)
        )
        # A record with no matching time at all is the time-matches-result failure.
        return data.lazyframe.select((pl.col("matching") == 0) | derivable)


class Progression(pa.DataFrameModel):
    """Each claimed record with the record of its kind standing before its race."""

    time_ms: pl.Int32 = pa.Field(description="Record time.")
    standing_ms: pl.Int32 = pa.Field(nullable=True, description="Standing record before.")

    @pa.dataframe_check(name=PROGRESSION.id)
    def _beats(cls, data: pa.PolarsData) -> pl.LazyFrame:
        standing = pl.col("standing_ms")
        return data.lazyframe.select(standing.is_null() | (pl.col("time_ms") < standing))


class RaceBests(pa.DataFrameModel):
    """Each race's fastest time against the record standing before the race, per kind."""

    best_ms: pl.Int32 = pa.Field(description="Fastest finisher's time.")
    record_ms: pl.Int32 = pa.Field(nullable=True, description="Record set in this race.")
    standing_ms: pl.Int32 = pa.Field(nullable=True, description="Standing record before.")

    @pa.dataframe_check(name=UNRECORDED.id)
    def _recorded(cls, data: pa.PolarsData) -> pl.LazyFrame:
        beaten = (pl.col("best_ms") < pl.col("standing_ms")).fill_null(False)
        return data.lazyframe.select(~beaten | pl.col("record_ms").is_not_null())


class MarkedResults(pa.DataFrameModel):
    """Each result marked OR or WR in its Notes, with whether the records table has it."""

    recorded: pl.Boolean = pa.Field(description="A record row of that kind, race and time.")

    @pa.check("recorded", name=MARKED_RESULT.id)
    def _recorded(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("recorded"))


def run(con: duckdb.DuckDBPyConnection) -> list[Failure]:
    """Failures of the record rules."""
    return [
        *validate(con.sql(RECORDS_SQL), RecordRows, CHECKS, "records"),
        *validate(con.sql(PROGRESSION_SQL), Progression, CHECKS, "records"),
        *validate(con.sql(UNRECORDED_SQL), RaceBests, CHECKS, "results"),
        *validate(con.sql(MARKS_SQL), MarkedResults, CHECKS, "results"),
    ]


RULE = Rule(CHECKS, run, "event", order=60)
