"""Advancement notes agree with ranks, times, the declared rules and the next round's field."""

from __future__ import annotations

import duckdb
import pandera.polars as pa
import polars as pl

from checks.framework.check import Check, Failure
from checks.framework.keyed import KEYED_RESULTS
from checks.framework.rule import Preparation, Rule
from checks.framework.validate import validate
from core.codes import ADVANCING_NOTES, PENALTY_NOTES, REFEREE_FINALS, REFEREE_NOTES

NOTE_FOLLOWS_RULE = Check(
    id="advancement.note-follows-rule",
    severity="error",
    description="Q/q/QA/QB notes are exactly what the round's declared rule gives (ADV is the "
    "referee's).",
    message="{name_as_printed} placed {placed} in {race_label} {time}; the {round} rule gives "
    "{expected_text}",
    expected="{expected_text}",
    found="{given_text}",
    related=("rule_file", "rule_line", "the round's advancement rules"),
)
ADVANCERS_APPEAR = Check(
    id="advancement.advancers-appear",
    severity="error",
    description="Every entrant a note or a rule sends on (Q/q/QA/QB/ADV, or a rule without a "
    "note) skates the race or round it was sent to.",
    message="{name_as_printed} is {sent_as} in {race_label} but does not skate {target}",
    expected="{name_as_printed} in {target}",
    found="no result there",
)
ONLY_ADVANCERS = Check(
    id="advancement.only-advancers",
    severity="error",
    description="Nobody skates a round without being sent there by a note or rule of an "
    "earlier round (but the seeded, who skated no earlier round, in a round declared "
    "`seeded`).",
    message="{name_as_printed} skates {race_label} without advancing to it from the "
    "{previous_round}",
    expected="a Q/q/QA/QB/ADV note into {race_label} in the {previous_round}",
    found="{previous_note}",
)
SENT_ONCE = Check(
    id="advancement.sent-once",
    severity="error",
    description="Nobody is sent into a round twice (by the notes or rules of two earlier "
    "rounds): advancement is a graph, and each entrant takes one path through it.",
    message="{name_as_printed} skates {race_label} sent there {times} times ({sent_by})",
    expected="sent into {round} once",
    found="{sent_by}",
)
UNCONTESTED_RACE = Check(
    id="advancement.uncontested-race",
    severity="error",
    description="A race declared not contested had at most one skater qualified for it.",
    message="{label} is declared not contested but {advancers} skaters qualified for it ({names})",
    expected="at most one qualifier",
    found="{advancers}",
)
CHECKS = (NOTE_FOLLOWS_RULE, ADVANCERS_APPEAR, ONLY_ADVANCERS, SENT_ONCE, UNCONTESTED_RACE)

ADVANCING_SQL = ", ".join(f"'{note}'" for note in ADVANCING_NOTES)
PENALTY_SQL = ", ".join(f"'{note}'" for note in PENALTY_NOTES)  # a card or penalty sends no one
REFEREE_FINALS_SQL = " ".join(
    f"WHEN '{note}' THEN '{final}'" for note, final in REFEREE_FINALS.items()
)
# Built once per connection as temporary tables; the frames below read them. Advancement is a
# graph: each note or rule sends an entrant to a round (its rule's `to_round`, else the event's
# next round) and, for finals, a race.
PREPARE_SQL = f"""
CREATE OR REPLACE TEMP TABLE adv_steps AS
SELECT event_id, round, round_order, seeded,
       lead(round) OVER (PARTITION BY event_id ORDER BY round_order) AS next_round,
       lag(round) OVER (PARTITION BY event_id ORDER BY round_order) AS previous_round
FROM rounds;

CREATE OR REPLACE TEMP TABLE adv_results AS
WITH base AS MATERIALIZED (
    SELECT r.result_key, r.event_id, r.event_key, r.entrant_id, r.entrant_key,
           r.name_as_printed, r.rank, r.time_ms, r.time_decimals, r.status, r.note,
           r.source_file, r.source_line, r.round, r.round_order, r.race_label, st.next_round,
           st.previous_round, st.seeded, r.race_key
    FROM keyed_results AS r
    JOIN adv_steps AS st ON st.event_id = r.event_id AND st.round = r.round
),
-- A time more than one finisher of a race shares, grouped over these rows and joined back: a
-- window over every result cost twice the time (0.25 s against 0.05 s at 10,000 events).
heat AS (
    SELECT race_key, time_ms, min(rank) AS placed
    FROM base WHERE status = 'finished' GROUP BY ALL HAVING count(*) > 1
)
SELECT b.* EXCLUDE (race_key),
       -- A dead heat (same time in the same race) places both at the better rank.
       CASE WHEN b.status = 'finished' THEN coalesce(heat.placed, b.rank)
            WHEN b.status = 'no time' THEN b.rank END AS placed
FROM base AS b
LEFT JOIN heat
  ON b.status = 'finished' AND heat.race_key IS NOT DISTINCT FROM b.race_key
 AND heat.time_ms IS NOT DISTINCT FROM b.time_ms;

CREATE OR REPLACE TEMP TABLE adv_sent AS
SELECT a.result_key, a.event_id, a.event_key, a.entrant_id, a.entrant_key, a.name_as_printed,
       a.note, 'marked ' || a.note AS sent_as, a.round, a.race_label, a.source_file,
       a.source_line,
       CASE WHEN a.note IN ({", ".join(f"'{note}'" for note in REFEREE_FINALS)}) THEN 'finals'
            WHEN a.note = 'ADV' THEN coalesce(rt.to_round, a.next_round)
            ELSE coalesce(ru.to_round, a.next_round) END AS target_round,
       CASE a.note {REFEREE_FINALS_SQL}
            WHEN 'ADV' THEN rt.to_label ELSE ru.to_label END AS target_label
FROM adv_results AS a
LEFT JOIN advancement_rules AS ru
  ON ru.event_id = a.event_id AND ru.round = a.round AND ru.note = a.note
LEFT JOIN (
    -- The referee sends where the round's best places go.
    SELECT event_id, round, arg_min(to_round, rank_min) AS to_round,
           arg_min(to_label, rank_min) AS to_label
    FROM advancement_rules WHERE note IS NOT NULL GROUP BY event_id, round
) AS rt ON rt.event_id = a.event_id AND rt.round = a.round
WHERE a.note IN ({ADVANCING_SQL})
UNION ALL
-- A rule without a note sends those of its ranks the page gives no advancing note (and no
-- penalty or card).
SELECT a.result_key, a.event_id, a.event_key, a.entrant_id, a.entrant_key, a.name_as_printed,
       NULL AS note, 'placed ' || a.placed || ' (no note)' AS sent_as, a.round, a.race_label,
       a.source_file, a.source_line, ru.to_round AS target_round, NULL AS target_label
FROM adv_results AS a
JOIN advancement_rules AS ru
  ON ru.event_id = a.event_id AND ru.round = a.round AND ru.note IS NULL
 AND a.placed BETWEEN ru.rank_min AND ru.rank_max
WHERE a.note IS NULL OR a.note NOT IN ({ADVANCING_SQL}, {PENALTY_SQL});

CREATE OR REPLACE TEMP TABLE adv_feeds AS
-- The rounds that send into each round: those whose rules lead there, else (no rule does)
-- its previous round; none for the first.
SELECT DISTINCT st.event_id, st.round, coalesce(ru.round, st.previous_round) AS feeder
FROM adv_steps AS st
LEFT JOIN advancement_rules AS ru ON ru.event_id = st.event_id AND ru.to_round = st.round;

CREATE OR REPLACE TEMP TABLE adv_feeders AS
-- The same, as the messages name them (`heats or repechage semifinals`).
SELECT event_id, round,
       string_agg(replace(feeder, '_', ' '), ' or ' ORDER BY replace(feeder, '_', ' '))
           AS feeding_rounds
FROM adv_feeds GROUP BY event_id, round;
"""
ADVANCEMENT_TABLES = Preparation(
    "advancement_tables",
    PREPARE_SQL,
    needs=(KEYED_RESULTS,),
    cleanup="DROP TABLE adv_steps; DROP TABLE adv_results; DROP TABLE adv_sent; "
    "DROP TABLE adv_feeds; DROP TABLE adv_feeders;",
)

NOTES_SQL = f"""
WITH hits AS (
    SELECT a.result_key, ru.note, ru.fastest,
           rank() OVER (PARTITION BY a.event_key, a.round_order, ru.note ORDER BY a.time_ms)
               AS time_place
    FROM adv_results AS a
    JOIN advancement_rules AS ru
      ON ru.event_id = a.event_id AND ru.round = a.round AND ru.note IS NOT NULL
     AND a.placed BETWEEN ru.rank_min AND ru.rank_max
),
expected AS (
    -- `fastest` rules take the N fastest across the round; ties at the cut-off all advance.
    -- A list sorted afterwards, not string_agg(... ORDER BY): an ordered aggregate sorts each
    -- group apart (0.21 against 0.06 s of CPU at 10,000 events).
    SELECT result_key, array_to_string(list_sort(list(note)), '/') AS expected_note
    FROM hits WHERE fastest IS NULL OR time_place <= fastest
    GROUP BY result_key
)
SELECT a.name_as_printed, a.race_label, replace(a.round, '_', ' ') AS round, a.source_file,
       a.source_line, a.time_ms, a.time_decimals, ru.rule_file, ru.rule_line,
       coalesce(CAST(a.placed AS VARCHAR), a.status) AS placed, e.expected_note,
       CASE WHEN a.note IN ({ADVANCING_SQL}) THEN a.note END AS given_note,
       coalesce(e.expected_note, 'no advancement note') AS expected_text,
       coalesce(CASE WHEN a.note IN ({ADVANCING_SQL}) THEN a.note END, 'no advancement note')
           AS given_text
FROM adv_results AS a LEFT JOIN expected AS e USING (result_key)
LEFT JOIN (
    SELECT event_id, round, any_value(source_file) AS rule_file, min(source_line) AS rule_line
    FROM advancement_rules GROUP BY event_id, round
) AS ru ON ru.event_id = a.event_id AND ru.round = a.round
"""

APPEAR_SQL = """
WITH skated AS (SELECT DISTINCT event_key, entrant_key, round, race_label FROM adv_results)
SELECT a.name_as_printed, a.sent_as, a.race_label, a.source_file, a.source_line,
       coalesce(a.target_label, replace(a.target_round, '_', ' '), 'a later round') AS target,
       coalesce(any_value(target.contested), true) AS target_contested,
       count(s.entrant_key) > 0 AS appears
FROM adv_sent AS a
LEFT JOIN races AS target ON target.event_id = a.event_id AND target.label = a.target_label
LEFT JOIN skated AS s
  ON s.event_key = a.event_key AND s.entrant_key = a.entrant_key
 AND CASE WHEN a.target_label IS NOT NULL THEN s.race_label = a.target_label
          ELSE s.round = a.target_round END
GROUP BY ALL
"""

# The strings a failure names (who sent the entrant, its notes in the feeding rounds) are
# aggregated for the failing rows only: over every result they were two thirds of the frame's
# time (0.45 s at 10,000 events).
FIELD_SQL = """
WITH sent_here AS (
    SELECT r.result_key, count(*) AS times
    FROM adv_results AS r
    JOIN adv_sent AS i
      ON i.event_key = r.event_key AND i.entrant_key = r.entrant_key
     AND i.target_round = r.round
     AND (i.target_label IS NULL OR i.target_label = r.race_label)
    GROUP BY r.result_key
),
judged AS (
    SELECT r.*, coalesce(s.times, 0) AS times, f.feeding_rounds,
           -- Whether the entrant skated a round before this one.
           coalesce(CASE WHEN r.entrant_key IS NOT NULL THEN r.round_order
               > min(r.round_order) OVER (PARTITION BY r.event_key, r.entrant_key) END, false)
               AS skated_before
    FROM adv_results AS r
    JOIN adv_feeders AS f ON f.event_id = r.event_id AND f.round = r.round
    LEFT JOIN sent_here AS s USING (result_key)
),
field AS (
    SELECT *, times > 0 OR (seeded AND NOT skated_before) AS advanced_here
    FROM judged WHERE previous_round IS NOT NULL
),
senders AS (
    SELECT r.result_key,
           string_agg(i.sent_as || ' in ' || i.race_label, ', ' ORDER BY i.source_line)
               AS sent_by
    FROM field AS r
    JOIN adv_sent AS i
      ON i.event_key = r.event_key AND i.entrant_key = r.entrant_key
     AND i.target_round = r.round
     AND (i.target_label IS NULL OR i.target_label = r.race_label)
    WHERE r.times > 1
    GROUP BY r.result_key
),
notes AS (
    -- The entrant's notes in the rounds that feed this one.
    SELECT r.result_key,
           string_agg(e.note || ' in ' || e.race_label, ', ' ORDER BY e.source_line)
               AS previous_note
    FROM field AS r
    JOIN adv_feeds AS fd ON fd.event_id = r.event_id AND fd.round = r.round
    JOIN adv_results AS e
      ON e.event_key = r.event_key AND e.entrant_key = r.entrant_key
     AND e.round = fd.feeder AND e.round_order < r.round_order AND e.note IS NOT NULL
    WHERE NOT r.advanced_here
    GROUP BY r.result_key
)
SELECT r.name_as_printed, r.race_label, replace(r.round, '_', ' ') AS round, r.source_file,
       r.source_line, r.feeding_rounds AS previous_round,
       coalesce(n.previous_note, CASE WHEN r.skated_before THEN 'no note'
                ELSE 'no earlier round (seeded? declare seeded = true on the round)' END)
           AS previous_note,
       r.times, CASE WHEN r.times = 0 THEN 'not sent' ELSE s.sent_by END AS sent_by,
       r.advanced_here
FROM field AS r
LEFT JOIN senders AS s USING (result_key)
LEFT JOIN notes AS n USING (result_key)
"""

UNCONTESTED_SQL = """
SELECT ra.label, ra.source_file, ra.source_line,
       count(a.result_key) AS advancers,
       coalesce(string_agg(a.name_as_printed, ', ' ORDER BY a.source_line), 'nobody') AS names
FROM races AS ra
LEFT JOIN adv_sent AS a ON a.event_id = ra.event_id AND a.target_label = ra.label
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
    """Every result after the event's first round with how often the entrant was sent there."""

    advanced_here: pl.Boolean = pa.Field(description="A note or rule sent the entrant here.")
    times: pl.Int64 = pa.Field(description="How many notes or rules sent the entrant here.")

    @pa.check("advanced_here", name=ONLY_ADVANCERS.id)
    def _only_advancers(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("advanced_here"))

    @pa.check("times", name=SENT_ONCE.id)
    def _sent_once(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("times") <= 1)


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
