"""Identity: names that matched their athlete only through folding or an alias are shown."""

from __future__ import annotations

import duckdb
import pandera.polars as pa
import polars as pl

from checks.framework.check import Check, Failure
from checks.framework.rule import Rule
from checks.framework.validate import validate

INDIRECT_NAME = Check(
    id="identity.indirect-name",
    severity="warn",
    description="A printed name matches its athlete's registered spelling, or a name they took on "
    "a date.",
    message="{name_as_printed!r} was resolved to {athlete_name} {how}",
    expected="{athlete_name}",
    found="{name_as_printed}",
)
CHECKS = (INDIRECT_NAME,)

FRAME_SQL = """
WITH printed AS (
    -- Every printed skater name: individual results and the skaters of relay teams.
    SELECT athlete_id, name_as_printed, name_match, source_file, source_line
    FROM results WHERE athlete_id IS NOT NULL
    UNION ALL
    SELECT athlete_id, name_as_printed, name_match, source_file, source_line FROM team_skaters
)
SELECT r.name_as_printed, r.name_match, r.source_file, r.source_line, a.name AS athlete_name,
       CASE WHEN r.name_match = 'alias'
            THEN 'through the alias at ' || al.source_file || ':' || al.source_line
            ELSE 'ignoring case and diacritics' END AS how
FROM printed AS r
JOIN athletes AS a USING (athlete_id)
LEFT JOIN athlete_aliases AS al ON al.athlete_id = r.athlete_id AND al.alias = r.name_as_printed
"""


class PrintedNames(pa.DataFrameModel):
    """Every printed result name with how it was resolved."""

    name_match: pl.String = pa.Field(description="exact, folded or alias.")

    @pa.check("name_match", name=INDIRECT_NAME.id)
    def _exact(cls, data: pa.PolarsData) -> pl.LazyFrame:
        # A renamed athlete's new name (a dated alias) is theirs, not a misspelling.
        return data.lazyframe.select(pl.col("name_match").is_in(("exact", "renamed")))


def run(con: duckdb.DuckDBPyConnection) -> list[Failure]:
    """Warnings for names resolved indirectly."""
    return validate(con.sql(FRAME_SQL), PrintedNames, CHECKS, "results")


RULE = Rule(CHECKS, run, "event", order=80)
