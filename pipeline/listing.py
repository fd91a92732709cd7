"""`pipeline list checks|events|tables`: what the project checks, what the warehouse holds and
how many rows each table and view has (dbt's `ls`, sqlite-utils' `tables --counts`)."""

from __future__ import annotations

from pathlib import Path

import duckdb

from core.errors import InputError
from core.model import CHECK_TABLES, TABLES
from core.views import VIEWS
from pipeline.query import connect

Listing = tuple[list[str], list[tuple[object, ...]]]  # columns, rows


def list_checks() -> Listing:
    """The check catalogue, in the order the checks run and report (no warehouse needed)."""
    from checks.catalog import ALL_CHECKS

    rows = [(c.id, c.family, c.severity, c.description) for c in ALL_CHECKS]
    return ["check_id", "family", "severity", "description"], list(rows)


def _altered(warehouse: Path, error: duckdb.Error) -> InputError:
    """A table or column the listing reads is missing (an older version's warehouse, or one
    altered by hand): bad input, in DuckDB's words."""
    reason = str(error).split("\n", 1)[0]
    return InputError(
        warehouse.as_posix(),
        "expected a warehouse with this version's tables and columns (rebuild it: `pipeline "
        f"run`), found: {reason}",
    )


def list_events(warehouse: Path) -> Listing:
    """The warehouse's events with their competition, dates and how many results they hold."""
    with connect(warehouse) as con:
        try:
            relation = con.sql(
                "SELECT e.event_id, e.competition, e.event_name, e.start_date, e.end_date, "
                "count(r.race_id) AS results, e.source_file "
                "FROM events AS e LEFT JOIN results AS r USING (event_id) "
                "GROUP BY ALL ORDER BY e.event_id"
            )
        except (duckdb.BinderException, duckdb.CatalogException) as error:
            raise _altered(warehouse, error) from None
        return list(relation.columns), relation.fetchall()


def list_missing(warehouse: Path) -> Listing:
    """The reference events (raw/reference/) the warehouse holds no event for, in Games
    order: what is left to add (the `coverage` view, where present is false)."""
    with connect(warehouse) as con:
        try:
            relation = con.sql(
                "SELECT games_year, event, reference_id FROM coverage WHERE NOT present"
            )
        except duckdb.CatalogException:
            raise InputError(
                warehouse.as_posix(),
                "expected a warehouse with the coverage view (rebuild it: `pipeline run`), "
                "found one built by an older version",
            ) from None
        except duckdb.BinderException as error:  # a coverage view replaced by hand
            raise _altered(warehouse, error) from None
        return list(relation.columns), relation.fetchall()


def list_tables(warehouse: Path) -> Listing:
    """Every documented table and view with its row count in the warehouse (a table of the
    model the warehouse lacks, built by an older version, counts as missing)."""
    described = [
        *((spec.name, "table", spec.description) for spec in (*TABLES, *CHECK_TABLES)),
        *((view.name, "view", view.description) for view in VIEWS),
    ]
    with connect(warehouse) as con:
        present = {
            str(name)
            for (name,) in con.sql(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
            ).fetchall()
        }
        rows: list[tuple[object, ...]] = []
        for name, kind, description in described:
            try:  # a view over a column altered away no longer binds
                count = (
                    con.sql(f'SELECT count(*) FROM "{name}"').fetchall()[0][0]
                    if name in present
                    else None
                )
            except duckdb.BinderException as error:
                raise _altered(warehouse, error) from None
            rows.append((name, kind, count, description))
    return ["name", "kind", "rows", "description"], rows
