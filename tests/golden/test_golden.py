"""Refactors change nothing observable: every table column and every check message on the seed,
its corruptions and a generated corpus equal the snapshot in golden.json (new columns and new
tables are the only difference allowed)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.golden.snapshot import GOLDEN, take


@pytest.fixture(scope="module")
def now() -> dict[str, Any]:
    return take()


@pytest.fixture(scope="module")
def golden() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(GOLDEN.read_text(encoding="utf-8"))
    return loaded


@pytest.mark.parametrize("corpus", ["seed", "generated"])
def test_every_snapshot_column_is_unchanged(
    now: dict[str, Any], golden: dict[str, Any], corpus: str
) -> None:
    for table, columns in golden["tables"][corpus].items():
        assert table in now["tables"][corpus], f"table {table} is gone"
        current = now["tables"][corpus][table]
        changed = {c for c, digest in columns.items() if current.get(c) != digest}
        assert changed == set(), f"{table}: columns changed or gone: {sorted(changed)}"


def test_every_check_message_is_unchanged(now: dict[str, Any], golden: dict[str, Any]) -> None:
    assert now["messages"] == golden["messages"]
