"""The two lanes of run_rules: an error in one is the error raised, and stops the other.

Each interleaving is forced with events (no sleeps, no timing): a rule waits for what it needs to
have happened, and every wait is bounded, so a regression fails instead of hanging."""

from __future__ import annotations

import threading
from collections.abc import Callable

import duckdb

from checks.framework.check import Failure
from checks.framework.rule import Preparation, run_rules
from tests.checks.lanes import ENDLESS, GUARD, Broken, Watched, rule_of, run_guarded

PREPARED = Preparation("prepared", "CREATE TEMP TABLE prepared AS SELECT 1 AS one")


def test_an_error_in_one_lane_is_raised_and_stops_the_others_query() -> None:
    entered = threading.Event()

    def endless(cursor: duckdb.DuckDBPyConnection) -> list[Failure]:
        entered.set()
        cursor.execute(ENDLESS).fetchall()
        return []

    def failing(con: duckdb.DuckDBPyConnection) -> list[Failure]:
        con.execute("SELECT * FROM prepared").fetchall()
        assert entered.wait(timeout=GUARD)  # the other lane is in its query, or about to be
        raise Broken("the real error")

    with duckdb.connect() as con:
        rules = [rule_of(failing, needs=(PREPARED,)), rule_of(endless)]
        returned, raised = run_guarded(Watched(con), rules)
    assert returned
    assert isinstance(raised, Broken) and str(raised) == "the real error"


def test_after_an_error_the_other_lane_starts_no_further_rule() -> None:
    ran: list[str] = []
    entered = threading.Event()
    with duckdb.connect() as con:
        watched = Watched(con)

        def first(cursor: duckdb.DuckDBPyConnection) -> list[Failure]:
            ran.append("first")
            entered.set()
            assert watched.interrupted.wait(timeout=GUARD)  # the error has been handled
            return []

        def second(cursor: duckdb.DuckDBPyConnection) -> list[Failure]:
            ran.append("second")
            return []

        def failing(con: duckdb.DuckDBPyConnection) -> list[Failure]:
            assert entered.wait(timeout=GUARD)  # the other lane is in its first rule
            raise Broken("the real error")

        rules = [rule_of(failing, needs=(PREPARED,)), rule_of(first), rule_of(second)]
        returned, raised = run_guarded(watched, rules)
    assert returned
    assert isinstance(raised, Broken)
    assert ran == ["first"]


def test_without_an_error_both_lanes_failures_are_returned() -> None:
    def prepared_rule(con: duckdb.DuckDBPyConnection) -> list[Failure]:
        (one,) = con.execute("SELECT one FROM prepared").fetchone() or (None,)
        return [failure_at(f"prepared {one}")]

    def plain_rule(cursor: duckdb.DuckDBPyConnection) -> list[Failure]:
        return [failure_at("plain")]

    with duckdb.connect() as con:
        rules = [rule_of(prepared_rule, needs=(PREPARED,)), rule_of(plain_rule)]
        failures = run_rules(con, rules)
    assert sorted(failure.message for failure in failures) == ["plain", "prepared 1"]


def failure_at(message: str) -> Failure:
    """A failure of the ranks family with this message."""
    from checks.rules.ranks import CHECKS

    return Failure(CHECKS[0].id, CHECKS[0].severity, "page.txt", 1, message, "–", "–")


def test_a_lane_with_no_rules_of_its_own_left_takes_the_others() -> None:
    """Two rules of one kind run side by side: each waits until the other has started."""
    started = {name: threading.Event() for name in ("a", "b")}

    def rule_named(name: str, other: str) -> Callable[[duckdb.DuckDBPyConnection], list[Failure]]:
        def run(con: duckdb.DuckDBPyConnection) -> list[Failure]:
            started[name].set()
            assert started[other].wait(timeout=GUARD)
            return [failure_at(name)]

        return run

    with duckdb.connect() as con:
        rules = [rule_of(rule_named("a", "b")), rule_of(rule_named("b", "a"))]
        failures = run_rules(con, rules)
    assert sorted(failure.message for failure in failures) == ["a", "b"]
