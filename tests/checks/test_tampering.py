"""Checks the parser makes impossible from a page (types, keys) still guard the warehouse file:
a hand-edited DuckDB copy must fail them at the row's raw line."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from checks.runner import run_all
from tests.checks.harness import open_failures
from tests.conftest import RAW

SEED_PAGE = "page.txt"


@pytest.fixture
def tampered(built_warehouse: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "skating.duckdb"
    shutil.copyfile(built_warehouse / "skating.duckdb", copy)
    return copy


def tamper(database: Path, *statements: str) -> set[tuple[str, str, int]]:
    with duckdb.connect(str(database)) as con:
        for statement in statements:
            con.execute(statement)
    run = run_all(database)
    assert run.failed
    return open_failures(run)


def test_null_in_a_required_column(tampered: Path) -> None:
    found = tamper(tampered, "UPDATE results SET status = NULL WHERE source_line = 54")
    assert ("schema.types", SEED_PAGE, 54) in found


def test_duplicate_key(tampered: Path) -> None:
    found = tamper(tampered, "INSERT INTO athletes SELECT * FROM athletes WHERE noc = 'NED'")
    assert found == {("schema.unique-keys", "athletes.csv", 27)}


def test_unknown_code(tampered: Path) -> None:
    found = tamper(tampered, "UPDATE results SET status = 'DSQ' WHERE source_line = 62")
    assert found == {("schema.accepted-values", SEED_PAGE, 62)}


def test_dangling_reference(tampered: Path) -> None:
    found = tamper(
        tampered,
        "UPDATE results SET race_id = '2006-men-1000m/heat-9' WHERE source_line = 40",
    )
    assert ("keys.foreign-key", SEED_PAGE, 40) in found


def test_untampered_copy_passes(tampered: Path) -> None:
    assert not run_all(tampered).failed
    assert RAW.is_dir()
