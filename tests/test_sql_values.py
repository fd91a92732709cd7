"""`pipeline sql` shows values as the duckdb CLI does: a BLOB as `\\xAA`, a boolean as `true`,
a FLOAT as `0.1`, lists, structs and maps in DuckDB's notation, an INTERVAL of a month as
`1 month` (Python would print `b'\\xaa'`, `True`, `0.10000000149011612`, `['a']`, `{'a': 1}`
and 30 days). JSON keeps its own values where it has them."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.add.helpers import Cli

QUERY = (
    "SELECT '\\xAA\\x00a'::BLOB AS b, INTERVAL 1 MONTH AS i, MAP {'a': 1} AS m, ['x', 'y'] AS l, "
    "{'x': 'v'} AS s, true AS t, 0.1::FLOAT AS f, 1.5 AS d, -2 AS n, 'it''s' AS text, "
    "NULL::BOOLEAN AS nothing, 7 AS n  -- a comment that ends the query"
)


def _duckdb_cli() -> str:
    found = shutil.which("duckdb", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.fail("the duckdb CLI (duckdb-cli, a dev dependency) is not installed")
    return found


def test_csv_is_what_the_duckdb_cli_prints(cli: Cli, built_warehouse: Path) -> None:
    shown = cli("sql", QUERY, "--warehouse", str(built_warehouse), "--format", "csv")
    assert shown.code == 0
    assert shown.out == (
        "b,i,m,l,s,t,f,d,n,text,nothing,n\n"
        "\\xAA\\x00a,1 month,{a=1},\"[x, y]\",{'x': v},true,0.1,1.5,-2,it's,,7\n"
    )
    database = str(built_warehouse / "skating.duckdb")
    stock = subprocess.run(
        [_duckdb_cli(), "-readonly", database, "-csv", "-c", QUERY],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    # The same text for every value the CLI and Python print otherwise (the CLI's CSV quotes
    # more and writes NULL; this CSV leaves a null empty).
    stock_row = next(csv.reader(io.StringIO(stock.stdout.splitlines()[1])))
    own_row = next(csv.reader(io.StringIO(shown.out.splitlines()[1])))
    assert stock_row[:9] == own_row[:9]


def test_json_keeps_its_values_and_writes_the_others_as_duckdb_does(
    cli: Cli, built_warehouse: Path
) -> None:
    shown = cli("sql", QUERY, "--warehouse", str(built_warehouse), "--format", "ndjson")
    assert shown.code == 0
    assert json.loads(shown.out) == {
        "b": "\\xAA\\x00a",
        "i": "1 month",
        "m": {"a": 1},
        "l": ["x", "y"],
        "s": {"x": "v"},
        "t": True,
        "f": 0.1,
        "d": "1.5",  # a DECIMAL as its exact digits
        "n": 7,
        "text": "it's",
        "nothing": None,
    }


def test_statements_that_are_not_selects_and_parameters_still_run(
    cli: Cli, built_warehouse: Path
) -> None:
    shown = cli(
        "sql",
        "SELECT $flag::BOOLEAN AS flag; SHOW TABLES",
        "-p",
        "flag",
        "true",
        "--warehouse",
        str(built_warehouse),
        "--format",
        "csv",
    )
    assert shown.code == 0
    assert shown.out.startswith("flag\ntrue\n\nname\n")


def test_a_query_ending_in_semicolons_and_comments_is_shown_too(
    cli: Cli, built_warehouse: Path
) -> None:
    for query in ("SELECT true AS a;\n-- done\n", "SELECT true AS a;;", "SELECT true AS a -- c"):
        shown = cli("sql", query, "--warehouse", str(built_warehouse), "--format", "csv")
        assert (shown.code, shown.out) == (0, "a\ntrue\n"), query


def test_an_error_in_a_shown_query_is_at_the_querys_own_line(
    cli: Cli, built_warehouse: Path
) -> None:
    """The cast to text wraps the query: DuckDB's message still numbers the query's lines."""
    shown = cli("sql", "SELECT true AS a,\n 'x'::INT AS b", "--warehouse", str(built_warehouse))
    assert shown.code == 2
    assert shown.err.splitlines()[:2] == [
        "error: query: Conversion Error: Could not convert string 'x' to INT32",
        "LINE 2:  'x'::INT AS b",
    ]


def test_a_statement_that_is_no_select_writes_booleans_as_duckdb(
    cli: Cli, built_warehouse: Path
) -> None:
    shown = cli(
        "sql", "PRAGMA table_info('races')", "--warehouse", str(built_warehouse), "--format", "csv"
    )
    assert shown.out.splitlines()[:2] == [
        "cid,name,type,notnull,dflt_value,pk",
        "0,race_id,VARCHAR,true,,true",
    ]


def test_json_writes_a_nested_value_it_has_no_form_for_as_duckdbs_text(
    cli: Cli, built_warehouse: Path
) -> None:
    query = "SELECT ['\\xAA'::BLOB] AS l, {'i': INTERVAL 1 MONTH} AS s, [0.1::FLOAT] AS f, [1] AS n"
    shown = cli("sql", query, "--warehouse", str(built_warehouse), "--format", "ndjson")
    assert json.loads(shown.out) == {
        "l": "['\\\\xAA']",
        "s": "{'i': 1 month}",
        "f": "[0.1]",
        "n": [1],
    }
