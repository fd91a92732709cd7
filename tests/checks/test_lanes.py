"""The two lanes of run_rules: an error in one is the error raised, and stops the other."""

from __future__ import annotations

import time

import duckdb
import pytest

from checks.check import Failure
from checks.rule import Preparation, Rule, run_rules
from checks.rules.ranks import CHECKS


class Broken(Exception):
    """What a rule of the prepared lane raises (as DuckDB's out-of-memory error would)."""


def failing(con: duckdb.DuckDBPyConnection) -> list[Failure]:
    con.execute("SELECT * FROM prepared").fetchall()
    raise Broken("the real error")


def endless(con: duckdb.DuckDBPyConnection) -> list[Failure]:
    # Minutes of work unless interrupted.
    con.execute("SELECT count(*) FROM range(1000000000000) WHERE range % 7 = 3").fetchall()
    return []


def test_an_error_in_one_lane_is_raised_and_stops_the_other() -> None:
    prepared = Preparation("prepared", "CREATE TEMP TABLE prepared AS SELECT 1 AS one")
    rules = [
        Rule(CHECKS, failing, "event", 1, needs=(prepared,)),
        Rule(CHECKS, endless, "event", 2),
    ]
    started = time.monotonic()
    with duckdb.connect() as con, pytest.raises(Broken, match="the real error"):
        run_rules(con, rules)
    assert time.monotonic() - started < 60  # the endless query was interrupted
