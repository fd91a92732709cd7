"""Per-table schemas: types, nullability and keys generated from pipeline/model.py (the one place
columns are declared), plus the results table's own rules as a pandera DataFrameModel."""

from __future__ import annotations

import duckdb
import pandera.polars as pa
import polars as pl
import pyarrow

from checks.check import Check, Failure
from checks.validate import validate
from pipeline.model import TABLES, TableSpec

POLARS_TYPES = {
    pyarrow.string(): pl.String,
    pyarrow.int8(): pl.Int8,
    pyarrow.int16(): pl.Int16,
    pyarrow.int32(): pl.Int32,
    pyarrow.date32(): pl.Date,
    pyarrow.bool_(): pl.Boolean,
}
KEYS = {"events": "event_id", "nations": "noc", "athletes": "athlete_id", "races": "race_id"}

UNIQUE_KEY = Check(
    id="schema.unique-keys",
    severity="error",
    description="Key columns (event_id, noc, athlete_id, race_id) are unique in their table.",
    message="{table}.{column} repeats a key",
    expected="each key once",
    found="{failure_case} again",
)


def table_schema(spec: TableSpec) -> pa.DataFrameSchema:
    """The pandera schema of a warehouse table, straight from its Arrow declaration."""
    return pa.DataFrameSchema(
        {
            column.name: pa.Column(
                POLARS_TYPES[column.type],
                nullable=column.nullable,
                unique=KEYS.get(spec.name) == column.name,
                description=column.description,
            )
            for column in spec.columns
        },
        name=spec.name,
        strict=True,
        description=spec.description,
    )


def check_tables(con: duckdb.DuckDBPyConnection) -> list[Failure]:
    """Validate every table against its declared schema."""
    failures = []
    for spec in TABLES:
        frame = con.sql(f"SELECT * FROM {spec.name}").to_arrow_table()
        found = validate(frame, table_schema(spec), [], spec.name)
        for failure in found:
            if "field_uniqueness" in failure.message:
                column = KEYS[spec.name]
                row = {
                    "table": spec.name,
                    "column": column,
                    "failure_case": failure.found,
                    "source_file": failure.path,
                    "source_line": failure.line,
                }
                failure = UNIQUE_KEY.failure(row)
            failures.append(failure)
    return failures
