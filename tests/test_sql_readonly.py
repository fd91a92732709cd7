"""`pipeline sql` is read-only by construction: DuckDB itself refuses every file it would write
or read outside the warehouse, and the settings that allow it cannot be changed by a query."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import CliResult

Cli = Callable[..., CliResult]


@pytest.fixture(scope="module")
def published(built_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of the built warehouse, so an attack that got through harms no other test."""
    target = tmp_path_factory.mktemp("sql") / "wh"
    shutil.copytree(built_warehouse, target, symlinks=True)
    return target


def sql(cli: Cli, warehouse: Path, query: str) -> CliResult:
    return cli("sql", query, "--warehouse", str(warehouse), "--format", "csv")


def files_under(folder: Path) -> dict[str, int]:
    """Every file under a folder with its size and modification time, to see that none changed."""
    return {
        str(path.relative_to(folder)): path.lstat().st_mtime_ns
        for path in sorted(folder.rglob("*"))
        if path.is_file() or path.is_symlink()
    }


ATTACKS = {
    "copy to csv": "COPY (SELECT * FROM results) TO '{out}/results.csv'",
    "copy to parquet": "COPY (SELECT * FROM results) TO '{out}/results.parquet' (FORMAT parquet)",
    "export database": "EXPORT DATABASE '{out}/export'",
    "profiling output": "PRAGMA profiling_output = '{out}/profile.json'",
    "profiling on": "PRAGMA enable_profiling = 'json'",
    "attach read-write": "ATTACH '{out}/other.db' (READ_WRITE)",
    # Refused before anything runs: one statement a query (see the test of several below).
    "write after a select": "SELECT 1; COPY (SELECT 1 AS x) TO '{out}/after.csv'",
    "overwrite the published parquet": (
        "COPY (SELECT 1 AS x) TO '{warehouse}/parquet/results.parquet' (FORMAT parquet)"
    ),
    "re-enable external access": "SET enable_external_access = true",
    "read an outside file": "SELECT * FROM read_csv('{outside}')",
}


@pytest.mark.parametrize("attack", ATTACKS)
def test_sql_cannot_write_or_reach_outside_files(
    cli: Cli, published: Path, tmp_path: Path, attack: str
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    outside = tmp_path / "secret.csv"
    outside.write_text("secret\nhunter2\n")
    before = files_under(published)
    query = ATTACKS[attack].format(out=out, warehouse=published, outside=outside)
    result = sql(cli, published, query)
    assert result.code == 2, result.out
    assert result.err.startswith(
        ("error: query: pipeline sql only reads the warehouse", "error: query: expected one SQL")
    )
    # DuckDB's message, then the query as it quotes it and the caret (no file's content).
    assert "hunter2" not in result.err + result.out
    assert all(not line.startswith("error:") for line in result.err.splitlines()[1:])
    assert list(out.iterdir()) == []
    assert files_under(published) == before
    assert sql(cli, published, "SELECT count(*) AS n FROM results").out == "n\n58\n"


def test_a_failed_install_creates_nothing_in_home(
    cli: Cli, published: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    # A local repository that does not exist: no network, and DuckDB still prepares ~/.duckdb.
    for query in (f"INSTALL nosuchext FROM '{tmp_path}/no-repo'", "LOAD nosuchext"):
        result = sql(cli, published, query)
        assert result.code == 2
        assert result.err.startswith("error: query: pipeline sql only reads the warehouse")
    assert os.listdir(home) == []


def test_ordinary_queries_views_and_the_time_macro_still_work(cli: Cli, published: Path) -> None:
    result = sql(
        cli,
        published,
        "WITH finals AS (SELECT * FROM results_wide WHERE race_label = 'Final A') "
        "SELECT athlete_name, format_time(time_ms, 3) AS time FROM finals "
        "WHERE rank = 1",
    )
    assert (result.code, result.out) == (0, "athlete_name,time\nAhn Hyun-soo,1:26.739\n")
    result = sql(
        cli,
        published,
        "SELECT athlete_name, format_time(time_ms, 3) AS time FROM results_wide "
        "WHERE race_label = 'Final A' AND rank = 1",
    )
    assert (result.code, result.out) == (0, "athlete_name,time\nAhn Hyun-soo,1:26.739\n")
    paths = sql(cli, published, "SELECT count(*) AS n FROM athlete_paths, records_wide")
    assert (paths.code, paths.out) == (0, "n\n78\n")


def test_every_statement_shows_its_result(cli: Cli, built_warehouse: Path) -> None:
    """Found by a newcomer's trial: `SELECT 1; SELECT 2` printed the last result alone. As the
    duckdb CLI: each result in turn (JSON, one document, takes one statement)."""
    result = cli(
        "sql",
        "SELECT 1 AS a; SELECT 2 AS b",
        "--warehouse",
        str(built_warehouse),
        "--format",
        "csv",
    )
    assert (result.code, result.out, result.err) == (0, "a\n1\n\nb\n2\n", "")
    as_json = cli(
        "sql", "SELECT 1; SELECT 2", "--warehouse", str(built_warehouse), "--format", "json"
    )
    assert (as_json.code, as_json.out) == (2, "")
    assert as_json.err == (
        "error: --format: expected one statement for json (one document holds one result), "
        "found 2: use --format ndjson\n"
    )
    one = cli("sql", "SELECT 1 AS one;", "--warehouse", str(built_warehouse), "--format", "csv")
    assert (one.code, one.out) == (0, "one\n1\n")
