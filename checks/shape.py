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

from core.errors import InputError, PipelineError, raise_problems
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
BASE_TABLE = "BASE TABLE"  # information_schema.tables.table_type of a table, not a view


def a_view_for_a_table(database: Path, table: str) -> InputError:
    """A view put where a table of the model belongs (by hand): it may show anything."""
    return InputError(database.as_posix(), f"expected {table} to be a table, found a view")


def table_kinds(con: duckdb.DuckDBPyConnection, catalog: str | None = None) -> dict[str, str]:
    """The warehouse's tables and views by name, each `BASE TABLE` or `VIEW` (of the attached
    database `catalog`, if given)."""
    rows = con.execute(
        "SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = "
        "'main' AND ($catalog IS NULL OR table_catalog = $catalog)",
        {"catalog": catalog},
    ).fetchall()
    return {str(name): str(kind) for name, kind in rows}


def shape_problems(
    con: duckdb.DuckDBPyConnection, database: Path, *, missing_ok: bool = False
) -> list[PipelineError]:
    """Each way the warehouse's tables differ from this version's model: tables missing
    (unless `missing_ok`: `pipeline list` shows an older warehouse as it is), a view where a
    table belongs, a declared column missing or of another type."""
    kinds = table_kinds(con)
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
        if kinds[spec.name] != BASE_TABLE:
            problems.append(a_view_for_a_table(database, spec.name))
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
    raise_problems(shape_problems(con, database, missing_ok=missing_ok))
