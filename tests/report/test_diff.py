"""`pipeline diff BASE --warehouse NEW`: what changed between two builds, table by table and
per event's standing, as text, Markdown and JSON; exit 0 whatever changed, 2 for a folder that
holds no warehouse."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import duckdb
import pytest

from pipeline.build import run
from report.diff_render import to_markdown
from report.warehouse_diff import RowChange, TableDiff, WarehouseDiff, diff_warehouses
from tests.add.helpers import Cli
from tests.checks.harness import altered_copy
from tests.conftest import FIXTURES, RAW, SEED, corrupt, line_of

PAGE = f"raw/events/{SEED}/page.txt"


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """In one folder: `base` built from raw/; `timed`, Rusty Smith's Final A time one
    thousandth slower; `swapped`, Final A's 4th and 5th swapped (a rejected build)."""
    root = tmp_path_factory.mktemp("diff")
    cwd = Path.cwd()
    os.chdir(root)
    try:
        shutil.copytree(RAW, "raw")
        run(Path("raw"), Path("base"))
        page = Path(PAGE)
        original = page.read_bytes()
        corrupt(page, "| 4 | Rusty Smith | | 1:27.435 |", "| 4 | Rusty Smith | | 1:27.436 |")
        run(Path("raw"), Path("timed"))
        page.write_bytes(original)
        corrupt(page, "| 4 | Rusty Smith | | 1:27.435 |", "| 5 | Rusty Smith | | 1:27.435 |")
        corrupt(page, "| 5 | Li Ye | | 1:29.918 |", "| 4 | Li Ye | | 1:29.918 |")
        run(Path("raw"), Path("swapped"))
        page.write_bytes(original)
    finally:
        os.chdir(cwd)
    return root


def test_a_changed_time_names_its_row_line_and_the_standing(
    cli: Cli, builds: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(builds)
    result = cli("diff", "base", "--warehouse", "timed")
    assert (result.code, result.err) == (0, "")
    assert result.out.splitlines() == [
        "pipeline diff: base → timed",
        "results: 0 added, 0 removed, 1 changed",
        f"  {PAGE}:123: changed ({SEED}/final-a, {SEED}/rusty-smith): time 1:27.435 → 1:27.436",
        "standings:",
        f"  {SEED}: Rusty Smith 1:27.435 → 1:27.436 in Final A; classification unchanged",
    ]


def test_a_rejected_build_is_compared_too_and_its_standing_moves(
    cli: Cli, builds: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(builds)
    result = cli("diff", "base", "--warehouse", "swapped/rejected", "--format", "json")
    assert result.code == 0, result.err
    document = json.loads(result.out)
    changed = {t["table"]: t for t in document["tables"] if t["rows"]}
    # The build's checks changed too: ranks.time-order now fails, at the slower 4th.
    assert sorted(changed) == ["checks", "classification", "failures", "results"]
    assert [
        (r["kind"], r["key"]["check_id"], r["source_line"]) for r in changed["failures"]["rows"]
    ] == [("added", "ranks.time-order", 123)]
    assert [(r["key"]["entrant_id"], r["changes"]) for r in changed["results"]["rows"]] == [
        (
            f"{SEED}/rusty-smith",
            {"rank": {"old": 4, "new": 5}, "place_as_printed": {"old": 4, "new": 5}},
        ),
        (
            f"{SEED}/li-ye",
            {"rank": {"old": 5, "new": 4}, "place_as_printed": {"old": 5, "new": 4}},
        ),
    ]
    assert document["events"] == [
        {
            "event_id": SEED,
            "results": ["Rusty Smith rank 4 → 5 in Final A", "Li Ye rank 5 → 4 in Final A"],
            "classification": ["Rusty Smith 4 → 5", "Li Ye 5 → 4"],
        }
    ]


def test_the_same_build_has_no_changes(
    cli: Cli, builds: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(builds)
    result = cli("diff", "base", "--warehouse", "base", "--format", "markdown")
    assert (result.code, result.out) == (
        0,
        "### Warehouse diff\n\n`base` → `base`\n\nNo changes: both warehouses hold the same "
        "rows.\n",
    )


def test_an_added_event_is_one_sentence_and_its_rows_are_counted(tmp_path: Path) -> None:
    raw = Path(shutil.copytree(FIXTURES, tmp_path / "raw"))
    run(raw, tmp_path / "new")
    shutil.rmtree(raw / "events" / "2099-men-1500m")
    run(raw, tmp_path / "base")
    diff = diff_warehouses(
        tmp_path / "base" / "skating.duckdb", tmp_path / "new" / "skating.duckdb"
    )
    counts = {
        t.table: (t.count("added"), t.count("removed"), t.count("changed")) for t in diff.tables
    }
    assert counts["events"] == (1, 0, 0)
    assert counts["races"][0] > 0 and counts["races"][1:] == (0, 0)
    with duckdb.connect(str(tmp_path / "new" / "skating.duckdb"), read_only=True) as con:
        [(results,)] = con.sql(
            "SELECT count(*) FROM results WHERE event_id = '2099-men-1500m'"
        ).fetchall()
    assert counts["results"] == (results, 0, 0)
    markdown = to_markdown(diff, 50)
    assert f"- `2099-men-1500m`: event added ({results} results)" in markdown


def test_a_column_only_one_side_has_is_named_and_the_rest_compared(tmp_path: Path) -> None:
    shutil.copytree(RAW, tmp_path / "raw")
    run(tmp_path / "raw", tmp_path / "new")
    shutil.copytree(tmp_path / "new", tmp_path / "old")
    with duckdb.connect(str(tmp_path / "old" / "skating.duckdb")) as con:
        con.execute("DROP VIEW results_wide; DROP VIEW athlete_paths")
        con.execute("ALTER TABLE rounds DROP COLUMN seeded")
    diff = diff_warehouses(tmp_path / "old" / "skating.duckdb", tmp_path / "new" / "skating.duckdb")
    rounds = diff.table("rounds")
    assert rounds is not None
    assert (rounds.columns_added, rounds.columns_removed, rounds.rows) == (["seeded"], [], [])
    assert [t.table for t in diff.tables if t.rows] == []


def test_a_column_retyped_on_one_side_is_compared_as_printed(builds: Path, tmp_path: Path) -> None:
    """An older version's warehouse, or one altered by hand, may type a column otherwise:
    its values are compared as text (exit 3 on DuckDB's cast before), so only a value that
    prints differently is a change."""
    old = altered_copy(
        builds / "base",
        tmp_path,
        "DROP VIEW results_wide; DROP VIEW athlete_paths",
        "ALTER TABLE results ALTER time_ms TYPE VARCHAR",
        "ALTER TABLE events ALTER competition_kind TYPE VARCHAR USING 'games'",
    )
    diff = diff_warehouses(old, builds / "timed" / "skating.duckdb")
    results, events = diff.table("results"), diff.table("events")
    assert results is not None and events is not None
    assert [(row.kind, row.changes) for row in results.rows] == [
        ("changed", {"time_ms": ("87435", "87436")})
    ]
    assert [row.changes for row in events.rows] == [{"competition_kind": ("games", "olympics")}]


def test_retyped_or_missing_line_columns_are_compared_not_a_crash(
    builds: Path, tmp_path: Path
) -> None:
    """The rows are listed in file and line order: a side whose source_line is text, or that
    lacks source_file, is still compared (exit 3 before)."""
    for statement, removed in (
        ("ALTER TABLE results ALTER source_line TYPE VARCHAR", []),
        ("ALTER TABLE results DROP COLUMN source_file", ["source_file"]),
    ):
        views = "DROP VIEW results_wide; DROP VIEW athlete_paths"
        old = altered_copy(builds / "base", tmp_path, views, statement)
        results = diff_warehouses(old, builds / "timed" / "skating.duckdb").table("results")
        assert results is not None
        assert [(row.kind, row.changes) for row in results.rows] == [
            ("changed", {"time_ms": (87435, 87436)})
        ]
        assert results.columns_added == removed


def test_every_row_key_column_missing_and_every_view_for_a_table_is_named(
    cli: Cli, builds: Path, tmp_path: Path
) -> None:
    (tmp_path / "old").mkdir()
    views = ("results_wide", "athlete_paths", "standings", "medal_table", "medal_table_all_games")
    old = altered_copy(
        builds / "base",
        tmp_path / "old",
        *(f"DROP VIEW {view}" for view in views),
        "ALTER TABLE medals DROP COLUMN medal",
        "ALTER TABLE results DROP COLUMN entrant_id",
        "CREATE TABLE kept AS FROM infobox",
        "DROP TABLE infobox",
        "CREATE VIEW infobox AS FROM kept",
    )
    result = cli("diff", str(tmp_path / "old"), "--warehouse", str(builds / "timed"))
    assert (result.code, result.out) == (2, "")
    assert result.err.splitlines() == [
        f"error: {old.as_posix()}: expected infobox to be a table, found a view",
        f"error: {old.as_posix()}: expected medals.medal (its rows are paired by it), found no "
        "such column (rebuild it: `pipeline run`)",
        f"error: {old.as_posix()}: expected results.entrant_id (its rows are paired by it), "
        "found no such column (rebuild it: `pipeline run`)",
    ]


def test_markdown_shows_raw_values_as_text() -> None:
    """A pull-request comment renders Markdown and HTML: a value from a page is escaped."""
    row = RowChange(
        "changed",
        {"race_id": "e/final-a", "entrant_id": "e/x"},
        {"name_as_printed": ("A|B", "<b>C</b> *D*")},
        {"event_id": "e", "name_as_printed": "<b>C</b> *D*"},
        "raw/events/e/page.txt",
        9,
    )
    diff = WarehouseDiff("base", "new", [TableDiff("results", ("race_id", "entrant_id"), [row])])
    markdown = to_markdown(diff, 50)
    assert (
        "| changed | e/final-a, e/x | name\\_as\\_printed A\\|B → &lt;b&gt;C&lt;/b&gt; \\*D\\* "
        "| raw/events/e/page.txt:9 |"
    ) in markdown
    assert "<b>" not in markdown


def test_a_key_printed_twice_pairs_up_in_line_order(
    cli: Cli, builds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rejected build may repeat a row key (a skater twice in a race): the extra row is
    one row added, not multiplied against the others."""
    raw = Path(shutil.copytree(builds / "raw", tmp_path / "raw"))
    corrupt(
        raw / "events" / SEED / "page.txt",
        "| 5 | Volodymyr Grygoriev | | 1:29.168 | |\n",
        "| 5 | Volodymyr Grygoriev | | 1:29.168 | |\n| 6 | Volodymyr Grygoriev | | 1:29.268 | |\n",
    )
    monkeypatch.chdir(tmp_path)
    assert cli("run", "--raw", "raw", "--warehouse", "dup").code == 1
    result = cli("diff", str(builds / "base"), "--warehouse", "dup/rejected", "--format", "json")
    results = next(t for t in json.loads(result.out)["tables"] if t["table"] == "results")
    added = line_of(raw / "events" / SEED / "page.txt", "| 6 | Volodymyr Grygoriev |")
    assert [(r["kind"], r["source_line"]) for r in results["rows"]] == [("added", added)]


def test_a_folder_without_a_warehouse_is_refused(cli: Cli, builds: Path, tmp_path: Path) -> None:
    result = cli("diff", str(tmp_path), "--warehouse", str(builds / "base"))
    assert (result.code, result.out) == (2, "")
    assert result.err == (
        f"error: {tmp_path.as_posix()}/skating.duckdb: expected a warehouse built by "
        "`pipeline run`, found none\n"
    )


def test_the_limit_bounds_the_rows_listed_not_the_counts(
    cli: Cli, builds: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(builds)
    result = cli("diff", "base", "--warehouse", "swapped/rejected", "--limit", "1")
    assert result.out.splitlines()[1:4] == [
        "results: 0 added, 0 removed, 2 changed",
        f"  {PAGE}:123: changed ({SEED}/final-a, {SEED}/rusty-smith): rank 4 → 5; "
        "place_as_printed 4 → 5",
        "  … and 1 more (--limit, or --format json)",
    ]


def test_lines_that_only_moved_are_no_change(
    cli: Cli, builds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A blank line above the results moves every row, failure and warning one line down;
    found by a newcomer: the failures table then showed 3 added, 3 removed."""
    raw = Path(shutil.copytree(builds / "raw", tmp_path / "raw"))
    corrupt(raw / "events" / SEED / "page.txt", "==Results==\n", "\n==Results==\n")
    monkeypatch.chdir(tmp_path)
    assert cli("run", "--raw", "raw", "--warehouse", "moved").code == 0
    monkeypatch.chdir(builds)
    result = cli("diff", "base", "--warehouse", str(tmp_path / "moved"))
    assert result.out.splitlines()[1:] == ["no changes: both warehouses hold the same rows"]
