"""An incremental build carries the sealed build's judgement of what it did not change: the
unchanged events' failures and the shared tables' (registry, references, waivers)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pytest

from checks.carry import FAILURES_FILE, carried_failures, save_failures
from checks.framework import schemas as schemas_module
from checks.framework import validate as validate_module
from checks.framework.check import Failure
from checks.runner import run_all
from core.model import SHARED_TABLES
from tests.checks.harness import altered_copy
from tests.conftest import SEED

# The table written again first, without its declared key, as a tamperer would.
DOUBLED_ATHLETE = (
    "CREATE OR REPLACE TABLE athletes AS SELECT * FROM athletes",
    "INSERT INTO athletes SELECT * FROM athletes WHERE noc = 'NED'",
)


def judged_tables(monkeypatch: pytest.MonkeyPatch) -> set[str]:
    """The tables the schema family validates from now on."""
    judged: set[str] = set()
    real = validate_module.validate

    def recorded(frame: duckdb.DuckDBPyRelation, *args: Any) -> list[Failure]:
        judged.add(args[2])
        return real(frame, *args)

    monkeypatch.setattr(schemas_module, "validate", recorded)
    return judged


def test_a_full_run_keeps_the_shared_tables_failures_apart(
    built_warehouse: Path, tmp_path: Path
) -> None:
    database = altered_copy(built_warehouse, tmp_path, *DOUBLED_ATHLETE)
    full = run_all(database)
    doubled = [f for f in full.failures if f.check_id == "schema.unique-keys"]
    assert [(Path(f.path).name, f.line) for f in doubled] == [("athletes.csv", 27)] * 2  # both
    assert full.shared == tuple(doubled)


def test_carried_shared_failures_replace_judging_the_shared_tables(
    built_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = altered_copy(built_warehouse, tmp_path, *DOUBLED_ATHLETE)
    full = run_all(database)
    save_failures(full, tmp_path)
    carried = carried_failures(tmp_path, set())
    assert carried is not None and carried.shared == list(full.shared) and not carried.events
    judged = judged_tables(monkeypatch)
    incremental = run_all(database, {SEED}, carried)
    assert incremental.failures == full.failures
    assert incremental.shared == full.shared  # and carried again by the build after it
    assert judged and not judged & set(SHARED_TABLES)


def test_without_carried_failures_a_scoped_run_judges_the_shared_tables(
    built_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `pipeline check --event`, or a build whose predecessor saved nothing to carry.
    database = altered_copy(built_warehouse, tmp_path, *DOUBLED_ATHLETE)
    judged = judged_tables(monkeypatch)
    scoped = run_all(database, {SEED})
    assert set(SHARED_TABLES) <= judged
    assert [f.check_id for f in scoped.shared] == ["schema.unique-keys"] * 2


def test_failures_saved_by_an_earlier_version_are_not_carried(tmp_path: Path) -> None:
    # A list of the events' failures only: nothing says the shared tables passed.
    (tmp_path / FAILURES_FILE).write_text(json.dumps([]), encoding="utf-8")
    assert carried_failures(tmp_path, {SEED}) is None
