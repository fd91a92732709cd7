"""Load: the Parquet tables into a DuckDB file with comments, a time macro and views."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from core.errors import InputError
from core.escape import sql_text
from core.model import TABLES, constraint_statements
from core.views import FORMAT_TIME_MACRO, VIEWS

# duckdb 2.x writes a newer storage format by default; the stock CLI (duckdb-cli 1.5 on PyPI)
# reads up to v1.5.0, so the file is written in that format.
STORAGE_VERSION = "v1.5.0"
DISK_FULL = (errno.ENOSPC, errno.EDQUOT)


def _check_parquet(parquet: Path) -> None:
    """Every table's Parquet file exists and has exactly the model's schema."""
    for spec in TABLES:
        path = parquet / f"{spec.name}.parquet"
        if not path.is_file():
            raise InputError(
                path.as_posix(), "expected a Parquet file written by `pipeline run`, found none"
            )
        found = pq.read_schema(path).remove_metadata()
        if not found.equals(spec.schema):
            raise InputError(
                path.as_posix(),
                f"expected the schema of table {spec.name}, "
                f"found {found.to_string(show_schema_metadata=False)!r}",
            )


def _schema_script(parquet: Path) -> str:
    """Every CREATE and COMMENT statement of the warehouse, as one script (one round trip,
    one transaction: a few hundred single statements cost more than a small event's data)."""
    statements = []
    for spec in TABLES:
        path = sql_text((parquet / f"{spec.name}.parquet").as_posix())
        statements.append(f"CREATE TABLE {spec.name} AS SELECT * FROM read_parquet({path})")
        statements.append(f"COMMENT ON TABLE {spec.name} IS {sql_text(spec.description)}")
        statements += [
            f"COMMENT ON COLUMN {spec.name}.{column.name} IS {sql_text(column.description)}"
            for column in spec.columns
        ]
    statements.append(FORMAT_TIME_MACRO)
    for view in VIEWS:
        statements.append(f"CREATE VIEW {view.name} AS {view.sql}")
        statements.append(f"COMMENT ON VIEW {view.name} IS {sql_text(view.description)}")
        statements += [
            f"COMMENT ON COLUMN {view.name}.{name} IS {sql_text(description)}"
            for name, description in view.columns.items()
        ]
    return "BEGIN;\n" + ";\n".join(statements) + ";\nCOMMIT;\nCHECKPOINT;"


def _write_error(database: Path, error: Exception) -> InputError | None:
    """The input error for a database that could not be written (a full disk, a file that
    cannot be created), or None for any other failure, which is a bug."""
    detail = error.strerror if isinstance(error, OSError) else " ".join(str(error).split())
    # DuckDB reports a full disk as an IO, transaction or fatal error, depending on whether
    # the WAL, a commit or the checkpoint hit it; the system's words are in each.
    full = getattr(error, "errno", None) in DISK_FULL or any(
        os.strerror(code) in str(error) for code in DISK_FULL
    )
    if full:
        return InputError(database.as_posix(), f"expected free disk space, found none ({detail})")
    if isinstance(error, duckdb.IOException):
        return InputError(database.as_posix(), f"expected a writable database file ({detail})")
    return None


def load_duckdb(parquet: Path, database: Path) -> dict[str, int]:
    """Create `database` from the Parquet files; return the row count of each table."""
    _check_parquet(parquet)
    config: dict[str, str | bool | int | float | list[str]] = {
        "storage_compatibility_version": STORAGE_VERSION
    }
    try:
        with duckdb.connect(str(database), config=config) as con:
            con.execute(_schema_script(parquet))
            counted = " UNION ALL ".join(
                f"SELECT '{spec.name}', count(*) FROM {spec.name}" for spec in TABLES
            )
            return {str(name): int(rows) for name, rows in con.execute(counted).fetchall()}
    except (duckdb.Error, OSError) as error:
        refused = _write_error(database, error)
        if refused is None:
            raise
        raise refused from error


def declare_constraints(database: Path) -> list[str]:
    """Declare in `database` the keys and NOT NULLs its passed checks guarantee, so that a
    query planner and a reader of `DESCRIBE` can rely on them. A constraint the data breaks
    (a waiver accepted the duplicate or the null) is left undeclared: returned, for the
    build to say so. One transaction when all hold (the usual case: half the time of one
    statement at a time)."""
    statements = constraint_statements(TABLES)
    with duckdb.connect(str(database)) as con:
        try:
            con.execute("BEGIN;\n" + ";\n".join(statements) + ";\nCOMMIT;")
            undeclared = []
        except duckdb.ConstraintException:
            con.execute("ROLLBACK")
            undeclared = [s for s in statements if not _declared(con, s)]
        con.execute("CHECKPOINT")
    return undeclared


def _declared(con: duckdb.DuckDBPyConnection, statement: str) -> bool:
    try:
        con.execute(statement)
    except duckdb.ConstraintException:
        return False
    return True
