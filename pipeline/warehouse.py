"""Load: the Parquet tables into a DuckDB file with comments, a time macro and views."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from pipeline.errors import InputError
from pipeline.model import TABLES
from pipeline.views import FORMAT_TIME_MACRO, VIEWS

DUCKDB_FILE = "skating.duckdb"
PARQUET_DIR = "parquet"
# duckdb 2.x writes a newer storage format by default; the stock CLI (duckdb-cli 1.5 on PyPI)
# reads up to v1.5.0, so the file is written in that format.
STORAGE_VERSION = "v1.5.0"


def sql_text(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def _check_parquet(parquet: Path) -> None:
    """Every table's Parquet file exists and has exactly the model's schema."""
    for spec in TABLES:
        path = parquet / f"{spec.name}.parquet"
        if not path.is_file():
            raise InputError(
                path.as_posix(), "expected a Parquet file written by `pipeline ingest`, found none"
            )
        found = pq.read_schema(path).remove_metadata()
        if not found.equals(spec.schema):
            raise InputError(
                path.as_posix(),
                f"expected the schema of table {spec.name}, "
                f"found {found.to_string(show_schema_metadata=False)!r}",
            )


def load_duckdb(parquet: Path, database: Path) -> dict[str, int]:
    """Create `database` from the Parquet files; return the row count of each table."""
    _check_parquet(parquet)
    counts = {}
    config: dict[str, str | bool | int | float | list[str]] = {
        "storage_compatibility_version": STORAGE_VERSION
    }
    with duckdb.connect(str(database), config=config) as con:
        for spec in TABLES:
            path = sql_text((parquet / f"{spec.name}.parquet").as_posix())
            con.execute(f"CREATE TABLE {spec.name} AS SELECT * FROM read_parquet({path})")
            con.execute(f"COMMENT ON TABLE {spec.name} IS {sql_text(spec.description)}")
            for column in spec.columns:
                con.execute(
                    f"COMMENT ON COLUMN {spec.name}.{column.name} IS {sql_text(column.description)}"
                )
            row = con.execute(f"SELECT count(*) FROM {spec.name}").fetchone()
            counts[spec.name] = int(row[0]) if row else 0
        con.execute(FORMAT_TIME_MACRO)
        for view in VIEWS:
            con.execute(f"CREATE VIEW {view.name} AS {view.sql}")
            con.execute(f"COMMENT ON VIEW {view.name} IS {sql_text(view.description)}")
            for name, description in view.columns.items():
                con.execute(f"COMMENT ON COLUMN {view.name}.{name} IS {sql_text(description)}")
        con.execute("CHECKPOINT")
    return counts
