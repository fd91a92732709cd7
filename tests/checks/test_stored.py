"""Every build stores its checks' outcome as tables (`failures`, `checks`): a rejected build's
failures are selected with SQL, waived ones marked with their reason, and the tables equal
the report."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from core.model import CHECK_TABLES
from tests.add.helpers import Cli
from tests.checks.test_waivers import add_waiver
from tests.conftest import SEED, corrupt


def _rows(database: Path, sql: str) -> list[tuple[object, ...]]:
    with duckdb.connect(str(database), read_only=True) as con:
        return con.sql(sql).fetchall()


def test_a_rejected_build_holds_its_failures_as_the_report_lists_them(
    cli: Cli, raw_copy: Path, seed_copy: Path, tmp_path: Path
) -> None:
    corrupt(seed_copy, "- Goldnoc: KOR", "- Goldnoc: CHN")
    run = cli(
        "run", "--raw", str(raw_copy), "--warehouse", str(tmp_path / "wh"), "--format", "json"
    )
    assert run.code == 1
    reported = json.loads(run.out)["failures"]
    database = tmp_path / "wh" / "rejected" / "skating.duckdb"
    stored = _rows(
        database,
        "SELECT check_id, severity, event_id, source_file, source_line, message, expected, "
        "found, waived, waiver_reason FROM failures",
    )
    assert stored == [
        (
            f["check"],
            f["severity"],
            SEED,
            f["path"],
            f["line"],
            f["message"],
            f["expected"],
            f["found"],
            False,
            None,
        )
        for f in reported
    ]
    assert ("tallies.medal-nocs", "error", SEED, str(seed_copy), 11) in [row[:5] for row in stored]
    assert _rows(database, "SELECT status, count(*) FROM checks GROUP BY status ORDER BY 1") == [
        ("failed", 1),
        ("passed", 45),
        ("warned", 1),
    ]


def test_a_waived_failure_is_stored_with_its_reason(
    cli: Cli, raw_copy: Path, seed_copy: Path, tmp_path: Path
) -> None:
    corrupt(seed_copy, "- Goldnoc: KOR", "- Goldnoc: CHN")
    add_waiver(raw_copy, "tallies.medal-nocs", 11)
    run = cli("run", "--raw", str(raw_copy), "--warehouse", str(tmp_path / "wh"))
    assert run.code == 0
    database = tmp_path / "wh" / "skating.duckdb"
    assert _rows(
        database, "SELECT check_id, source_line, waived, waiver_reason FROM failures WHERE waived"
    ) == [
        (
            "tallies.medal-nocs",
            11,
            True,
            "The source page miscounts; checked against the official report.",
        )
    ]
    assert _rows(
        database, "SELECT status, failures FROM checks WHERE check_id = 'tallies.medal-nocs'"
    ) == [("waived", 1)]


def test_the_check_tables_are_documented_in_the_database(built_warehouse: Path) -> None:
    database = built_warehouse / "skating.duckdb"
    for spec in CHECK_TABLES:
        query = "SELECT column_name, comment FROM duckdb_columns() WHERE table_name = "
        comments = {
            str(name): comment for name, comment in _rows(database, f"{query}'{spec.name}'")
        }
        assert comments == {column.name: column.description for column in spec.columns}
    assert _rows(database, "SELECT count(*) FROM checks") == [(47,)]
