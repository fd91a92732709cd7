"""A lane whose query starts just after the other lane's error was handled is stopped too.

DuckDB drops an interrupt sent while no query runs. The hook below lets the plain lane pass its
stop test, waits for the first interrupt, and only then starts an endless query: run_rules must
still return (raising the prepared lane's error) instead of waiting for that query forever."""

from __future__ import annotations

import threading

import duckdb

from checks.framework.check import Failure
from checks.framework.rule import Preparation
from tests.checks.lanes import ENDLESS, GUARD, Broken, Watched, rule_of, run_guarded


def test_a_query_started_after_the_interrupt_is_interrupted_too() -> None:
    entered = threading.Event()
    with duckdb.connect() as con:
        watched = Watched(con)

        def late_query(cursor: duckdb.DuckDBPyConnection) -> list[Failure]:
            entered.set()  # past the stop test
            assert watched.interrupted.wait(timeout=GUARD)  # the first interrupt has gone
            cursor.execute(ENDLESS).fetchall()
            return []

        def failing(con: duckdb.DuckDBPyConnection) -> list[Failure]:
            assert entered.wait(timeout=GUARD)
            raise Broken("the real error")

        prepared = Preparation("prepared", "CREATE TEMP TABLE prepared AS SELECT 1 AS one")
        rules = [rule_of(failing, needs=(prepared,)), rule_of(late_query)]
        returned, raised = run_guarded(watched, rules)
    assert returned, f"run_rules still waiting for the other lane after {GUARD} s"
    assert isinstance(raised, Broken) and str(raised) == "the real error"
