"""Hooks for driving the two lanes of run_rules into an exact interleaving, without timing."""

from __future__ import annotations

import threading
from collections.abc import Callable
from types import TracebackType
from typing import Any, cast

import duckdb

from checks.framework.check import Failure
from checks.framework.rule import Rule, run_rules

GUARD = 30.0  # seconds: only ever waited out when the code under test hangs
# Minutes of work unless interrupted.
ENDLESS = "SELECT count(*) FROM range(1000000000000) WHERE range % 7 = 3"


class Broken(Exception):
    """What a rule of the prepared lane raises (as DuckDB's out-of-memory error would)."""


class WatchedCursor:
    """A cursor that reports each interrupt sent to it, after sending it on."""

    def __init__(self, cursor: duckdb.DuckDBPyConnection, interrupted: threading.Event) -> None:
        self.cursor = cursor
        self.interrupted = interrupted

    def interrupt(self) -> None:
        self.cursor.interrupt()
        self.interrupted.set()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.cursor, name)

    def __enter__(self) -> WatchedCursor:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.cursor.close()


class Watched:
    """A connection whose cursors (the other lane's) report the interrupts they are sent."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.interrupted = threading.Event()
        self.cursors: list[duckdb.DuckDBPyConnection] = []

    def cursor(self) -> WatchedCursor:
        cursor = self.con.cursor()
        self.cursors.append(cursor)
        return WatchedCursor(cursor, self.interrupted)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.con, name)


def run_guarded(watched: Watched, rules: list[Rule]) -> tuple[bool, BaseException | None]:
    """Run the rules in a thread of their own, waiting at most GUARD seconds: whether it
    returned, and what it raised. A run still going is stopped (its cursors interrupted until
    it returns) so that a failing test does not leave a query running."""
    raised: list[BaseException] = []

    def run() -> None:
        try:
            run_rules(cast(duckdb.DuckDBPyConnection, watched), rules)
        except BaseException as error:
            raised.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout=GUARD)
    returned = not thread.is_alive()
    while thread.is_alive():
        for cursor in watched.cursors:
            cursor.interrupt()
        thread.join(timeout=0.1)
    return returned, raised[0] if raised else None


def rule_of(run: Callable[[duckdb.DuckDBPyConnection], list[Failure]], **needs: Any) -> Rule:
    """A rule of the ranks family running `run` (the checks it names do not matter here)."""
    from checks.rules.ranks import CHECKS

    return Rule(CHECKS, run, "event", 1, **needs)
