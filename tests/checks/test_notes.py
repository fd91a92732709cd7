"""Issue 23, 3: the notes of current results. qA/qB qualify for Final A/B on time, PEN is a
disqualification (DQ in the Result column), YC puts a skater out of the competition: listed
last of the classification."""

from __future__ import annotations

from pathlib import Path

import duckdb

from tests.checks.harness import build_and_check, open_failures
from tests.conftest import SEED, corrupt


def _classification(database: Path) -> list[tuple[object, ...]]:
    with duckdb.connect(str(database), read_only=True) as con:
        return con.sql(
            "SELECT entrant_id, position, status FROM classification WHERE event_id = ? "
            "ORDER BY rowid",
            params=[SEED],
        ).fetchall()


def test_qb_qualifies_for_final_b_on_time_as_its_rule_says(
    raw_copy: Path, seed_copy: Path, built_warehouse: Path, tmp_path: Path
) -> None:
    corrupt(seed_copy, "| 3 | Li Jiajun | | 1:29.183 | QB |", "| 3 | Li Jiajun | | 1:29.183 | qB |")
    corrupt(
        seed_copy.parent / "event.toml",
        '{ note = "QB", ranks = [3, 4], to = "Final B" }',
        '{ note = "qB", ranks = [3, 4], fastest = 1, to = "Final B" }',
    )
    run = build_and_check(raw_copy, tmp_path)
    assert open_failures(run) == set()
    seed = _classification(built_warehouse / "skating.duckdb")
    assert _classification(tmp_path / "skating.duckdb") == seed


def test_a_yellow_card_is_listed_last_of_the_classification(
    raw_copy: Path, seed_copy: Path, tmp_path: Path
) -> None:
    final_a = "| 4 | Rusty Smith | | 1:27.435 | |"
    corrupt(seed_copy, final_a, "| – | Rusty Smith | | DQ | YC |")
    corrupt(seed_copy, "| 5 | Li Ye | | 1:29.918 |", "| 4 | Li Ye | | 1:29.918 |")
    run = build_and_check(raw_copy, tmp_path)
    assert open_failures(run) == set()
    rows = _classification(tmp_path / "skating.duckdb")
    assert rows[-1] == (f"{SEED}/rusty-smith", None, "yellow card")
    assert [row[1] for row in rows[:4]] == [1, 2, 3, 4]  # Li Ye moves up to 4th


def test_a_penalty_with_dq_passes(raw_copy: Path, seed_copy: Path, tmp_path: Path) -> None:
    corrupt(seed_copy, "| – | Pieter Gysel | | DQ | |", "| – | Pieter Gysel | | DQ | PEN |")
    assert open_failures(build_and_check(raw_copy, tmp_path)) == set()
