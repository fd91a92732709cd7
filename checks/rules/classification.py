"""The derived classification agrees with what the page declares: medalists hold positions 1-3,
every declared competitor (or relay team) is classified or unranked, positions run 1..n, and a
classification the page prints itself gives each entrant the derived position."""

from __future__ import annotations

import duckdb
import pandera.polars as pa
import polars as pl

from checks.framework.check import Check, Failure
from checks.framework.rule import Rule
from checks.framework.validate import validate

MEDALISTS = Check(
    id="classification.medalists",
    severity="error",
    description="The infobox's gold, silver and bronze medalists hold positions 1, 2 and 3.",
    message="the {medal} medalist {name_as_printed} is classified {classified}",
    expected="position {place}",
    found="{classified}",
)
ENTRANTS = Check(
    id="classification.entrants",
    severity="error",
    description="The infobox's Competitors (Teams in a relay) equals the classified plus the "
    "unranked.",
    message="the infobox claims {declared} {what}; the classification has {ranked} ranked and "
    "{unranked} unranked",
    expected="{declared}",
    found="{classified}",
)
POSITIONS = Check(
    id="classification.positions",
    severity="error",
    description="Positions run 1..n, equal entrants sharing one and the next skipping (1, 2, 2, "
    "4).",
    message="{entrant_id} is classified {position} in {event_id}, where the ranking gives "
    "{expected}",
    expected="position {expected}",
    found="{position}",
)
PRINTED = Check(
    id="classification.printed",
    severity="error",
    description="Where a page prints its own classification, each entrant's printed position is "
    "the derived one (a dash for the unranked).",
    message="the page's classification places {name_as_printed} {printed}; the derived one "
    "{derived}",
    expected="{derived}",
    found="{printed}",
)
CHECKS = (MEDALISTS, ENTRANTS, POSITIONS, PRINTED)

MEDALISTS_SQL = """
SELECT m.medal, m.place, m.name_as_printed, m.source_file, m.source_line,
       c.position, coalesce('position ' || c.position, c.status, 'nowhere') AS classified
FROM medals AS m
LEFT JOIN classification AS c USING (entrant_id)
"""

ENTRANTS_SQL = """
WITH counted AS (
    SELECT event_id, count(position) AS ranked, count(*) - count(position) AS unranked
    FROM classification GROUP BY event_id
)
SELECT ib.source_file, ib.source_line, ib.key,
       CASE WHEN e.is_relay THEN 'teams' ELSE 'competitors' END AS what,
       CASE WHEN e.is_relay THEN e.teams_declared ELSE e.competitors_declared END AS declared,
       coalesce(c.ranked, 0) AS ranked, coalesce(c.unranked, 0) AS unranked,
       coalesce(c.ranked + c.unranked, 0) AS classified
FROM infobox AS ib
JOIN events AS e USING (event_id)
LEFT JOIN counted AS c USING (event_id)
WHERE ib.key = CASE WHEN e.is_relay THEN 'Teams' ELSE 'Competitors' END
"""

POSITIONS_SQL = """
SELECT event_id, entrant_id, position, source_file, source_line,
       rank() OVER (PARTITION BY event_id ORDER BY position) AS expected
FROM classification
WHERE position IS NOT NULL
"""


PRINTED_SQL = """
SELECT p.name_as_printed, p.source_file, p.source_line, p.position_as_printed, c.position,
       coalesce('position ' || p.position_as_printed, 'unranked') AS printed,
       coalesce('position ' || c.position, c.status, 'nowhere') AS derived,
       c.entrant_id IS NOT NULL AS classified
FROM printed_classification AS p
LEFT JOIN classification AS c USING (entrant_id)
"""


class Medalists(pa.DataFrameModel):
    """Each infobox medalist with the position the classification gives its entrant."""

    place: pl.Int8 = pa.Field(description="1 gold, 2 silver, 3 bronze.")
    position: pl.Int16 = pa.Field(nullable=True, description="Classified position.")

    @pa.dataframe_check(name=MEDALISTS.id)
    def _at_their_place(cls, data: pa.PolarsData) -> pl.LazyFrame:
        same = pl.col("position").cast(pl.Int64) == pl.col("place").cast(pl.Int64)
        return data.lazyframe.select(same.fill_null(False))


class Entrants(pa.DataFrameModel):
    """The infobox's count of competitors (or teams) with the classification's."""

    declared: pl.Int16 = pa.Field(nullable=True, description="The infobox's number.")
    classified: pl.Int64 = pa.Field(description="Ranked plus unranked entrants.")

    @pa.dataframe_check(name=ENTRANTS.id)
    def _all_classified(cls, data: pa.PolarsData) -> pl.LazyFrame:
        agree = pl.col("declared").cast(pl.Int64) == pl.col("classified")
        return data.lazyframe.select(pl.col("declared").is_null() | agree)


class Positions(pa.DataFrameModel):
    """Each ranked entrant with the competition rank its position has among the event's."""

    position: pl.Int16 = pa.Field(description="Classified position.")
    expected: pl.Int64 = pa.Field(description="Competition rank of that position.")

    @pa.dataframe_check(name=POSITIONS.id)
    def _one_to_n(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("position").cast(pl.Int64) == pl.col("expected"))


class Printed(pa.DataFrameModel):
    """Each row of a printed classification with the derived position of its entrant."""

    position_as_printed: pl.Int16 = pa.Field(nullable=True, description="Printed position.")
    position: pl.Int16 = pa.Field(nullable=True, description="Derived position.")
    classified: pl.Boolean = pa.Field(description="The entrant is in the classification.")

    @pa.dataframe_check(name=PRINTED.id)
    def _as_derived(cls, data: pa.PolarsData) -> pl.LazyFrame:
        printed, derived = pl.col("position_as_printed"), pl.col("position")
        same = (printed == derived).fill_null(False) | (printed.is_null() & derived.is_null())
        return data.lazyframe.select(pl.col("classified") & same)


def run(con: duckdb.DuckDBPyConnection) -> list[Failure]:
    """Failures of the classification rules."""
    return [
        *validate(con.sql(MEDALISTS_SQL), Medalists, CHECKS, "medals"),
        *validate(con.sql(ENTRANTS_SQL), Entrants, CHECKS, "infobox"),
        *validate(con.sql(POSITIONS_SQL), Positions, CHECKS, "classification"),
        *validate(con.sql(PRINTED_SQL), Printed, CHECKS, "printed_classification"),
    ]


RULE = Rule(CHECKS, run, "event", order=75)
