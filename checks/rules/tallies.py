"""The infobox tallies hold: competitors, nations, and medalists = Final A ranks 1-3."""

from __future__ import annotations

import duckdb
import pandera.polars as pa
import polars as pl

from checks.check import Check, Failure
from checks.rule import Rule
from checks.validate import validate

COMPETITORS = Check(
    "tallies.competitors",
    "error",
    "The infobox's Competitors equals the distinct athletes in the results.",
    "the infobox claims {declared} competitors; the results have {found}",
    "{found}",
    "{declared}",
)
NATIONS = Check(
    "tallies.nations",
    "error",
    "The infobox's Nations equals the distinct NOCs of the athletes in the results.",
    "the infobox claims {declared} nations; the results have {found}",
    "{found}",
    "{declared}",
)
MEDALISTS = Check(
    "tallies.medalists",
    "error",
    "The infobox's Gold, Silver and Bronze are Final A's ranks 1, 2 and 3.",
    "the {medal} medalist {name_as_printed} is not rank {place} of the final",
    "{final_names}",
    "{name_as_printed}",
)
MEDAL_NOCS = Check(
    "tallies.medal-nocs",
    "error",
    "The infobox's Goldnoc, Silvernoc and Bronzenoc are the medalists' registered NOCs.",
    "the {medal} medalist {athlete_name} is registered for {registry_noc}",
    "{registry_noc}",
    "{noc_as_printed}",
    line_column="noc_source_line",
)
CHECKS = (COMPETITORS, NATIONS, MEDALISTS, MEDAL_NOCS)

COUNTS_SQL = """
WITH found AS (
    SELECT r.event_id, count(DISTINCT r.athlete_id) AS competitors,
           count(DISTINCT a.noc) AS nations
    FROM results AS r JOIN athletes AS a USING (athlete_id) GROUP BY r.event_id
)
SELECT ib.key, ib.source_file, ib.source_line,
       CASE ib.key WHEN 'Competitors' THEN e.competitors_declared
                   ELSE e.nations_declared END AS declared,
       CASE ib.key WHEN 'Competitors' THEN coalesce(f.competitors, 0)
                   ELSE coalesce(f.nations, 0) END AS found
FROM infobox AS ib
JOIN events AS e USING (event_id)
LEFT JOIN found AS f USING (event_id)
WHERE ib.key IN ('Competitors', 'Nations')
"""

MEDALS_SQL = """
WITH final_a AS (
    SELECT r.event_id, r.rank, r.athlete_id, r.name_as_printed, r.source_line
    FROM results AS r JOIN races AS ra USING (race_id)
    WHERE ra.round = 'finals' AND ra.race_number = 1
)
SELECT m.medal, m.place, m.name_as_printed, m.noc_as_printed, m.source_file, m.source_line,
       m.noc_source_line,
       a.name AS athlete_name, a.noc AS registry_noc,
       coalesce(bool_or(f.athlete_id = m.athlete_id), false) AS is_finalist_at_place,
       coalesce(string_agg(f.name_as_printed, ', ' ORDER BY f.source_line), 'nobody')
           AS final_names
FROM medals AS m
JOIN athletes AS a USING (athlete_id)
LEFT JOIN final_a AS f ON f.event_id = m.event_id AND f.rank = m.place
GROUP BY ALL
"""


class Counts(pa.DataFrameModel):
    """The infobox's Competitors and Nations lines with what the results count."""

    key: pl.String = pa.Field(description="Competitors or Nations.")
    declared: pl.Int16 = pa.Field(description="The infobox's number.")
    found: pl.Int64 = pa.Field(description="Distinct athletes or NOCs in the results.")

    @pa.dataframe_check(name=COMPETITORS.id)
    def _competitors(cls, data: pa.PolarsData) -> pl.LazyFrame:
        agree = pl.col("declared").cast(pl.Int64) == pl.col("found")
        return data.lazyframe.select((pl.col("key") != "Competitors") | agree)

    @pa.dataframe_check(name=NATIONS.id)
    def _nations(cls, data: pa.PolarsData) -> pl.LazyFrame:
        agree = pl.col("declared").cast(pl.Int64) == pl.col("found")
        return data.lazyframe.select((pl.col("key") != "Nations") | agree)


class Medals(pa.DataFrameModel):
    """Each infobox medalist with Final A's skaters at that place."""

    is_finalist_at_place: pl.Boolean = pa.Field(description="Final A has them at the place.")
    noc_as_printed: pl.String = pa.Field(nullable=True, description="The infobox's NOC.")
    registry_noc: pl.String = pa.Field(description="The medalist's registered NOC.")

    @pa.check("is_finalist_at_place", name=MEDALISTS.id)
    def _medalists(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("is_finalist_at_place"))

    @pa.dataframe_check(name=MEDAL_NOCS.id)
    def _nocs(cls, data: pa.PolarsData) -> pl.LazyFrame:
        printed = pl.col("noc_as_printed")
        return data.lazyframe.select(printed.is_null() | (printed == pl.col("registry_noc")))


def run(con: duckdb.DuckDBPyConnection) -> list[Failure]:
    """Failures of the tally rules."""
    return [
        *validate(con.sql(COUNTS_SQL), Counts, CHECKS, "infobox"),
        *validate(con.sql(MEDALS_SQL), Medals, CHECKS, "medals"),
    ]


RULE = Rule(CHECKS, run, "event", order=70)
