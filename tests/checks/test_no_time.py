"""Issue 23, 4: a ranked skater with no time (`no time` in the Result cell): the rank stands for
advancement and the classification; the rank-versus-time checks skip what has no time."""

from __future__ import annotations

from pathlib import Path

import duckdb

from tests.checks.harness import build_and_check, open_failures
from tests.conftest import SEED, corrupt, line_of

ROW = "| 1 | 4 | Paul Stanley | | 1:28.511 | |"


def _heat_fourths(database: Path) -> dict[object, object]:
    """Entrant -> position of everyone whose last race was a heat they finished 4th in."""
    with duckdb.connect(str(database), read_only=True) as con:
        return dict(
            con.sql(
                "SELECT entrant_id, position FROM classification WHERE event_id = ? "
                "AND last_round = 'heats' AND place_in_last_race = 4",
                params=[SEED],
            ).fetchall()
        )


def test_a_ranked_skater_with_no_time_is_read_kept_and_passes(
    raw_copy: Path, seed_copy: Path, tmp_path: Path
) -> None:
    corrupt(seed_copy, ROW, ROW.replace("1:28.511", "no time"))
    run = build_and_check(raw_copy, tmp_path)
    assert open_failures(run) == set()
    database = tmp_path / "skating.duckdb"
    with duckdb.connect(str(database), read_only=True) as con:
        row = con.sql(
            "SELECT rank, time_ms, status FROM results WHERE source_line = ?",
            params=[line_of(seed_copy, "Paul Stanley | | no time")],
        ).fetchall()
    assert row == [(4, None, "no time")]
    # Ranked by his place like every heat's 4th, and after them all: he has no time.
    fourths = _heat_fourths(database)
    stanley = fourths.pop(f"{SEED}/paul-stanley")
    assert fourths and isinstance(stanley, int)
    assert all(isinstance(other, int) and stanley > other for other in fourths.values())


def test_no_time_without_a_rank_fails_status_time_at_its_line(
    raw_copy: Path, seed_copy: Path, tmp_path: Path
) -> None:
    corrupt(seed_copy, ROW, "| 1 | – | Paul Stanley | | no time | |")
    run = build_and_check(raw_copy, tmp_path)
    line = line_of(seed_copy, "Paul Stanley | | no time")
    assert ("results.status-time", "page.txt", line) in open_failures(run)
    [failure] = [f for f in run.failures if f.check_id == "results.status-time"]
    assert failure.expected == "a rank and no time"


def test_no_time_shares_no_rank_with_a_time(
    raw_copy: Path, seed_copy: Path, tmp_path: Path
) -> None:
    """A rank held by a time and a 'no time' is no dead heat (found by review)."""
    corrupt(seed_copy, ROW, "| 1 | 3 | Paul Stanley | | no time | |")
    failures = open_failures(build_and_check(raw_copy, tmp_path))
    stanley = line_of(seed_copy, "Paul Stanley | | no time")
    mattei = line_of(seed_copy, "| 1 | 3 | Jean Charles Mattei |")
    assert {("results.unique-rank", "page.txt", line) for line in (mattei, stanley)} <= failures


def test_no_time_stands_in_the_rank_sequence(
    raw_copy: Path, seed_copy: Path, tmp_path: Path
) -> None:
    """Ranks 1, 2, 3 (no time), 4 run on; ranks 1, 2, 3, 9 (no time) do not (found by
    review: 'no time' rows were left out of ranks.no-gaps)."""
    eley = "| 2 | 3 | Jon Eley | | "
    text = seed_copy.read_text(encoding="utf-8")
    time = text.split(eley, 1)[1].split(" |", 1)[0]
    corrupt(seed_copy, f"{eley}{time} |", f"{eley}no time |")
    assert open_failures(build_and_check(raw_copy, tmp_path / "run")) == set()
    corrupt(seed_copy, ROW, "| 1 | 9 | Paul Stanley | | no time | |")
    failures = open_failures(build_and_check(raw_copy, tmp_path / "gap"))
    assert failures == {("ranks.no-gaps", "page.txt", line_of(seed_copy, "| 1 | 9 | Paul"))}
