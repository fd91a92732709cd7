"""Foreign keys: every reference between warehouse tables leads to an existing row."""

from __future__ import annotations

import duckdb
import pandera.polars as pa
import polars as pl

from checks.framework.check import Check, Failure
from checks.framework.rule import Rule
from checks.framework.validate import validate
from core.model import TABLES

FOREIGN_KEY = Check(
    id="keys.foreign-key",
    severity="error",
    description="Every reference (race, entrant, athlete, NOC, event) names a row that exists (a "
    "race or "
    "entrant of the referring row's own event).",
    message="{child}.{column} refers to a missing {parent} row",
    expected="a {parent} key",
    found="{value!r}",
)
CHECKS = (FOREIGN_KEY,)

# (child table, column, parent table, parent key): declared on the columns (core/model.py).
REFERENCES = tuple(
    (spec.name, column.name, *column.references)
    for spec in TABLES
    for column in spec.columns
    if column.references is not None
)
# A race or an entrant belongs to one event: a row referring to one names it within its own
# event (the per-event checks, and their ranges of events, rely on that).
PER_EVENT = ("races", "entrants")
FRAME_SQL = "\nUNION ALL\n".join(
    f"SELECT '{child}' AS child, '{column}' AS column, '{parent}' AS parent, "
    f"c.{column} AS value, c.source_file, c.source_line, "
    f"c.{column} IS NULL OR p.{key} IS NOT NULL AS has_parent "
    f"FROM {child} AS c LEFT JOIN {parent} AS p ON p.{key} = c.{column}"
    + (" AND p.event_id = c.event_id" if parent in PER_EVENT else "")
    for child, column, parent, key in REFERENCES
)


class References(pa.DataFrameModel):
    """Every reference with whether its parent row exists."""

    has_parent: pl.Boolean = pa.Field(description="The referenced row exists.")

    @pa.check("has_parent", name=FOREIGN_KEY.id)
    def _exists(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("has_parent"))


def run(con: duckdb.DuckDBPyConnection) -> list[Failure]:
    """Failures of the foreign-key rule."""
    return validate(con.sql(FRAME_SQL), References, CHECKS, "references")


RULE = Rule(CHECKS, run, "global", order=20)
