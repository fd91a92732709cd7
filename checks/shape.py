"""A warehouse the checks can judge: every table of this version's model, with each declared
column of its declared type. The rules are SQL over those columns: a table or column missing,
or a column of another type (an older version's warehouse, or one altered by hand), would stop
them half-way with DuckDB's binder error. It is refused as bad input instead, every problem
named, before any rule runs. A column too many breaks no rule: the schema check reports it."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa

from core.errors import InputError, InputErrors, PipelineError
from core.model import TABLES

# The DuckDB type a declared Arrow type loads as (information_schema.columns.data_type).
DUCKDB_TYPES = {
    pa.string(): "VARCHAR",
    pa.int8(): "TINYINT",
    pa.int16(): "SMALLINT",
    pa.int32(): "INTEGER",
    pa.float64(): "DOUBLE",
    pa.date32(): "DATE",
    pa.bool_(): "BOOLEAN",
}


def require_shape(con: duckdb.DuckDBPyConnection, database: Path) -> None:
    """Refuse (exit 2) a warehouse without a table of this version, or with a declared column
    missing or of another type, naming each."""
    found: dict[str, dict[str, str]] = {}
    for table, column, type_ in con.execute(
        "SELECT table_name, column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = 'main'"
    ).fetchall():
        found.setdefault(str(table), {})[str(column)] = str(type_)
    missing = [spec.name for spec in TABLES if spec.name not in found]
    if missing:
        raise InputError(
            database.as_posix(),
            "expected a warehouse with every table of this version (rebuild it: `pipeline "
            f"run`), found one built by an older version, without {', '.join(missing)}",
        )
    problems: list[PipelineError] = [
        InputError(
            database.as_posix(),
            f"expected {spec.name}.{column.name} of type {DUCKDB_TYPES[column.type]}, as this "
            "version builds it (rebuild it: `pipeline run`), found "
            + (f"type {columns[column.name]}" if column.name in columns else "no such column"),
        )
        for spec in TABLES
        for columns in [found[spec.name]]
        for column in spec.columns
        if columns.get(column.name) != DUCKDB_TYPES[column.type]
    ]
    if problems:
        raise problems[0] if len(problems) == 1 else InputErrors(problems)
