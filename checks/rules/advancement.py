"""Advancement notes agree with ranks, times, the declared rules and the next round's field."""

from __future__ import annotations

import duckdb
import pandera.polars as pa
import polars as pl

from checks.framework.check import Check, Failure
from checks.framework.keyed import KEYED_RESULTS
from checks.framework.rule import Preparation, Rule
from checks.framework.validate import validate
from core.codes import ADVANCING_NOTES, REFEREE_FINALS, REFEREE_NOTES

NOTE_FOLLOWS_RULE = Check(
    id="advancement.note-follows-rule",
    severity="error",
    description="Q/q/QA/QB notes are exactly what the round's declared rule gives (ADV is the "
    "referee's).",
    message="{name_as_printed} placed {placed} in {race_label} {time}; the {round} rule gives "
    "{expected_text}",
    expected="{expected_text}",
    found="{given_text}",
)
ADVANCERS_APPEAR = Check(
    id="advancement.advancers-appear",
    severity="error",
    description="Every entrant marked Q/q/QA/QB/ADV skates the race or round it advanced to.",
    message="{name_as_printed} is marked {note} in {race_label} but does not skate {target}",
    expected="{name_as_printed} in {target}",
    found="no result there",
)
ONLY_ADVANCERS = Check(
    id="advancement.only-advancers",
    severity="error",
    description="Nobody skates a round without an advancing note into it from the round before.",
    message="{name_as_printed} skates {race_label} without advancing to it from the "
    "{previous_round}",
    expected="a Q/q/QA/QB/ADV note into {race_label} in the {previous_round}",
    found="{previous_note}",
)
UNCONTESTED_RACE = Check(
    id="advancement.uncontested-race",
    severity="error",
    description="A race declared not contested had at most one skater qualified for it.",
    message="{label} is declared not contested but {advancers} skaters qualified for it ({names})",
    expected="at most one qualifier",
    found="{advancers}",
)
CHECKS = (NOTE_FOLLOWS_RULE, ADVANCERS_APPEAR, ONLY_ADVANCERS, UNCONTESTED_RACE)

ADVANCING_SQL = ", ".join(f"'{note}'" for note in ADVANCING_NOTES)
REFEREE_FINALS_SQL = " ".join(
    f"WHEN '{note}' THEN '{final}'" for note, final in REFEREE_FINALS.items()
)
# Built once per connection as temporary tables; the four frames below read them.
PREPARE_SQL = f"""
CREATE OR REPLACE TEMP TABLE adv_steps AS
SELECT event_id, round,
       lead(round) OVER (PARTITION BY event_id ORDER BY round_order) AS next_round,
       lag(round) OVER (PARTITION BY event_id ORDER BY round_order) AS previous_round
FROM rounds;

CREATE OR REPLACE TEMP TABLE adv_results AS
SELECT r.result_key, r.event_id, r.event_key, r.entrant_id, r.entrant_key, r.name_as_printed,
       r.rank, r.time_ms, r.time_decimals, r.status, r.note, r.source_file, r.source_line,
       r.round, r.round_order, r.race_label, st.next_round, st.previous_round,
       -- A dead heat (same time in the same race) places both at the better rank.
       CASE WHEN r.status = 'finished'
            THEN min(r.rank) OVER (PARTITION BY r.race_key, r.status, r.time_ms)
            WHEN r.status = 'no time' THEN r.rank END AS placed
FROM keyed_results AS r
JOIN adv_steps AS st ON st.event_id = r.event_id AND st.round = r.round;

CREATE OR REPLACE TEMP TABLE adv_advanced AS
SELECT a.result_key, a.event_id, a.event_key, a.entrant_id, a.entrant_key, a.name_as_printed,
       a.note, a.round, a.race_label, a.next_round, a.source_file, a.source_line,
       CASE a.note {REFEREE_FINALS_SQL}
            WHEN 'ADV' THEN rt.to_label ELSE ru.to_label END AS target_label
FROM adv_results AS a
LEFT JOIN advancement_rules AS ru
  ON ru.event_id = a.event_id AND ru.round = a.round AND ru.note = a.note
LEFT JOIN (
    SELECT event_id, round, arg_min(to_label, rank_min) AS to_label
    FROM advancement_rules GROUP BY event_id, round
) AS rt ON rt.event_id = a.event_id AND rt.round = a.round
WHERE a.note IN ({ADVANCING_SQL});
"""
ADVANCEMENT_TABLES = Preparation(
    "advancement_tables",
    PREPARE_SQL,
    needs=(KEYED_RESULTS,),
    cleanup="DROP TABLE adv_steps; DROP TABLE adv_results; DROP TABLE adv_advanced;",
)

NOTES_SQL = f"""
WITH hits AS (
    SELECT a.result_key, ru.note, ru.fastest,
           rank() OVER (PARTITION BY a.event_key, a.round_order, ru.note ORDER BY a.time_ms)
               AS time_place
    FROM adv_results AS a
    JOIN advancement_rules AS ru
      ON ru.event_id = a.event_id AND ru.round = a.round
     AND a.placed BETWEEN ru.rank_min AND ru.rank_max
),
expected AS (
    -- `fastest` rules take the N fastest across the round; ties at the cut-off all advance.
    SELECT result_key, string_agg(note, '/' ORDER BY note) AS expected_note
    FROM hits WHERE fastest IS NULL OR time_place <= fastest
    GROUP BY result_key
)
SELECT a.name_as_printed, a.race_label, a.round, a.source_file, a.source_line, a.time_ms,
       a.time_decimals, coalesce(CAST(a.placed AS VARCHAR), a.status) AS placed,
       e.expected_note,
       CASE WHEN a.note IN ({ADVANCING_SQL}) THEN a.note END AS given_note,
       coalesce(e.expected_note, 'no advancement note') AS expected_text,
       coalesce(CASE WHEN a.note IN ({ADVANCING_SQL}) THEN a.note END, 'no advancement note')
           AS given_text
FROM adv_results AS a LEFT JOIN expected AS e USING (result_key)
"""

APPEAR_SQL = """
WITH skated AS (SELECT DISTINCT event_key, entrant_key, round, race_label FROM adv_results)
SELECT a.name_as_printed, a.note, a.race_label, a.source_file, a.source_line,
       coalesce(a.target_label, a.next_round, 'a later round') AS target,
       coalesce(any_value(target.contested), true) AS target_contested,
       count(s.entrant_key) > 0 AS appears
FROM adv_advanced AS a
LEFT JOIN races AS target ON target.event_id = a.event_id AND target.label = a.target_label
LEFT JOIN skated AS s
  ON s.event_key = a.event_key AND s.entrant_key = a.entrant_key
 AND CASE WHEN a.target_label IS NOT NULL THEN s.race_label = a.target_label
          ELSE s.round = a.next_round END
GROUP BY a.result_key, a.name_as_printed, a.note, a.race_label, a.source_file, a.source_line,
         a.target_label, a.next_round
"""

FIELD_SQL = """
WITH previous_notes AS (
    SELECT event_key, entrant_key, round,
           string_agg(note || ' in ' || race_label, ', ' ORDER BY source_line) AS previous_note
    FROM adv_results WHERE note IS NOT NULL GROUP BY ALL
),
advanced_into AS (
    SELECT DISTINCT event_key, entrant_key, round, target_label FROM adv_advanced
)
SELECT r.name_as_printed, r.race_label, r.source_file, r.source_line, r.previous_round,
       coalesce(any_value(p.previous_note), 'no note') AS previous_note,
       count(i.entrant_key) > 0 AS advanced_here
FROM adv_results AS r
LEFT JOIN previous_notes AS p
  ON p.event_key = r.event_key AND p.entrant_key = r.entrant_key
 AND p.round = r.previous_round
LEFT JOIN advanced_into AS i
  ON i.event_key = r.event_key AND i.entrant_key = r.entrant_key
 AND i.round = r.previous_round
 AND (i.target_label IS NULL OR i.target_label = r.race_label)
WHERE r.previous_round IS NOT NULL
GROUP BY r.result_key, r.name_as_printed, r.race_label, r.source_file, r.source_line,
         r.previous_round
"""

UNCONTESTED_SQL = """
SELECT ra.label, ra.source_file, ra.source_line,
       count(a.result_key) AS advancers,
       coalesce(string_agg(a.name_as_printed, ', ' ORDER BY a.source_line), 'nobody') AS names
FROM races AS ra
LEFT JOIN adv_advanced AS a ON a.event_id = ra.event_id AND a.target_label = ra.label
WHERE NOT ra.contested
GROUP BY ra.label, ra.source_file, ra.source_line
"""


class Notes(pa.DataFrameModel):
    """Every result with the advancement note its round's rule gives it."""

    expected_note: pl.String = pa.Field(nullable=True, description="Note the rule gives.")
    given_note: pl.String = pa.Field(nullable=True, description="Advancing note printed.")

    @pa.dataframe_check(name=NOTE_FOLLOWS_RULE.id)
    def _follows_rule(cls, data: pa.PolarsData) -> pl.LazyFrame:
        given, expected = pl.col("given_note"), pl.col("expected_note")
        referee = given.is_in(REFEREE_NOTES).fill_null(False)
        return data.lazyframe.select(referee | (given.fill_null("") == expected.fill_null("")))


class Advancers(pa.DataFrameModel):
    """Every advancing note with whether the entrant skates where it leads."""

    appears: pl.Boolean = pa.Field(description="A result in the target race or round.")
    target_contested: pl.Boolean = pa.Field(description="False for a race not held.")

    @pa.dataframe_check(name=ADVANCERS_APPEAR.id)
    def _appear(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("appears") | ~pl.col("target_contested"))


class Field(pa.DataFrameModel):
    """Every result after the first round with whether the entrant advanced into it."""

    advanced_here: pl.Boolean = pa.Field(description="An advancing note leads here.")

    @pa.check("advanced_here", name=ONLY_ADVANCERS.id)
    def _only_advancers(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("advanced_here"))


class Uncontested(pa.DataFrameModel):
    """Races declared not contested with how many skaters qualified for them."""

    advancers: pl.Int64 = pa.Field(description="Skaters whose note leads to the race.")

    @pa.check("advancers", name=UNCONTESTED_RACE.id)
    def _at_most_one(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("advancers") <= 1)


def run(con: duckdb.DuckDBPyConnection) -> list[Failure]:
    """Failures of the advancement rules."""
    return [
        *validate(con.sql(NOTES_SQL), Notes, CHECKS, "results"),
        *validate(con.sql(APPEAR_SQL), Advancers, CHECKS, "results"),
        *validate(con.sql(FIELD_SQL), Field, CHECKS, "results"),
        *validate(con.sql(UNCONTESTED_SQL), Uncontested, CHECKS, "races"),
    ]


RULE = Rule(CHECKS, run, "event", order=50, needs=(ADVANCEMENT_TABLES,))
