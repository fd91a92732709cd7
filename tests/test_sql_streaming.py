"""`pipeline sql` streams: a result of 200 million rows prints under a memory cap, a table shows
its first rows and says there are more, and CSV cells a spreadsheet would run are written as
text."""

from __future__ import annotations

import io
import os
import resource
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import REPO, CliResult

Cli = Callable[..., CliResult]


# --- 19. `pipeline sql` streams its rows ----------------------------------------------------

# Enough for the interpreter, DuckDB and a batch of rows; far too little for 200 million rows
# held at once (fetchall needs gigabytes).
MEMORY_CAP = 1536 * 2**20
HUGE_QUERY = "SELECT range FROM range(200000000)"


def _capped() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


@pytest.mark.parametrize(
    "output, first_lines",
    [
        ("csv", ["range\n", "0\n", "1\n", "2\n"]),
        ("json", ["[\n", " {\n", '  "range": 0\n', " },\n"]),
        ("markdown", ["| range |\n", "|---|\n", "| 0 |\n", "| 1 |\n"]),
    ],
)
def test_a_huge_result_streams_under_a_memory_cap(
    built_warehouse: Path, output: str, first_lines: list[str]
) -> None:
    """The first rows arrive while the query still runs; fetching every row first ended in a
    MemoryError (exit 3) before a line was printed."""
    command = [sys.executable, "-m", "pipeline", "sql", HUGE_QUERY]
    command += ["--warehouse", str(built_warehouse), "--format", output]
    with subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_capped,
        cwd=REPO,
        # Few malloc arenas: each reserves address space, and the cap counts address space.
        env={**os.environ, "PYTHONPATH": str(REPO), "MALLOC_ARENA_MAX": "2"},
    ) as process:
        assert process.stdout is not None
        # The timeout: a process that prints nothing is killed, and its output ends.
        watchdog = threading.Timer(120, process.kill)
        watchdog.start()
        try:
            got = [process.stdout.readline() for _ in range(10_000)]
        finally:
            watchdog.cancel()
            process.kill()
            _, err = process.communicate(timeout=60)
    assert got[: len(first_lines)] == first_lines, err
    assert got[-1] != ""  # still printing: no end, no error


def test_a_table_shows_its_first_thousand_rows_and_says_there_are_more(
    cli: Cli, built_warehouse: Path
) -> None:
    query = "SELECT range FROM range(1001)"
    result = cli("sql", query, "--warehouse", str(built_warehouse))
    shown = [line for line in result.out.splitlines() if line.startswith("│")]
    assert (result.code, len(shown), shown[0].split()[1], shown[-1].split()[1]) == (
        0,
        1000,
        "0",
        "999",
    )
    assert result.err == (
        "(the first 1,000 rows; the query returned more: --format csv, tsv, ndjson or markdown "
        "prints every row)\n"
    )
    exactly = cli("sql", "SELECT range FROM range(1000)", "--warehouse", str(built_warehouse))
    assert (exactly.code, exactly.err) == (0, "")


# --- CSV cells a spreadsheet would run as formulas ------------------------------------------


def test_csv_cells_that_start_a_formula_are_written_as_text(
    cli: Cli, built_warehouse: Path
) -> None:
    query = (
        "SELECT * FROM (VALUES ('=HYPERLINK(\"http://x\",\"y\")', -1, '@SUM(A1)'), "
        "('+1', 2, '-2'), (chr(9) || 'tab', 3, chr(13) || 'cr'), ('Li Ye', -4, 'a=b')) "
        'AS t("=name", n, note)'
    )
    result = cli("sql", query, "--warehouse", str(built_warehouse), "--format", "csv")
    assert (result.code, result.out) == (
        0,
        "'=name,n,note\n"
        '"\'=HYPERLINK(""http://x"",""y"")",-1,\'@SUM(A1)\n'
        "'+1,2,'-2\n"
        "'\ttab,3,'\rcr\n"
        "Li Ye,-4,a=b\n",
    )
    # JSON and markdown write values as they are: no spreadsheet reads them.
    as_json = cli("sql", query, "--warehouse", str(built_warehouse), "--format", "json")
    assert '"=name": "=HYPERLINK(\\"http://x\\",\\"y\\")"' in as_json.out


def test_an_error_found_while_rows_stream_exits_2(cli: Cli, built_warehouse: Path) -> None:
    """DuckDB fails on row 50,001, which its threads may reach before or after rows were
    printed: the output ends there, with DuckDB's message and exit 2, not a traceback."""
    query = (
        "SELECT CAST(CASE WHEN range < 50000 THEN '1' ELSE 'x' END AS INTEGER) AS n "
        "FROM range(100000)"
    )
    result = cli("sql", query, "--warehouse", str(built_warehouse), "--format", "csv")
    assert result.code == 2
    assert set(result.out.splitlines()[1:]) <= {"1"}
    assert result.err == (
        "error: query: Conversion Error: Could not convert string 'x' to INT32\nLINE 1: "
        "SELECT CAST(CASE WHEN range < 50000 THEN '1' ELSE 'x' END AS INTEGER...\n"
        + " " * 15
        + "^" * 61
        + "\n"
    )


def test_streamed_json_is_the_text_of_one_json_dump() -> None:
    """The array is written an object at a time, yet reads as `json.dump(…, indent=1)` did."""
    import io
    import json

    from pipeline.query import write_json

    columns = ["name", "laps", "nested"]
    rows = [("Li\nYe", 1, [1, {"k": ["é"]}]), (None, float("nan"), {})]
    for some in (rows, rows[:1], []):
        streamed = io.StringIO()
        write_json(columns, iter(some), streamed)
        values = [
            {k: (None if v != v else v) for k, v in zip(columns, row, strict=True)} for row in some
        ]
        assert streamed.getvalue() == json.dumps(values, ensure_ascii=False, indent=1) + "\n"


def test_the_duckdb_cli_habits(
    cli: Cli, built_warehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A table whenever it fits (medal_table at 80 columns), `0 rows`, TSV and NDJSON, the
    query from standard input, named parameters as sqlite-utils takes them."""
    warehouse = str(built_warehouse)
    monkeypatch.setenv("COLUMNS", "80")
    query = "SELECT rank, noc, nation, gold, silver, bronze, total FROM medal_table"
    medals = cli("sql", query, "--warehouse", warehouse)
    assert medals.out.splitlines()[1].split() == [
        "┃",
        "rank",
        "┃",
        "noc",
        "┃",
        "nation",
        "┃",
        "gold",
        "┃",
        "silver",
        "┃",
        "bronze",
        "┃",
        "total",
        "┃",
    ]
    none = cli("sql", "SELECT name FROM athletes WHERE false", "--warehouse", warehouse)
    assert none.out.splitlines()[-1] == "0 rows"
    tsv = cli("sql", "SELECT 'a\tb' AS x, NULL AS y", "--warehouse", warehouse, "--format", "tsv")
    assert tsv.out == "x\ty\na\\tb\t\\N\n"
    monkeypatch.setattr("sys.stdin", io.StringIO("SELECT 1 AS a; SELECT 2 AS b"))
    ndjson = cli("sql", "-", "--warehouse", warehouse, "--format", "ndjson")
    assert ndjson.out == '{"a": 1}\n{"b": 2}\n'
    named = cli(
        "sql",
        "SELECT name FROM athletes WHERE noc = $noc AND name LIKE $start ORDER BY 1",
        "-p",
        "noc",
        "KOR",
        "--param",
        "start=Lee%",
        "--warehouse",
        warehouse,
        "--format",
        "csv",
    )
    assert (named.code, named.out) == (0, "name\nLee Ho-suk\n")
    missing = cli("sql", "SELECT $noc", "--warehouse", warehouse)
    assert missing.err == (
        "error: query: expected a value for each $parameter (-p noc VALUE), found none\n"
    )
