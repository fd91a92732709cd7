"""The `pipeline` command: exact output and exit codes through the real entry point."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import SEED, CliResult, corrupt

Cli = Callable[..., CliResult]


def results_counted(cli: Cli, warehouse: Path) -> str:
    """What `pipeline sql` says the warehouse's results count is, as CSV."""
    sql = ("sql", "SELECT count(*) AS n FROM results", "--warehouse", str(warehouse))
    return cli(*sql, "--format", "csv").out


def test_run_builds_and_summarises(cli: Cli, raw_copy: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "wh"
    result = cli("run", "--raw", str(raw_copy), "--warehouse", str(warehouse))
    assert result.code == 0, result.err
    assert "│ results                │   58 │" in result.out
    lines = result.out.splitlines()
    published = next(line for line in lines if line.startswith("published build "))
    assert " (1 event); parse " in published
    assert f"warehouse: {warehouse}; open it with: duckdb -readonly {warehouse}/skating.duckdb" in (
        lines
    )
    assert (warehouse / "skating.duckdb").is_file()
    assert (warehouse / "parquet" / "results.parquet").is_file()


def test_unknown_athlete_exits_2_with_one_located_message(
    cli: Cli, raw_copy: Path, seed_copy: Path, tmp_path: Path
) -> None:
    corrupt(seed_copy, "| 4 | 2 | Matus Uzak |", "| 4 | 2 | Matus Usak |")
    warehouse = tmp_path / "wh"
    result = cli("run", "--raw", str(raw_copy), "--warehouse", str(warehouse))
    assert result.code == 2
    assert result.err == (
        f"error: {raw_copy}/events/{SEED}/page.txt:49: expected an athlete in "
        f"{raw_copy}/registry/athletes.csv or aliases.csv, found 'Matus Usak'; did you mean "
        f"Matus Uzak (matus-uzak)? A misspelling of the page is declared in "
        f"{raw_copy}/registry/aliases.csv (alias,athlete_id,reason)\n"
    )
    assert result.out == ""
    assert not warehouse.exists()  # a refused run into a new path leaves no folder behind


def test_unreadable_table_exits_2(
    cli: Cli, raw_copy: Path, seed_copy: Path, tmp_path: Path
) -> None:
    corrupt(seed_copy, "| 3 | Sebastian Praus | | 1:29.820 | |", "| 3 | Sebastian Praus |")
    result = cli("run", "--raw", str(raw_copy), "--warehouse", str(tmp_path / "wh"))
    assert result.code == 2
    assert result.err == (
        f"error: {raw_copy}/events/{SEED}/page.txt:79: expected 5 cells as in the header at "
        "line 76, found '2 cells'\n"
    )


def test_a_failed_run_keeps_the_previous_warehouse(
    cli: Cli, raw_copy: Path, seed_copy: Path, tmp_path: Path
) -> None:
    warehouse = tmp_path / "wh"
    assert cli("run", "--raw", str(raw_copy), "--warehouse", str(warehouse)).code == 0
    before = os.readlink(warehouse / "current")
    corrupt(seed_copy, "| 1 | Ahn Hyun-soo | | 1:26.739 |", "| 1 | Ahn Hyun-soo | | 1:26,739 |")
    assert cli("run", "--raw", str(raw_copy), "--warehouse", str(warehouse)).code == 2
    assert os.readlink(warehouse / "current") == before
    assert [p.name for p in (warehouse / "builds").iterdir()] == [Path(before).name]
    assert results_counted(cli, warehouse) == "n\n58\n"


def test_missing_raw_folder_exits_2(cli: Cli, tmp_path: Path) -> None:
    result = cli("run", "--raw", str(tmp_path / "nope"), "--warehouse", str(tmp_path / "wh"))
    assert (result.code, result.err) == (
        2,
        f"error: {tmp_path}/nope: expected a raw folder with events/ and registry/, found none\n",
    )


def test_debug_shows_the_exception(
    cli: Cli, raw_copy: Path, seed_copy: Path, tmp_path: Path
) -> None:
    corrupt(seed_copy, "| 4 | 2 | Matus Uzak |", "| 4 | 2 | Matus Usak |")
    shown = cli("--debug", "run", "--raw", str(raw_copy), "--warehouse", str(tmp_path / "wh"))
    # The traceback, then the message; the exit code stays bad input's (found by review: a
    # raised exception exited 1, which CI reads as a failed check).
    assert shown.code == 2
    assert shown.err.startswith("Traceback (most recent call last):")
    assert "SourceError" in shown.err
    assert shown.err.splitlines()[-1].startswith("error: ")


def test_usage_error_exits_2(cli: Cli) -> None:
    result = cli("run", "--no-such-option")
    assert result.code == 2
    assert "No such option: --no-such-option" in result.err


@pytest.fixture
def warehouse(cli: Cli, raw_copy: Path, tmp_path: Path) -> Path:
    built = tmp_path / "wh"
    assert cli("run", "--raw", str(raw_copy), "--warehouse", str(built)).code == 0
    return built


def test_sql_csv_and_json(cli: Cli, warehouse: Path) -> None:
    query = (
        "SELECT race_label, athlete_name, time, race_date FROM results_wide "
        "WHERE race_label = 'Final A' AND rank <= 2 ORDER BY rank"
    )
    csv_out = cli("sql", query, "--warehouse", str(warehouse), "--format", "csv")
    assert (csv_out.code, csv_out.out) == (
        0,
        (
            "race_label,athlete_name,time,race_date\n"
            "Final A,Ahn Hyun-soo,1:26.739,2006-02-18\n"
            "Final A,Lee Ho-suk,1:26.764,2006-02-18\n"
        ),
    )
    json_out = cli("sql", query, "--warehouse", str(warehouse), "--format", "json")
    assert json.loads(json_out.out) == [
        {
            "race_label": "Final A",
            "athlete_name": "Ahn Hyun-soo",
            "time": "1:26.739",
            "race_date": "2006-02-18",
        },
        {
            "race_label": "Final A",
            "athlete_name": "Lee Ho-suk",
            "time": "1:26.764",
            "race_date": "2006-02-18",
        },
    ]
    table = cli("sql", "SELECT count(*) AS n FROM athletes", "--warehouse", str(warehouse))
    assert table.code == 0 and "│ 26 │" in table.out


def test_sql_refuses_writes_and_bad_queries(cli: Cli, warehouse: Path) -> None:
    write = cli("sql", "DELETE FROM results", "--warehouse", str(warehouse))
    assert write.code == 2
    assert "read-only mode" in write.err.splitlines()[0]
    bad = cli("sql", "SELEC 1", "--warehouse", str(warehouse))
    assert bad.code == 2 and bad.err.startswith("error: query: Parser Error: syntax error")
    assert results_counted(cli, warehouse) == "n\n58\n"


def test_sql_without_a_warehouse_exits_2(cli: Cli, tmp_path: Path) -> None:
    result = cli("sql", "SELECT 1", "--warehouse", str(tmp_path))
    assert (result.code, result.err) == (
        2,
        f"error: {tmp_path}/skating.duckdb: expected a warehouse built by `pipeline run`, "
        "found none\n",
    )


def _in_a_fresh_process(argv: list[str], after: str, call: str = "main") -> str:
    """What a new interpreter prints after running `pipeline ARGV` through `call` (the
    in-process `main`, or `entry`, the command's own process) and then the code `after`."""
    code = (
        f"import sys; sys.argv = {['pipeline', *argv]!r}\n"
        f"from pipeline.cli import {call}\n"
        f"try:\n    code = {call}()\nexcept SystemExit as exit_:\n    code = exit_.code\n"
        f"{after}"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    return done.stdout


def test_console_script_help_runs_without_heavy_imports() -> None:
    out = _in_a_fresh_process(
        ["--help"],
        "heavy = {'duckdb', 'pyarrow', 'pandera', 'polars', 'pydantic'} & set(sys.modules)\n"
        "print('HEAVY', sorted(heavy))",
    )
    assert "HEAVY []" in out
    for command in ("run", "add", "check", "sql"):
        assert command in out


def test_sql_never_imports_pandera(warehouse: Path) -> None:
    argv = ["sql", "select 1 AS one", "--warehouse", str(warehouse), "--format", "csv"]
    out = _in_a_fresh_process(
        argv, "print('PANDERA', 'pandera' in sys.modules, 'polars' in sys.modules)"
    )
    assert out == "one\n1\nPANDERA False False\n"


def test_the_command_never_imports_hypothesis_nor_pandas(raw_copy: Path, tmp_path: Path) -> None:
    """pandera would import them (installed for the tests; pandas for country_converter) for
    data synthesis and its pandas API, which no command uses (issue 26: the bundled build
    within reach of the stack's import)."""
    argv = ["run", "--raw", str(raw_copy), "--warehouse", str(tmp_path / "wh")]
    after = (
        "print('EXIT', code, 'PANDERA', 'pandera' in sys.modules, 'HYPOTHESIS',"
        " 'hypothesis' in sys.modules, 'PANDAS', 'pandas' in sys.modules)\n"
        "import hypothesis, pandas\n"  # importable again once the command is over
        "print('AFTER', 'hypothesis' in sys.modules, 'pandas' in sys.modules)"
    )
    assert (
        "EXIT 0 PANDERA True HYPOTHESIS False PANDAS False\nAFTER True True\n"
        in _in_a_fresh_process(argv, after, call="entry")
    )


def test_main_in_process_leaves_pandera_its_data_synthesis(raw_copy: Path, tmp_path: Path) -> None:
    """Only the command's own process keeps hypothesis out: `main` called in a process that
    goes on (a test session) leaves pandera able to synthesise data afterwards."""
    argv = ["run", "--raw", str(raw_copy), "--warehouse", str(tmp_path / "wh")]
    after = (
        "import hypothesis\n"
        "from pandera.strategies import base_strategies\n"
        "print('EXIT', code, 'SYNTHESIS', base_strategies.HAS_HYPOTHESIS)"
    )
    assert "EXIT 0 SYNTHESIS True" in _in_a_fresh_process(argv, after)


def test_unimportable_is_not_installed_until_the_block_ends() -> None:
    """Inside the block a library (and its modules) is missing as an installation without it
    would be; one imported before is left alone; after the block it imports again."""
    import importlib

    from pipeline.unused_imports import unimportable

    for name in [name for name in sys.modules if name.partition(".")[0] == "wsgiref"]:
        del sys.modules[name]  # a package of the standard library nothing here uses
    with unimportable(("json", "wsgiref")):
        import json  # imported before the block: untouched

        assert json.dumps(1) == "1"
        with pytest.raises(ModuleNotFoundError, match="^No module named 'wsgiref'$"):
            importlib.import_module("wsgiref")
        with pytest.raises(ModuleNotFoundError, match="^No module named 'wsgiref'$"):
            importlib.import_module("wsgiref.util")  # its package first, as when not installed
    assert importlib.import_module("wsgiref.util").__name__ == "wsgiref.util"


def test_the_test_session_finds_pandas_not_installed() -> None:
    """As the command's process does (tests/conftest.py): the tests run the pandera it runs."""
    import importlib

    assert "pandas" not in sys.modules
    with pytest.raises(ModuleNotFoundError, match="^No module named 'pandas'$"):
        importlib.import_module("pandas")


def test_an_up_to_date_rerun_imports_neither_duckdb_nor_arrow_nor_pandera(
    raw_copy: Path, tmp_path: Path
) -> None:
    """A rerun with nothing to do reads the saved manifest and report only (issue 16's no-op);
    nor pydantic, which only event.toml needs (typer 0.29 builds a pydantic TypeAdapter for
    each option it parses: 1.28x the no-op's time, hence `typer<0.29` in pyproject.toml)."""
    argv = ["run", "--raw", str(raw_copy), "--warehouse", str(tmp_path / "wh")]
    after = (
        "heavy = {'duckdb', 'pyarrow', 'pandera', 'polars', 'pydantic'} & set(sys.modules)\n"
        "print('HEAVY', sorted(heavy))"
    )
    first, again = _in_a_fresh_process(argv, after), _in_a_fresh_process(argv, after)
    assert "HEAVY ['duckdb', 'pandera', 'polars', 'pyarrow', 'pydantic']" in first
    assert "up to date" in again and "HEAVY []" in again


def test_an_internal_error_is_one_line_exit_3(
    cli: Cli, raw_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline import build

    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(build, "run", broken)
    result = cli("run", "--raw", str(raw_copy), "--warehouse", str(tmp_path / "wh"))
    assert (result.code, result.err) == (
        3,
        "internal error: ZeroDivisionError: division by zero (this is a bug; rerun with "
        "--debug for the traceback)\n",
    )


def test_machine_formats_own_stdout(cli: Cli, raw_copy: Path, tmp_path: Path) -> None:
    result = cli(
        "run", "--raw", str(raw_copy), "--warehouse", str(tmp_path / "wh"), "--format", "json"
    )
    assert result.code == 0
    document = json.loads(result.out)  # nothing but the report
    assert document["passed"] is True and document["selection"] is None
    assert "Rows per table" in result.err and "published build " in result.err


def test_version(cli: Cli) -> None:
    from importlib.metadata import version

    assert cli("--version").out == f"pipeline {version('skating-warehouse')}\n"


def test_sql_markdown_escapes_pipes(cli: Cli, warehouse: Path) -> None:
    query = "SELECT position, name, 'a|b' AS odd FROM standings WHERE position <= 2 ORDER BY 1"
    result = cli("sql", query, "--warehouse", str(warehouse), "--format", "markdown")
    assert result.out == (
        "| position | name | odd |\n|---|---|---|\n"
        "| 1 | Ahn Hyun-soo | a\\|b |\n| 2 | Lee Ho-suk | a\\|b |\n"
    )


def test_sql_table_never_cuts_a_value(
    cli: Cli, warehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    query = "SELECT event_id, source_file, name FROM standings WHERE position = 1"
    monkeypatch.setenv("COLUMNS", "60")
    wide = cli("sql", query, "--warehouse", str(warehouse)).out
    assert "…" not in wide
    assert "Ahn Hyun-soo" in wide
    monkeypatch.setenv("COLUMNS", "30")
    narrow = cli("sql", query, "--warehouse", str(warehouse)).out.splitlines()
    # Too narrow for three columns: one field a line, nothing cut.
    assert narrow[:2] == ["-- row 1 --", "   event_id: 2006-men-1000m"]
    assert narrow[2].startswith("source_file: ") and narrow[2].endswith("/page.txt")
    assert narrow[3:] == ["       name: Ahn Hyun-soo"]


@pytest.mark.parametrize("query", [";", "", "   "])
def test_sql_without_a_statement_exits_2(cli: Cli, warehouse: Path, query: str) -> None:
    result = cli("sql", query, "--warehouse", str(warehouse))
    assert (result.code, result.err) == (
        2,
        f"error: query: expected a SQL statement, found {query!r}\n",
    )


def test_sql_json_writes_nan_as_null_and_errors_keep_duckdbs_caret(
    cli: Cli, warehouse: Path
) -> None:
    result = cli(
        "sql", "SELECT 'NaN'::DOUBLE AS n", "--warehouse", str(warehouse), "--format", "json"
    )
    assert json.loads(result.out) == [{"n": None}]
    bad = cli("sql", "SELECT t.nothing FROM results t", "--warehouse", str(warehouse))
    assert bad.code == 2
    assert bad.err.splitlines() == [
        'error: query: Binder Error: Table "t" does not have a column named "nothing"',
        'Candidate bindings: : "note"',
        "LINE 1: SELECT t.nothing FROM results t",
        "               ^^^^^^^^^",  # under the mistake, as DuckDB drew it
    ]


def test_check_refuses_a_selection_that_selects_nothing(cli: Cli, warehouse: Path) -> None:
    result = cli("check", "--warehouse", str(warehouse), "--select", "nope", "--event", "nope")
    assert result.code == 2
    assert result.err.splitlines() == [
        "error: --select: expected a check id, a family (advancement, classification, dates, "
        "identity, keys, ranks, records, reference, results, schema, tallies, teams, waivers) or a "
        "pattern "
        "that matches one, found 'nope'",
        "error: --event: expected an event of the warehouse ('2006-men-1000m'), found 'nope'",
    ]


def test_an_up_to_date_rerun_lists_the_tables_in_their_order(
    cli: Cli, raw_copy: Path, tmp_path: Path
) -> None:
    args = ("run", "--raw", str(raw_copy), "--warehouse", str(tmp_path / "wh"))
    first, again = cli(*args).out, cli(*args).out
    assert "up to date: nothing changed since build" in again
    table = [line for line in first.splitlines() if line.startswith("│")]
    assert [line for line in again.splitlines() if line.startswith("│")] == table
