"""Advancement notes agree with ranks, times, the declared rules and the next round's field."""

from __future__ import annotations

import duckdb
import pandera.polars as pa
import polars as pl

from checks.check import Check, Failure
from checks.validate import validate

ADVANCING = ("Q", "q", "QA", "QB", "ADV", "ADVA", "ADVB")

NOTE_FOLLOWS_RULE = Check(
    "advancement.note-follows-rule",
    "error",
    "Q/q/QA/QB notes are exactly what the round's declared rule gives (ADV is the referee's).",
    "{name_as_printed} placed {placed} in {race_label} {time}; the {round} rule gives "
    "{expected_text}",
    "{expected_text}",
    "{given_text}",
)
ADVANCERS_APPEAR = Check(
    "advancement.advancers-appear",
    "error",
    "Every athlete marked Q/q/QA/QB/ADV skates the race or round they advanced to.",
    "{name_as_printed} is marked {note} in {race_label} but does not skate {target}",
    "{name_as_printed} in {target}",
    "no result there",
)
ONLY_ADVANCERS = Check(
    "advancement.only-advancers",
    "error",
    "Nobody skates a round without an advancing note into it from the round before.",
    "{name_as_printed} skates {race_label} without advancing to it from the {previous_round}",
    "a Q/q/QA/QB/ADV note into {race_label} in the {previous_round}",
    "{previous_note}",
)
UNCONTESTED_RACE = Check(
    "advancement.uncontested-race",
    "error",
    "A race declared not contested had at most one skater qualified for it.",
    "{label} is declared not contested but {advancers} skaters qualified for it ({names})",
    "at most one qualifier",
    "{advancers}",
)
CHECKS = (NOTE_FOLLOWS_RULE, ADVANCERS_APPEAR, ONLY_ADVANCERS, UNCONTESTED_RACE)

ADVANCING_SQL = ", ".join(f"'{note}'" for note in ADVANCING)
PRELUDE = f"""
WITH res AS (
    SELECT r.rowid AS result_key, r.event_id, r.athlete_id, r.name_as_printed, r.rank,
           r.time_ms, r.time_decimals, r.status, r.note, r.source_file, r.source_line,
           ra.round, ra.label AS race_label, rd.round_order,
           -- A dead heat (same time in the same race) places both at the better rank.
           CASE WHEN r.status = 'finished'
                THEN min(r.rank) OVER (PARTITION BY r.race_id, r.time_ms) END AS placed
    FROM results AS r
    JOIN races AS ra USING (race_id)
    JOIN rounds AS rd ON rd.event_id = ra.event_id AND rd.round = ra.round
),
hits AS (
    SELECT res.result_key, ru.note, ru.fastest,
           rank() OVER (PARTITION BY ru.event_id, ru.round, ru.note ORDER BY res.time_ms)
               AS time_place
    FROM res
    JOIN advancement_rules AS ru
      ON ru.event_id = res.event_id AND ru.round = res.round
     AND res.placed BETWEEN ru.rank_min AND ru.rank_max
),
expected AS (
    -- `fastest` rules take the N fastest across the round; ties at the cut-off all advance.
    SELECT result_key, string_agg(note, '/' ORDER BY note) AS expected_note
    FROM hits WHERE fastest IS NULL OR time_place <= fastest
    GROUP BY result_key
),
round_steps AS (
    SELECT event_id, round, round_order,
           lead(round) OVER (PARTITION BY event_id ORDER BY round_order) AS next_round,
           lag(round) OVER (PARTITION BY event_id ORDER BY round_order) AS previous_round
    FROM rounds
),
referee_target AS (
    SELECT event_id, round, arg_min(to_label, rank_min) AS to_label
    FROM advancement_rules GROUP BY event_id, round
),
advanced AS (
    SELECT res.*, st.next_round,
           CASE res.note WHEN 'ADVA' THEN 'Final A' WHEN 'ADVB' THEN 'Final B'
                WHEN 'ADV' THEN rt.to_label ELSE ru.to_label END AS target_label
    FROM res
    JOIN round_steps AS st ON st.event_id = res.event_id AND st.round = res.round
    LEFT JOIN advancement_rules AS ru
      ON ru.event_id = res.event_id AND ru.round = res.round AND ru.note = res.note
    LEFT JOIN referee_target AS rt ON rt.event_id = res.event_id AND rt.round = res.round
    WHERE res.note IN ({ADVANCING_SQL})
)
"""

NOTES_SQL = (
    PRELUDE
    + f"""
SELECT res.name_as_printed, res.race_label, res.round, res.source_file, res.source_line,
       coalesce(CAST(res.placed AS VARCHAR), res.status) AS placed,
       coalesce(format_time(res.time_ms, coalesce(res.time_decimals, 3)), '') AS time,
       e.expected_note,
       CASE WHEN res.note IN ({ADVANCING_SQL}) THEN res.note END AS given_note,
       coalesce(e.expected_note, 'no advancement note') AS expected_text,
       coalesce(CASE WHEN res.note IN ({ADVANCING_SQL}) THEN res.note END,
                'no advancement note') AS given_text
FROM res LEFT JOIN expected AS e USING (result_key)
"""
)

APPEAR_SQL = (
    PRELUDE
    + """
SELECT a.name_as_printed, a.note, a.race_label, a.source_file, a.source_line,
       coalesce(a.target_label, a.next_round, 'a later round') AS target,
       coalesce(target.contested, true) AS target_contested,
       EXISTS (
           SELECT 1 FROM res AS later
           WHERE later.event_id = a.event_id AND later.athlete_id = a.athlete_id
             AND CASE WHEN a.target_label IS NOT NULL THEN later.race_label = a.target_label
                      ELSE later.round = a.next_round END
       ) AS appears
FROM advanced AS a
LEFT JOIN races AS target ON target.event_id = a.event_id AND target.label = a.target_label
"""
)

FIELD_SQL = (
    PRELUDE
    + """
SELECT res.name_as_printed, res.race_label, res.source_file, res.source_line,
       st.previous_round,
       coalesce((SELECT string_agg(p.note || ' in ' || p.race_label, ', ') FROM res AS p
                 WHERE p.event_id = res.event_id AND p.athlete_id = res.athlete_id
                   AND p.round = st.previous_round AND p.note IS NOT NULL),
                'no note') AS previous_note,
       EXISTS (
           SELECT 1 FROM advanced AS a
           WHERE a.event_id = res.event_id AND a.athlete_id = res.athlete_id
             AND a.round = st.previous_round
             AND (a.target_label IS NULL OR a.target_label = res.race_label)
       ) AS advanced_here
FROM res
JOIN round_steps AS st ON st.event_id = res.event_id AND st.round = res.round
WHERE st.previous_round IS NOT NULL
"""
)

UNCONTESTED_SQL = (
    PRELUDE
    + """
SELECT ra.label, ra.source_file, ra.source_line,
       count(a.result_key) AS advancers,
       coalesce(string_agg(a.name_as_printed, ', '), 'nobody') AS names
FROM races AS ra
LEFT JOIN advanced AS a ON a.event_id = ra.event_id AND a.target_label = ra.label
WHERE NOT ra.contested
GROUP BY ra.label, ra.source_file, ra.source_line
"""
)


class Notes(pa.DataFrameModel):
    """Every result with the advancement note its round's rule gives it."""

    expected_note: pl.String = pa.Field(nullable=True, description="Note the rule gives.")
    given_note: pl.String = pa.Field(nullable=True, description="Advancing note printed.")

    class Config:
        strict = False

    @pa.dataframe_check(name=NOTE_FOLLOWS_RULE.id)
    def _follows_rule(cls, data: pa.PolarsData) -> pl.LazyFrame:
        given, expected = pl.col("given_note"), pl.col("expected_note")
        referee = given.is_in(("ADV", "ADVA", "ADVB")).fill_null(False)
        return data.lazyframe.select(referee | (given.fill_null("") == expected.fill_null("")))


class Advancers(pa.DataFrameModel):
    """Every advancing note with whether the athlete skates where it leads."""

    appears: pl.Boolean = pa.Field(description="A result in the target race or round.")
    target_contested: pl.Boolean = pa.Field(description="False for a race not held.")

    class Config:
        strict = False

    @pa.dataframe_check(name=ADVANCERS_APPEAR.id)
    def _appear(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("appears") | ~pl.col("target_contested"))


class Field(pa.DataFrameModel):
    """Every result after the first round with whether the athlete advanced into it."""

    advanced_here: pl.Boolean = pa.Field(description="An advancing note leads here.")

    class Config:
        strict = False

    @pa.check("advanced_here", name=ONLY_ADVANCERS.id)
    def _only_advancers(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("advanced_here"))


class Uncontested(pa.DataFrameModel):
    """Races declared not contested with how many skaters qualified for them."""

    advancers: pl.Int64 = pa.Field(description="Skaters whose note leads to the race.")

    class Config:
        strict = False

    @pa.check("advancers", name=UNCONTESTED_RACE.id)
    def _at_most_one(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("advancers") <= 1)


def run(con: duckdb.DuckDBPyConnection) -> list[Failure]:
    """Failures of the advancement rules."""
    return [
        *validate(con.sql(NOTES_SQL).pl(), Notes, CHECKS, "results"),
        *validate(con.sql(APPEAR_SQL).pl(), Advancers, CHECKS, "results"),
        *validate(con.sql(FIELD_SQL).pl(), Field, CHECKS, "results"),
        *validate(con.sql(UNCONTESTED_SQL).pl(), Uncontested, CHECKS, "races"),
    ]
