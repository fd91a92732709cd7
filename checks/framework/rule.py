"""What a rule is: the checks it decides, how it runs, where it runs, and what it needs prepared.

A rule reads warehouse tables and the temporary tables of the preparations it names; the runner
builds each needed preparation once per connection, before the first rule that needs it, so a
rule never depends on another module having run first.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Literal

import duckdb

from checks.framework.check import Check, Failure

# How often a stopped lane's cursor is interrupted again until the lane returns: only the delay
# before its query stops, never whether it stops.
INTERRUPT_EVERY = 0.01  # seconds

# "event": judges each event on its own rows (and the shared tables), so an incremental build
# can re-check only the changed events, and a large warehouse is judged 10,000 events at a
# time; "global": judges whole tables in one go (a key's uniqueness over a whole column, the
# shared tables), never in ranges of events, but still nothing that one event's rows could
# not decide with the shared tables: an incremental build and `check --event` run it on the
# chosen events' rows only. No rule compares the rows of two events (a reference from one
# event into another is a keys.foreign-key failure, whatever else it upsets).
RuleScope = Literal["event", "global"]


@dataclass(frozen=True)
class Preparation:
    """Temporary tables or views some rules read, built by one SQL script."""

    name: str
    sql: str
    needs: tuple[Preparation, ...] = ()
    cleanup: str | None = None  # run after the last rule that needs it, to free the memory


@dataclass(frozen=True)
class Rule:
    """A family of checks decided together by one function over one connection.

    `order` places the family in reports (lower first), so that adding a family touches only
    its own module."""

    checks: tuple[Check, ...]
    run: Callable[[duckdb.DuckDBPyConnection], list[Failure]]
    scope: RuleScope
    order: int
    needs: tuple[Preparation, ...] = ()
    # The part of the family that judges the shared tables alone (registry, references,
    # waivers), run beside `run` as a global rule of its own. An incremental build does not
    # run it: its shared tables are the sealed build's (their files unchanged, or every event
    # is parsed again), so it carries that build's failures of this part instead.
    shared: Callable[[duckdb.DuckDBPyConnection], list[Failure]] | None = None

    @property
    def family(self) -> str:
        return self.checks[0].family


def run_rules(
    con: duckdb.DuckDBPyConnection,
    rules: Sequence[Rule],
    narrow: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
) -> list[Failure]:
    """Each rule's failures, in two lanes at once sharing the rules between them: `con`, which
    holds the temporary tables of the rules that read preparations, takes those first (the
    heaviest first), the other lane, on a cursor of the same database, the others in order;
    when a lane has none of its own left it takes the other's from the far end, so that both
    finish together whichever kind costs more (the schema family on a small warehouse, the
    advancement family on a large one). A lane builds a preparation it has not built itself
    (temporary tables are a connection's own). DuckDB runs each lane's SQL without the
    interpreter lock, so one lane's pandera work overlaps the other's queries. The caller
    sorts the failures: the order is not kept.

    `narrow`, if given, is what was done to `con` to show it part of the events (temporary
    views); it is done to the other lane's cursor too."""
    shared = _Shared(rules)
    if len(rules) < 2:
        return _run_lane(con, shared, shared.for_con)
    # The cursor outlives the thread using it (contexts close in reverse order).
    with con.cursor() as other, ThreadPoolExecutor(max_workers=1) as beside:
        if narrow is not None:
            narrow(other)
        first = shared.for_con()  # taken before the other lane starts: the heaviest is con's
        plain_failures = beside.submit(_run_lane, other, shared, shared.for_cursor)
        try:
            failures = _run_lane(con, shared, shared.for_con, first)
        except BaseException:
            shared.stop()  # no further rule in the other lane,
            _interrupt_until_returned(other, plain_failures)  # nor the rest of its query:
            raise  # this lane's error is the news
        return failures + plain_failures.result()


class _Shared:
    """The rules not yet taken by either lane."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        heaviest_first = sorted(
            (rule for rule in rules if rule.needs), key=lambda rule: -len(_closure(rule.needs))
        )
        self.prepared = list(heaviest_first)
        self.plain = [rule for rule in rules if not rule.needs]
        self.lock = threading.Lock()
        self.stopped = False

    def for_con(self) -> Rule | None:
        with self.lock:
            if self.stopped:
                return None
            return self.prepared.pop(0) if self.prepared else self._last(self.plain)

    def for_cursor(self) -> Rule | None:
        with self.lock:
            if self.stopped:
                return None
            return self.plain.pop(0) if self.plain else self._last(self.prepared)

    @staticmethod
    def _last(rules: list[Rule]) -> Rule | None:
        return rules.pop() if rules else None

    def needed(self, preparation: Preparation) -> bool:
        """Whether a rule not yet taken needs the preparation."""
        with self.lock:
            return any(preparation in _closure(rule.needs) for rule in self.prepared + self.plain)

    def stop(self) -> None:
        with self.lock:
            self.stopped = True


def _interrupt_until_returned(
    cursor: duckdb.DuckDBPyConnection, lane: Future[list[Failure]]
) -> None:
    """Interrupt the lane's cursor until the lane has returned. DuckDB drops an interrupt that
    comes while no query runs, so one interrupt is not enough: the lane may have passed its
    `stop` test and be about to start a query (or between two queries of one rule)."""
    while True:
        cursor.interrupt()
        finished, _ = wait([lane], timeout=INTERRUPT_EVERY)
        if finished:
            return


def _run_lane(
    con: duckdb.DuckDBPyConnection,
    shared: _Shared,
    take: Callable[[], Rule | None],
    first: Rule | None = None,
) -> list[Failure]:
    """The failures of each rule the lane takes, until none is left (or the lanes are
    stopped); what a rule needs is built before it, once per connection, and dropped once no
    rule left needs it."""
    built: list[Preparation] = []
    failures = []
    rule = first if first is not None else take()
    while rule is not None:
        for preparation in _closure(rule.needs):
            if preparation not in built:
                con.execute(preparation.sql)
                built.append(preparation)
        failures += rule.run(con)
        for preparation in list(built):
            if preparation.cleanup and not shared.needed(preparation):
                con.execute(preparation.cleanup)
                built.remove(preparation)
        rule = take()
    return failures


def _closure(needs: tuple[Preparation, ...]) -> list[Preparation]:
    """The preparations in `needs` and everything they need, each after what it needs."""
    ordered: list[Preparation] = []
    for preparation in needs:
        for needed in (*_closure(preparation.needs), preparation):
            if needed not in ordered:
                ordered.append(needed)
    return ordered
