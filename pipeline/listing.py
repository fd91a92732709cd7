"""`pipeline list checks|events|tables`: what the project checks, what the warehouse holds and
how many rows each table and view has (dbt's `ls`, sqlite-utils' `tables --counts`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from checks.shape import REBUILD, require_shape, table_kinds
from core.errors import InputError
from core.model import CHECK_TABLES, TABLES
from core.views import VIEWS
from pipeline.publish import DUCKDB_FILE
from pipeline.query import connect

Listing = tuple[list[str], list[tuple[object, ...]]]  # columns, rows


def list_checks() -> Listing:
    """The check catalogue, in the order the checks run and report (no warehouse needed)."""
    from checks.catalog import ALL_CHECKS

    rows = [(c.id, c.family, c.severity, c.description) for c in ALL_CHECKS]
    return ["check_id", "family", "severity", "description"], list(rows)


def _altered(warehouse: Path, error: duckdb.Error) -> InputError:
    """A view the listing reads no longer reads (replaced by hand, or over a table since
    dropped): bad input, in DuckDB's words."""
    reason = str(error).split("\n", 1)[0]
    return InputError(
        warehouse.as_posix(),
        f"expected a warehouse with this version's tables and columns {REBUILD}, found: {reason}",
    )


@contextmanager
def _reading(warehouse: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """The warehouse read-only, refused (exit 2, every problem named) where a table of the
    model is a view or lacks a declared column or type; an older version's missing tables
    are listed as missing. What DuckDB still cannot read (a view replaced by hand) is bad
    input too."""
    with connect(warehouse) as con:
        require_shape(con, warehouse / DUCKDB_FILE, missing_ok=True)
        try:
            yield con
        except duckdb.Error as error:
            raise _altered(warehouse, error) from None


def list_events(warehouse: Path) -> Listing:
    """The warehouse's events with their competition, dates and how many results they hold."""
    with _reading(warehouse) as con:
        relation = con.sql(
            "SELECT e.event_id, e.competition, e.event_name, e.start_date, e.end_date, "
            "count(r.race_id) AS results, e.source_file "
            "FROM events AS e LEFT JOIN results AS r USING (event_id) "
            "GROUP BY ALL ORDER BY e.event_id"
        )
        return list(relation.columns), relation.fetchall()


def list_missing(warehouse: Path) -> Listing:
    """The reference events (raw/reference/) the warehouse holds no event for, in Games
    order: what is left to add (the `coverage` view, where present is false)."""
    with _reading(warehouse) as con:
        if "coverage" not in table_kinds(con):
            raise InputError(
                warehouse.as_posix(),
                f"expected a warehouse with the coverage view {REBUILD}, found one built by an "
                "older version",
            )
        relation = con.sql("SELECT games_year, event, reference_id FROM coverage WHERE NOT present")
        return list(relation.columns), relation.fetchall()


def list_tables(warehouse: Path) -> Listing:
    """Every documented table and view with its row count in the warehouse (a table of the
    model the warehouse lacks, built by an older version, counts as missing)."""
    described = [
        *((spec.name, "table", spec.description) for spec in (*TABLES, *CHECK_TABLES)),
        *((view.name, "view", view.description) for view in VIEWS),
    ]
    with _reading(warehouse) as con:
        present = set(table_kinds(con))
        rows: list[tuple[object, ...]] = []
        for name, kind, description in described:
            count = (
                con.sql(f'SELECT count(*) FROM "{name}"').fetchall()[0][0]
                if name in present
                else None
            )
            rows.append((name, kind, count, description))
    return ["name", "kind", "rows", "description"], rows
