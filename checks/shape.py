"""A warehouse the checks can judge: every table of this version's model, a table (not a view
in its place), with each declared column of its declared type. The rules are SQL over those
columns: a table or column missing, or a column of another type (an older version's
warehouse, or one altered by hand), would stop them half-way with DuckDB's error. It is
refused as bad input instead, every problem named, before any rule runs. A column too many
breaks no rule: the schema check reports it."""

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
REBUILD = "(rebuild it: `pipeline run`)"


def shape_problems(
    con: duckdb.DuckDBPyConnection, database: Path, *, missing_ok: bool = False
) -> list[PipelineError]:
    """Each way the warehouse's tables differ from this version's model: tables missing
    (unless `missing_ok`: `pipeline list` shows an older warehouse as it is), a view where a
    table belongs, a declared column missing or of another type."""
    kinds = dict(
        con.execute(
            "SELECT table_name, table_type FROM information_schema.tables "
            "WHERE table_schema = 'main'"
        ).fetchall()
    )
    found: dict[str, dict[str, str]] = {}
    for table, column, type_ in con.execute(
        "SELECT table_name, column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = 'main'"
    ).fetchall():
        found.setdefault(str(table), {})[str(column)] = str(type_)
    shown = database.as_posix()
    problems: list[PipelineError] = []
    missing = [spec.name for spec in TABLES if spec.name not in kinds]
    if missing and not missing_ok:
        problems.append(
            InputError(
                shown,
                f"expected a warehouse with every table of this version {REBUILD}, found one "
                f"built by an older version, without {', '.join(missing)}",
            )
        )
    for spec in TABLES:
        if spec.name not in kinds:
            continue
        if kinds[spec.name] != "BASE TABLE":
            kind = str(kinds[spec.name]).lower()
            problems.append(
                InputError(shown, f"expected {spec.name} to be a table, found a {kind}")
            )
            continue
        columns = found.get(spec.name, {})
        problems += [
            InputError(
                shown,
                f"expected {spec.name}.{column.name} of type {DUCKDB_TYPES[column.type]}, as "
                f"this version builds it {REBUILD}, found "
                + (f"type {columns[column.name]}" if column.name in columns else "no such column"),
            )
            for column in spec.columns
            if columns.get(column.name) != DUCKDB_TYPES[column.type]
        ]
    return problems


def require_shape(
    con: duckdb.DuckDBPyConnection, database: Path, *, missing_ok: bool = False
) -> None:
    """Refuse (exit 2) a warehouse whose tables differ from the model, naming every way."""
    problems = shape_problems(con, database, missing_ok=missing_ok)
    if problems:
        raise problems[0] if len(problems) == 1 else InputErrors(problems)
