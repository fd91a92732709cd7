"""Relay teams: four skaters a race, each skater once a race, each skating for the team's NOC."""

from __future__ import annotations

import duckdb
import pandera.polars as pa
import polars as pl

from checks.framework.check import Check, Failure
from checks.framework.rule import Rule
from checks.framework.validate import validate

TEAM_SIZE = 4  # skaters a relay team races with (a fifth may race another round)

LINE_UP = Check(
    id="teams.line-up",
    severity="error",
    description=f"A relay team races with {TEAM_SIZE} skaters.",
    message="{name_as_printed} in {race_label} lists {skaters} skaters",
    expected=f"{TEAM_SIZE} skaters",
    found="{skaters}",
)
ONCE_A_RACE = Check(
    id="teams.skater-once",
    severity="error",
    description="A skater appears once in a race: in one team, once.",
    message="{skater} appears {appearances} times in {race_label} ({teams})",
    expected="once",
    found="{appearances} times",
)
NATION = Check(
    id="teams.skater-nation",
    severity="error",
    description="A skater races for the team of the NOC they skated for on the event's first day "
    "(registry and nationalities.csv).",
    message="{skater} ({skater_noc}) is listed for {team_noc} in {race_label}",
    expected="{skater_noc}",
    found="{team_noc}",
)
CHECKS = (LINE_UP, ONCE_A_RACE, NATION)

LINE_UP_SQL = """
SELECT r.name_as_printed, r.source_file, r.source_line, ra.label AS race_label,
       count(ts.athlete_id) AS skaters
FROM results AS r
JOIN entrants AS e USING (entrant_id)
JOIN races AS ra USING (race_id)
LEFT JOIN team_skaters AS ts ON ts.race_id = r.race_id AND ts.entrant_id = r.entrant_id
WHERE e.kind = 'team'
GROUP BY ALL
"""

SKATERS_SQL = """
SELECT ts.name_as_printed AS skater, ts.source_file, ts.source_line, ra.label AS race_label,
       count(*) OVER (PARTITION BY ts.race_id, ts.athlete_id) AS appearances,
       string_agg(e.noc, ', ' ORDER BY ts.source_line)
           OVER (PARTITION BY ts.race_id, ts.athlete_id) AS teams,
       e.noc AS team_noc,
       coalesce((SELECT arg_max(n.noc, n.since) FROM nationalities AS n
                 WHERE n.athlete_id = ts.athlete_id AND n.since <= ev.start_date), a.noc)
           AS skater_noc
FROM team_skaters AS ts
JOIN entrants AS e USING (entrant_id)
JOIN events AS ev ON ev.event_id = ts.event_id
JOIN races AS ra ON ra.race_id = ts.race_id
JOIN athletes AS a ON a.athlete_id = ts.athlete_id
"""


class LineUps(pa.DataFrameModel):
    """Each relay result with the number of skaters listed for it."""

    skaters: pl.Int64 = pa.Field(description="Skaters listed for the team in the race.")

    @pa.check("skaters", name=LINE_UP.id)
    def _four(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("skaters") == TEAM_SIZE)


class Skaters(pa.DataFrameModel):
    """Each listed skater with how often the race lists them and the NOC they skate for."""

    appearances: pl.Int64 = pa.Field(description="Times the race lists this skater.")
    team_noc: pl.String = pa.Field(description="The team's NOC.")
    skater_noc: pl.String = pa.Field(description="The skater's NOC on the event's first day.")

    @pa.check("appearances", name=ONCE_A_RACE.id)
    def _once(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("appearances") == 1)

    @pa.dataframe_check(name=NATION.id)
    def _nation(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("skater_noc") == pl.col("team_noc"))


def run(con: duckdb.DuckDBPyConnection) -> list[Failure]:
    """Failures of the relay team rules."""
    return [
        *validate(con.sql(LINE_UP_SQL), LineUps, CHECKS, "results"),
        *validate(con.sql(SKATERS_SQL), Skaters, CHECKS, "team_skaters"),
    ]


RULE = Rule(CHECKS, run, "event", order=45)
