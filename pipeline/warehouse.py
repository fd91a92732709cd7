"""Load: the Parquet tables into a DuckDB file with comments, a time macro and views."""

from __future__ import annotations

import errno
import os
import shutil
import threading
from collections.abc import Collection, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from core.errors import InputError
from core.escape import sql_text
from core.model import (
    CHECK_TABLES,
    EVENT_TABLES,
    TABLES,
    TableSpec,
    constraint_statement,
    constraint_statements,
)
from core.views import FORMAT_TIME_MACRO, VIEWS

# duckdb 2.x writes a newer storage format by default; the stock CLI (duckdb-cli 1.5 on PyPI)
# reads up to v1.5.0, so the file is written in that format.
STORAGE_VERSION = "v1.5.0"
DISK_FULL = (errno.ENOSPC, errno.EDQUOT)
LOAD_LANES = 2  # tables loaded at once, as the checks run in two lanes (see _create_tables)


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


def _table_script(spec: TableSpec, parquet: Path) -> str:
    """A table created from its Parquet file, with its comments, as one transaction (one round
    trip: a few hundred single statements cost more than a small event's data)."""
    path = sql_text((parquet / f"{spec.name}.parquet").as_posix())
    statements = [
        f"CREATE TABLE {spec.name} AS SELECT * FROM read_parquet({path})",
        f"COMMENT ON TABLE {spec.name} IS {sql_text(spec.description)}",
        *(
            f"COMMENT ON COLUMN {spec.name}.{column.name} IS {sql_text(column.description)}"
            for column in spec.columns
        ),
    ]
    return "BEGIN;\n" + ";\n".join(statements) + ";\nCOMMIT;"


def _views_script() -> str:
    """The time macro and every view, with their comments, as one transaction."""
    statements = [FORMAT_TIME_MACRO]
    for view in VIEWS:
        statements.append(f"CREATE VIEW {view.name} AS {view.sql}")
        statements.append(f"COMMENT ON VIEW {view.name} IS {sql_text(view.description)}")
        statements += [
            f"COMMENT ON COLUMN {view.name}.{name} IS {sql_text(description)}"
            for name, description in view.columns.items()
        ]
    return "BEGIN;\n" + ";\n".join(statements) + ";\nCOMMIT;\nCHECKPOINT;"


def _create_tables(con: duckdb.DuckDBPyConnection, parquet: Path) -> None:
    """Every table from its Parquet, on LOAD_LANES cursors at once, the largest files first,
    each lane taking the next table when it is free: DuckDB fills one table on about one core
    (10,000 events: 1.65 s one after the other, 1.08 s on two lanes)."""
    sizes = {spec.name: (parquet / f"{spec.name}.parquet").stat().st_size for spec in TABLES}
    pending = iter(sorted(TABLES, key=lambda spec: -sizes[spec.name]))
    lock = threading.Lock()

    def lane() -> None:
        with con.cursor() as cursor:
            while True:
                with lock:
                    spec = next(pending, None)
                if spec is None:
                    return
                cursor.execute(_table_script(spec, parquet))

    with ThreadPoolExecutor(max_workers=LOAD_LANES) as pool:
        for running in [pool.submit(lane) for _ in range(LOAD_LANES)]:
            running.result()


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


def _counted(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """The row count of each table."""
    counted = " UNION ALL ".join(
        f"SELECT '{spec.name}', count(*) FROM {spec.name}" for spec in TABLES
    )
    return {str(name): int(rows) for name, rows in con.execute(counted).fetchall()}


def load_duckdb(parquet: Path, database: Path) -> dict[str, int]:
    """Create `database` from the Parquet files; return the row count of each table."""
    _check_parquet(parquet)
    config: dict[str, str | bool | int | float | list[str]] = {
        "storage_compatibility_version": STORAGE_VERSION
    }
    with refusing_write_errors(database), duckdb.connect(str(database), config=config) as con:
        _create_tables(con, parquet)
        con.execute(_views_script())
        return _counted(con)


@contextmanager
def refusing_write_errors(database: Path) -> Iterator[None]:
    """A full disk or an unwritable file met while writing `database` raised as the input
    error it is; any other failure is a bug, raised as it came."""
    try:
        yield
    except (duckdb.Error, OSError) as error:
        refused = _write_error(database, error)
        if refused is None:
            raise
        raise refused from error


def reuse_duckdb(
    previous: Path,
    parsed_rows: Mapping[str, pa.Table],
    database: Path,
    replaced: Collection[str],
    same: Collection[str] = (),
) -> dict[str, int] | None:
    """Create `database` as a copy of the previous build's file in which only the events
    `replaced` (changed or removed) change: their rows deleted, the re-parsed events' rows
    (`parsed_rows`, each event table's, in event order) inserted, in one transaction. The kept
    events' rows, the shared tables (an incremental build has the same registry, waivers and
    references), the views and the comments are not written again (a full load of 10,000 events
    writes 66 MB in about 1.5 s); nor are the tables `same`, whose rows the re-parsed events
    left as they were. The Parquet is not read: it may still be being written. Returns the row
    count of each table, or None when the copy's declared keys refuse a new row (a duplicate
    key): the caller then loads in full, and the checks say where the duplicate is.

    The re-parsed events' rows come after the others in their tables (the Parquet files keep
    the event order): SQL promises no order without ORDER BY, and keeping it would mean
    writing every table again, which is what this avoids."""
    with refusing_write_errors(database):
        try:
            shutil.copyfile(previous, database)
        except FileNotFoundError:  # gone since the build chose to reuse it: nothing to reuse
            return None
        return _replace_events(parsed_rows, database, replaced, same)


def _replace_events(
    parsed_rows: Mapping[str, pa.Table],
    database: Path,
    replaced: Collection[str],
    same: Collection[str],
) -> dict[str, int] | None:
    """reuse_duckdb's transaction on the copy; None (and the copy removed) when its keys
    refuse a new row."""
    try:
        with duckdb.connect(str(database)) as con:
            con.execute("BEGIN")
            # The few replaced events, not the many kept ones: one changed page among 10,000
            # events deletes in 0.03-0.04 s, where an anti-join against the 9,999 kept took
            # 0.09 s. In a table, not as constants: 9,999 names as constants took 1.5-2 s.
            con.execute(  # one list parameter: executemany takes a second per 10,000 rows
                "CREATE TEMP TABLE replaced_events AS "
                "SELECT unnest($events::VARCHAR[]) AS event_id",
                {"events": list(replaced)},
            )
            for table in (name for name in EVENT_TABLES if name not in same):
                con.execute(
                    f"DELETE FROM {table} WHERE event_id IN (SELECT event_id FROM replaced_events)"
                )
                rows = parsed_rows.get(table)
                if rows is not None and rows.num_rows:
                    con.register("parsed_rows", rows)
                    con.execute(f"INSERT INTO {table} SELECT * FROM parsed_rows")
                    con.unregister("parsed_rows")
            for spec in CHECK_TABLES:  # the previous verdict: written anew after the checks
                con.execute(f"DROP TABLE IF EXISTS {spec.name}")
            con.execute("COMMIT")
            con.execute("CHECKPOINT")
            return _counted(con)
    except duckdb.ConstraintException:
        remove_database(database)
        return None


def remove_database(database: Path) -> None:
    """A database file of this build's own, and its write-ahead log, gone."""
    database.unlink(missing_ok=True)
    database.with_name(database.name + ".wal").unlink(missing_ok=True)


def declare_constraints(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Declare in the database the keys and NOT NULLs its passed checks guarantee, so that a
    query planner and a reader of `DESCRIBE` can rely on them. A constraint the data breaks
    (a waiver accepted the duplicate or the null) is left undeclared: returned, for the
    build to say so. One transaction when all hold (the usual case: half the time of one
    statement at a time)."""
    present = _declared_already(con)  # a reused database keeps its predecessor's
    statements = [s for s in constraint_statements(TABLES) if s not in present]
    try:
        if statements:
            con.execute("BEGIN;\n" + ";\n".join(statements) + ";\nCOMMIT;")
        return []
    except duckdb.ConstraintException:
        con.execute("ROLLBACK")
        return [s for s in statements if not _declared(con, s)]


def _declared_already(con: duckdb.DuckDBPyConnection) -> set[str]:
    """The statements whose one-column PRIMARY KEY or NOT NULL the database already has."""
    found = con.execute(
        "SELECT table_name, constraint_type, constraint_column_names FROM duckdb_constraints() "
        "WHERE constraint_type IN ('PRIMARY KEY', 'NOT NULL') AND len(constraint_column_names) = 1"
    ).fetchall()
    return {constraint_statement(table, kind, columns[0]) for table, kind, columns in found}


def _declared(con: duckdb.DuckDBPyConnection, statement: str) -> bool:
    try:
        con.execute(statement)
    except duckdb.ConstraintException:
        return False
    return True
