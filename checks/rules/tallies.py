"""The infobox tallies hold: competitors, nations, and medalists = Final A ranks 1-3."""

from __future__ import annotations

import duckdb
import pandera.polars as pa
import polars as pl

from checks.framework.check import Check, Failure
from checks.framework.rule import Rule
from checks.framework.validate import validate

COMPETITORS = Check(
    id="tallies.competitors",
    severity="error",
    description="The infobox's Competitors equals the distinct skaters of the entrants in the "
    "results.",
    message="the infobox claims {declared} competitors; the results have {found}",
    expected="{found}",
    found="{declared}",
)
NATIONS = Check(
    id="tallies.nations",
    severity="error",
    description="The infobox's Nations equals the distinct NOCs of the entrants in the results.",
    message="the infobox claims {declared} nations; the results have {found}",
    expected="{found}",
    found="{declared}",
)
TEAMS = Check(
    id="tallies.teams",
    severity="error",
    description="The infobox's Teams equals the distinct relay teams in the results.",
    message="the infobox claims {declared} teams; the results have {found}",
    expected="{found}",
    found="{declared}",
)
MEDALISTS = Check(
    id="tallies.medalists",
    severity="error",
    description="The infobox's Gold, Silver and Bronze are Final A's ranks 1, 2 and 3.",
    message="the {medal} medalist {name_as_printed} is not rank {place} of the final",
    expected="{final_names}",
    found="{name_as_printed}",
)
MEDAL_NOCS = Check(
    id="tallies.medal-nocs",
    severity="error",
    description="The infobox's Goldnoc, Silvernoc and Bronzenoc are the medalists' NOCs in the "
    "event.",
    message="the {medal} medalist {medalist} is registered for {entry_noc}",
    expected="{entry_noc}",
    found="{noc_as_printed}",
    line_column="noc_source_line",
)
CHECKS = (COMPETITORS, NATIONS, TEAMS, MEDALISTS, MEDAL_NOCS)

# What each event's results count (as CTEs `skaters` and `found`): the reference family
# compares the same counts with another source.
FOUND_COUNTS = """
skaters AS (
    -- Competitors are skaters: the athlete entrants, and every skater of a relay team.
    SELECT event_id, athlete_id FROM entrants WHERE athlete_id IS NOT NULL
    UNION
    SELECT event_id, athlete_id FROM team_skaters
),
found AS (
    SELECT e.event_id, (SELECT count(*) FROM skaters AS s WHERE s.event_id = e.event_id)
               AS competitors,
           count(DISTINCT e.noc) AS nations,
           count(DISTINCT e.entrant_id) FILTER (WHERE e.kind = 'team') AS teams
    FROM entrants AS e
    GROUP BY e.event_id
)"""

COUNTS_SQL = f"""
WITH {FOUND_COUNTS}
SELECT ib.key, ib.source_file, ib.source_line,
       CASE ib.key WHEN 'Competitors' THEN e.competitors_declared
                   WHEN 'Nations' THEN e.nations_declared
                   ELSE e.teams_declared END AS declared,
       CASE ib.key WHEN 'Competitors' THEN coalesce(f.competitors, 0)
                   WHEN 'Nations' THEN coalesce(f.nations, 0)
                   ELSE coalesce(f.teams, 0) END AS found
FROM infobox AS ib
JOIN events AS e USING (event_id)
LEFT JOIN found AS f USING (event_id)
WHERE ib.key IN ('Competitors', 'Nations', 'Teams')
"""

MEDALS_SQL = """
WITH final_a AS (
    SELECT r.event_id, r.rank, r.entrant_id, r.name_as_printed, r.source_line
    FROM results AS r JOIN races AS ra USING (race_id)
    WHERE ra.round = 'finals' AND ra.race_number = 1
)
SELECT m.medal, m.place, m.name_as_printed, m.noc_as_printed, m.source_file, m.source_line,
       m.noc_source_line,
       coalesce(en.name, a.name) AS medalist, coalesce(en.noc, a.noc) AS entry_noc,
       coalesce(bool_or(f.entrant_id = m.entrant_id), false) AS is_finalist_at_place,
       coalesce(string_agg(f.name_as_printed, ', ' ORDER BY f.source_line), 'nobody')
           AS final_names
FROM medals AS m
-- The medalist's NOC is the entry's; a medalist who never raced falls back to the registry.
LEFT JOIN entrants AS en USING (entrant_id)
LEFT JOIN athletes AS a ON a.athlete_id = m.athlete_id
LEFT JOIN final_a AS f ON f.event_id = m.event_id AND f.rank = m.place
GROUP BY ALL
"""


def count_agrees(data: pa.PolarsData, kind: str, claimed: str, key: str = "key") -> pl.LazyFrame:
    """Each row passes unless it counts `kind` (its `key` column says which) and its `claimed`
    count differs from the `found` one."""
    agree = pl.col(claimed).cast(pl.Int64) == pl.col("found")
    return data.lazyframe.select((pl.col(key) != kind) | agree)


class Counts(pa.DataFrameModel):
    """The infobox's Competitors and Nations lines with what the results count."""

    key: pl.String = pa.Field(description="Competitors or Nations.")
    declared: pl.Int16 = pa.Field(description="The infobox's number.")
    found: pl.Int64 = pa.Field(description="Distinct athletes or NOCs in the results.")

    @pa.dataframe_check(name=COMPETITORS.id)
    def _competitors(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return count_agrees(data, "Competitors", "declared")

    @pa.dataframe_check(name=NATIONS.id)
    def _nations(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return count_agrees(data, "Nations", "declared")

    @pa.dataframe_check(name=TEAMS.id)
    def _teams(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return count_agrees(data, "Teams", "declared")


class Medals(pa.DataFrameModel):
    """Each infobox medalist with Final A's skaters at that place."""

    is_finalist_at_place: pl.Boolean = pa.Field(description="Final A has them at the place.")
    noc_as_printed: pl.String = pa.Field(nullable=True, description="The infobox's NOC.")
    entry_noc: pl.String = pa.Field(description="The NOC the medalist skated for.")

    @pa.check("is_finalist_at_place", name=MEDALISTS.id)
    def _medalists(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("is_finalist_at_place"))

    @pa.dataframe_check(name=MEDAL_NOCS.id)
    def _nocs(cls, data: pa.PolarsData) -> pl.LazyFrame:
        printed = pl.col("noc_as_printed")
        return data.lazyframe.select(printed.is_null() | (printed == pl.col("entry_noc")))


def run(con: duckdb.DuckDBPyConnection) -> list[Failure]:
    """Failures of the tally rules."""
    return [
        *validate(con.sql(COUNTS_SQL), Counts, CHECKS, "infobox"),
        *validate(con.sql(MEDALS_SQL), Medals, CHECKS, "medals"),
    ]


RULE = Rule(CHECKS, run, "event", order=70)
