"""`pipeline list checks|events|tables`: the catalogue, the warehouse's events, and every table
and view with its row count, as text or JSON."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb

from checks.catalog import ALL_CHECKS
from core.model import CHECK_TABLES, TABLES
from core.views import VIEWS
from tests.add.helpers import Cli


def test_list_checks_is_the_catalogue(cli: Cli) -> None:
    result = cli("list", "checks", "--format", "json")
    assert result.code == 0
    listed = json.loads(result.out)
    assert [entry["check_id"] for entry in listed] == [check.id for check in ALL_CHECKS]
    assert listed[0] == {
        "check_id": "schema.types",
        "family": "schema",
        "severity": "error",
        "description": ALL_CHECKS[0].description,
    }


def test_list_events_names_each_event_with_its_results(cli: Cli, built_warehouse: Path) -> None:
    result = cli("list", "events", "--warehouse", str(built_warehouse), "--format", "json")
    assert result.code == 0
    assert json.loads(result.out) == [
        {
            "event_id": "2006-men-1000m",
            "competition": "2006 Winter Olympics",
            "event_name": "Men's 1000 metres",
            "start_date": "2006-02-15",
            "end_date": "2006-02-18",
            "results": 58,
            "source_file": "raw/events/2006-men-1000m/page.txt",
        }
    ]


def test_list_tables_counts_every_table_and_view(cli: Cli, built_warehouse: Path) -> None:
    result = cli("list", "tables", "--warehouse", str(built_warehouse), "--format", "json")
    listed = {entry["name"]: (entry["kind"], entry["rows"]) for entry in json.loads(result.out)}
    assert list(listed) == [
        *(spec.name for spec in (*TABLES, *CHECK_TABLES)),
        *(view.name for view in VIEWS),
    ]
    assert listed["results"] == ("table", 58)
    assert listed["checks"] == ("table", len(ALL_CHECKS))
    assert listed["standings"] == ("view", 26)


def test_listing_a_missing_warehouse_is_refused(cli: Cli, tmp_path: Path) -> None:
    result = cli("list", "events", "--warehouse", str(tmp_path))
    assert (result.code, result.out) == (2, "")
    assert result.err == (
        f"error: {tmp_path.as_posix()}/skating.duckdb: expected a warehouse built by "
        "`pipeline run`, found none\n"
    )
    assert cli("list", "athletes").code == 2


def test_listing_a_warehouse_altered_by_hand_is_refused_not_a_crash(
    cli: Cli, built_warehouse: Path, tmp_path: Path
) -> None:
    """A column the model declares dropped or retyped by hand, or a view that no longer
    reads: bad input, each column named (exit 3 before, on DuckDB's error)."""
    shutil.copytree(built_warehouse, tmp_path / "w", symlinks=True)
    database = (tmp_path / "w" / "skating.duckdb").resolve()
    database.chmod(0o644)
    with duckdb.connect(str(database)) as con:
        con.execute("ALTER TABLE events DROP COLUMN competition")
        con.execute("ALTER TABLE results ALTER event_id TYPE VARCHAR[] USING [event_id]")
    shown = f"{tmp_path.as_posix()}/w/skating.duckdb"
    for what in ("events", "tables"):
        result = cli("list", what, "--warehouse", str(tmp_path / "w"))
        assert (result.code, result.out) == (2, "")
        assert result.err == (
            f"error: {shown}: expected events.competition of type VARCHAR, as this version "
            "builds it (rebuild it: `pipeline run`), found no such column\n"
            f"error: {shown}: expected results.event_id of type VARCHAR, as this version "
            "builds it (rebuild it: `pipeline run`), found type VARCHAR[]\n"
        )


def test_a_view_that_no_longer_reads_is_refused_not_a_crash(
    cli: Cli, built_warehouse: Path, tmp_path: Path
) -> None:
    shutil.copytree(built_warehouse, tmp_path / "w", symlinks=True)
    database = (tmp_path / "w" / "skating.duckdb").resolve()
    database.chmod(0o644)
    with duckdb.connect(str(database)) as con:  # a view over a table since dropped
        con.execute("CREATE TABLE kept AS FROM reference_events")
        con.execute("CREATE OR REPLACE VIEW coverage AS SELECT *, true AS present FROM kept")
        con.execute("DROP TABLE kept")
    for argv in (("tables",), ("events", "--missing")):
        result = cli("list", *argv, "--warehouse", str(tmp_path / "w"))
        assert (result.code, result.out) == (2, "")
        assert result.err.startswith(
            f"error: {tmp_path.as_posix()}/w: expected a warehouse with this version's tables "
            "and columns (rebuild it: `pipeline run`), found: Catalog Error: Table with name kept"
        )
