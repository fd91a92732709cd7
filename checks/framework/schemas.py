"""Per-table schemas: types, nullability and keys generated from core/model.py (the one place
columns are declared), plus the results table's own rules as a pandera DataFrameModel."""

from __future__ import annotations

from collections.abc import Iterable

import duckdb
import pandera.polars as pa
import polars as pl
import pyarrow

from checks.framework.check import Check, Failure
from checks.framework.validate import BATCH_ROWS, validate
from core.model import SHARED, TABLES, TableSpec

POLARS_TYPES = {
    pyarrow.string(): pl.String,
    pyarrow.int8(): pl.Int8,
    pyarrow.int16(): pl.Int16,
    pyarrow.int32(): pl.Int32,
    pyarrow.date32(): pl.Date,
    pyarrow.bool_(): pl.Boolean,
    pyarrow.float64(): pl.Float64,
}

UNIQUE_KEY = Check(
    id="schema.unique-keys",
    severity="error",
    description=(
        "Key columns (event_id, noc, athlete_id, race_id, entrant_id) are unique in their table."
    ),
    message="{table}.{column} repeats a key",
    expected="each key once",
    found="{failure_case} again",
)


ACCEPTED_VALUE = Check(
    id="schema.accepted-values",
    severity="error",
    description="Coded columns (status, name_match, medal, kind, gender, round) hold known codes.",
    message="{table}.{column} holds an unknown code",
    expected="a known {table}.{column} code (checks/framework/schemas.py ACCEPTED)",
    found="{failure_case!r}",
)
# The parser only writes these codes; the check guards the warehouse file itself. Declared on
# the columns in core/model.py.
ACCEPTED = {
    (spec.name, column.name): column.accepted
    for spec in TABLES
    for column in spec.columns
    if column.accepted is not None
}


def table_schema(spec: TableSpec, with_key: bool = False) -> pa.DataFrameSchema:
    """The pandera schema of a warehouse table, straight from its Arrow declaration; `with_key`
    adds the key's uniqueness (right only when the table is validated in one batch)."""
    return pa.DataFrameSchema(
        {
            column.name: pa.Column(
                POLARS_TYPES[column.type],
                nullable=column.nullable,
                description=column.description,
                checks=[
                    pa.Check.isin(accepted, name=ACCEPTED_VALUE.id, error=ACCEPTED_VALUE.id)
                    for accepted in [ACCEPTED.get((spec.name, column.name))]
                    if accepted
                ]
                + ([_unique_check()] if with_key and column.name == spec.key else []),
            )
            for column in spec.columns
        },
        name=spec.name,
        strict=True,
        description=spec.description,
    )


def _unique(data: pa.PolarsData) -> pl.LazyFrame:
    return data.lazyframe.select(~pl.col(data.key).is_duplicated())


def _unique_check() -> pa.Check:
    return pa.Check(_unique, name=UNIQUE_KEY.id, error=UNIQUE_KEY.id)


def key_schema(spec: TableSpec, key: str) -> pa.DataFrameSchema:
    """A schema of the table's key column alone, unique (validated over the whole column)."""
    return pa.DataFrameSchema({key: pa.Column(pl.String, checks=[_unique_check()])}, name=spec.name)


def check_event_tables(con: duckdb.DuckDBPyConnection) -> list[Failure]:
    """The event tables, each against its declared schema (see check_tables)."""
    return check_tables(con, [spec for spec in TABLES if spec.scope != SHARED])


def check_shared_tables(con: duckdb.DuckDBPyConnection) -> list[Failure]:
    """The shared tables (registry, references, waivers), each against its declared schema:
    what an incremental build carries from the sealed build, whose inputs they share."""
    return check_tables(con, [spec for spec in TABLES if spec.scope == SHARED])


def check_tables(con: duckdb.DuckDBPyConnection, specs: Iterable[TableSpec]) -> list[Failure]:
    """Validate each table against its declared schema, and key columns for uniqueness: in
    the same pass when the table fits one batch (each pandera validation costs about 5 ms
    however few its rows: half the schema family's time on a small warehouse)."""
    failures = []
    for spec in specs:
        key = spec.key
        together = key is not None and _rows(con, spec.name) <= BATCH_ROWS
        failures += validate(
            con.sql(f"SELECT * FROM {spec.name}"),
            table_schema(spec, with_key=together),
            [ACCEPTED_VALUE, UNIQUE_KEY],
            spec.name,
        )
        if key is None or together:
            continue
        column = con.sql(f"SELECT {key}, source_file, source_line FROM {spec.name}")
        # One batch: uniqueness is judged over the whole column.
        failures += validate(column, key_schema(spec, key), [UNIQUE_KEY], spec.name, 2**31)
    return failures


def _rows(con: duckdb.DuckDBPyConnection, table: str) -> int:
    ((rows,),) = con.execute(f"SELECT count(*) FROM {table}").fetchall()
    return int(rows)
