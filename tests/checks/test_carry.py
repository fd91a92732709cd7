"""An incremental build carries the sealed build's judgement of what it did not change: the
unchanged events' failures and the shared tables' (registry, references, waivers)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import duckdb
import pytest

from checks.carry import FAILURES_FILE, Carried, carried_failures, save_failures
from checks.framework import schemas as schemas_module
from checks.framework import validate as validate_module
from checks.framework.check import Failure
from checks.runner import run_all
from core.model import SHARED_TABLES
from pipeline.build import run
from tests.checks.harness import altered_copy
from tests.conftest import FIXTURES, SEED

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


def test_carried_failures_without_a_scope_judge_every_table(
    built_warehouse: Path, tmp_path: Path
) -> None:
    # Only a run on some events' rows carries the rest: a whole run judges the whole.
    database = altered_copy(built_warehouse, tmp_path, *DOUBLED_ATHLETE)
    whole = run_all(database, None, Carried([], []))
    assert whole.failed and [f.check_id for f in whole.shared] == ["schema.unique-keys"] * 2


def test_carried_failures_come_without_waivers_whatever_the_file_says(tmp_path: Path) -> None:
    # The run applies the waivers of raw/ as it is now, to carried failures too.
    entry = {
        "check_id": "identity.indirect-name",
        "severity": "warn",
        "path": f"raw/events/{SEED}/page.txt",
        "line": 12,
        "message": "m",
        "expected": "e",
        "found": "f",
        "waiver": "a reason given once",
        "note": None,
    }
    saved = {"events": [entry], "shared": [{**entry, "path": "raw/registry/athletes.csv"}]}
    (tmp_path / FAILURES_FILE).write_text(json.dumps(saved), encoding="utf-8")
    carried = carried_failures(tmp_path, {SEED})
    assert carried is not None
    assert [(f.line, f.waiver) for f in [*carried.events, *carried.shared]] == [(12, None)] * 2


@pytest.mark.parametrize(
    "saved",
    [[], {"events": []}, {"events": [], "shared": [{"check": "x"}]}, "not json"],
    ids=["earlier version", "no shared", "unreadable entry", "not JSON"],
)
def test_failures_saved_otherwise_are_not_carried(tmp_path: Path, saved: object) -> None:
    # Nothing then says what the shared tables' judgement was: the build judges everything.
    text = saved if isinstance(saved, str) else json.dumps(saved)
    (tmp_path / FAILURES_FILE).write_text(text, encoding="utf-8")
    assert carried_failures(tmp_path, {SEED}) is None


def test_an_incremental_build_carries_a_waived_shared_failure_as_a_full_check_reports_it(
    tmp_path: Path,
) -> None:
    raw = Path(shutil.copytree(FIXTURES, tmp_path / "raw"))
    reference = raw / "reference" / "fictional-event-tallies-2099.csv"
    lines = reference.read_text(encoding="utf-8").splitlines(keepends=True)
    reference.write_text("".join([*lines, lines[-1]]), encoding="utf-8")  # a row twice
    waivers = [
        f'[[waiver]]\ncheck = "schema.unique-keys"\nfile = "reference/{reference.name}"\n'
        f'line = {line}\nreason = "a duplicated reference row, reviewed for this test"\n'
        for line in (len(lines), len(lines) + 1)
    ]
    (raw / "waivers.toml").write_text("\n".join(waivers), encoding="utf-8")
    first = run(raw, tmp_path / "wh")
    assert first.published and first.checks is not None
    assert [(f.check_id, f.line) for f in first.checks.shared] == [
        ("schema.unique-keys", len(lines)),
        ("schema.unique-keys", len(lines) + 1),
    ]
    page = raw / "events" / "2099-men-1000m" / "page.txt"
    page.write_text(page.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    incremental = run(raw, tmp_path / "wh")
    assert incremental.built.parsed == 1 and incremental.published
    assert incremental.checks is not None
    full = run_all(incremental.database)
    assert incremental.checks.failures == full.failures  # both waived, as the first build's
    assert incremental.checks.shared == full.shared == first.checks.shared
