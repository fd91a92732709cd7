"""Running the checks on a warehouse file: bounded memory, per-event scope, waivers applied."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

import duckdb

from checks.carry import Carried
from checks.catalog import ALL_CHECKS, RULES
from checks.framework.check import Failure
from checks.framework.rule import Rule, run_rules
from checks.outcome import CheckRun, Coverage
from checks.selection import EVERYTHING, Selection
from checks.shape import REBUILD, require_shape, table_kinds
from checks.waivers import apply_waivers
from core.errors import InputError, raise_problems, require_warehouse
from core.escape import sql_identifier, sql_text
from core.model import EVENT_TABLES, SHARED_TABLES
from core.views import FORMAT_TIME_MACRO

MEMORY_LIMIT = "768MB"
# Per-event rules over more events than this run on event ranges of this size, one after the
# other: their windows and joins then grow with the events (measured: at 100,000 events in one
# go they took 19x the time of 10,000, spilling past the memory limit), and memory stays flat.
CHUNK_EVENTS = 10_000


def _configure(con: duckdb.DuckDBPyConnection, spill: str) -> None:
    # Bounded memory: DuckDB spills its temporary tables and joins to disk beyond this (in a
    # folder of this run's own, so concurrent checks never share spill files).
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    con.execute(f"SET temp_directory = {sql_text(spill)}")


def _scoped(database: Path, events: set[str], spill: str) -> duckdb.DuckDBPyConnection:
    """An in-memory copy of the named events' rows (and the shared tables), for event rules."""
    con = duckdb.connect()
    _configure(con, spill)
    con.execute(f"ATTACH {sql_text(database.as_posix())} AS wh (READ_ONLY)")
    con.execute(  # one list parameter: executemany refuses none and is slow on many
        "CREATE TEMP TABLE scope AS SELECT unnest($events::VARCHAR[]) AS event_id",
        {"events": sorted(events)},
    )
    for table in EVENT_TABLES:
        con.execute(
            f"CREATE TABLE {table} AS SELECT * FROM wh.{table} "
            "WHERE event_id IN (SELECT event_id FROM scope) ORDER BY rowid"
        )
    for table in SHARED_TABLES:
        con.execute(f"CREATE TABLE {table} AS SELECT * FROM wh.{table} ORDER BY rowid")
    con.execute(FORMAT_TIME_MACRO)
    return con


def _event_ranges(con: duckdb.DuckDBPyConnection, size: int) -> list[tuple[str | None, str | None]]:
    """The events in id order, cut into half-open ranges [first, next first) of `size` events;
    None is an open end, so that every row falls in exactly one range."""
    ordered = con.execute(
        "SELECT DISTINCT event_id FROM events WHERE event_id IS NOT NULL ORDER BY event_id"
    ).fetchall()
    firsts = [str(row[0]) for row in ordered][::size]
    bounds: list[str | None] = [None, *firsts[1:], None]
    return list(zip(bounds[:-1], bounds[1:], strict=True))


def _narrowing(
    con: duckdb.DuckDBPyConnection, first: str | None, end: str | None
) -> Callable[[duckdb.DuckDBPyConnection], None]:
    """What shows a connection only the events from `first` up to `end`: a temporary view
    over each event table, under the table's own name, keeping its row ids (keyed_results
    reads them). The rows stay where they are; DuckDB skips the row groups outside the range."""
    catalog = str(con.execute("SELECT current_database()").fetchall()[0][0])
    above = "TRUE" if first is None else f"event_id >= {sql_text(first)}"
    below = "TRUE" if end is None else f"event_id < {sql_text(end)}"
    where = f"({above} AND {below})" + (" OR event_id IS NULL" if first is None else "")

    def narrow(cursor: duckdb.DuckDBPyConnection) -> None:
        for table in EVENT_TABLES:
            cursor.execute(
                f"CREATE OR REPLACE TEMP VIEW {table} AS SELECT rowid AS rowid, * "
                f"FROM {sql_identifier(catalog)}.main.{table} WHERE {where}"
            )

    return narrow


def _on_every_event(
    con: duckdb.DuckDBPyConnection,
    global_rules: list[Rule],
    event_rules: list[Rule],
    chunk_events: int,
) -> list[Failure]:
    """Every rule on every event: the per-event ones a range of events at a time when there
    are more than `chunk_events` and the keys hold (a race or entrant shared between events,
    or an event listed twice, would be judged differently in parts)."""
    ranges = _event_ranges(con, chunk_events)
    if len(ranges) <= 1:
        return run_rules(con, global_rules + event_rules)
    failures = run_rules(con, global_rules)
    if any(failure.severity == "error" for failure in failures):
        return failures + run_rules(con, event_rules)
    for first, end in ranges:
        narrow = _narrowing(con, first, end)
        with con.cursor() as part:
            narrow(part)
            failures += run_rules(part, event_rules, narrow)
    return failures


def _not_a_warehouse(database: Path, error: duckdb.Error) -> InputError:
    reason = str(error).split("\n", 1)[0]
    return InputError(
        database.as_posix(),
        f"expected a warehouse built by `pipeline run`, found a file DuckDB reads as: {reason}",
    )


def _open(database: Path) -> duckdb.DuckDBPyConnection:
    """The warehouse file, read-only; a file that is no DuckDB database is bad input."""
    try:
        return duckdb.connect(str(database), read_only=True)
    except duckdb.Error as error:
        raise _not_a_warehouse(database, error) from None


def _event_ids(con: duckdb.DuckDBPyConnection, database: Path) -> list[str]:
    """The warehouse's events; a database without the events table is not a warehouse, and
    one without this version's tables and columns is refused (checks/shape.py), not judged
    half."""
    try:
        events = [str(row[0]) for row in con.execute("SELECT event_id FROM events").fetchall()]
    except duckdb.Error as error:
        raise _not_a_warehouse(database, error) from None
    require_shape(con, database)
    return events


def _shared_parts(rules: Iterable[Rule], found: list[Failure]) -> list[Rule]:
    """Each rule's shared-table part as a global rule of its own, whose failures are also
    gathered in `found` (what the next incremental build carries)."""

    def gathering(rule: Rule, part: Callable[[duckdb.DuckDBPyConnection], list[Failure]]) -> Rule:
        def run(con: duckdb.DuckDBPyConnection) -> list[Failure]:
            failures = part(con)
            found.extend(failures)  # list.extend holds the interpreter lock: lanes may share
            return failures

        return replace(rule, run=run, scope="global", shared=None)

    return [gathering(rule, rule.shared) for rule in rules if rule.shared is not None]


def _judged(
    con: duckdb.DuckDBPyConnection,
    database: Path,
    spill: str,
    rules: list[Rule],
    scope: set[str] | None,
    carried: Carried | None,
    chunk_events: int,
) -> list[Failure]:
    """The rules' failures (before waivers): on every event, or on the events in `scope` and
    the shared tables, with the failures `carried` for the rest."""
    global_rules = [rule for rule in rules if rule.scope == "global"]
    event_rules = [rule for rule in rules if rule.scope == "event"]
    if scope is None:
        return _on_every_event(con, global_rules, event_rules, chunk_events)
    # With no event in scope, the shared tables are still judged, unless their judgement is
    # carried.
    with _scoped(database, scope, spill) as scoped:
        failures = run_rules(scoped, global_rules + event_rules)
    if carried is not None:  # before waivers: they are applied afresh, to these too
        failures += [*carried.events, *carried.shared]
    return failures


def run_all(
    database: Path,
    scope: set[str] | None = None,
    carried: Carried | None = None,
    selection: Selection = EVERYTHING,
    chunk_events: int = CHUNK_EVENTS,
) -> CheckRun:
    """Run every check on a warehouse file (opened read-only), apply the waivers.

    With `scope`, every rule runs on those events' rows and the shared tables only. `carried`
    supplies, from an earlier run of the same rules on the same rows, the other events'
    failures and those of the rules' shared-table parts, before waivers (as
    `checks.carry.carried_failures` loads them), which are then not run (the
    incremental build, whose other rows and shared tables are copied from a sealed build that
    was checked; the global rules judge nothing across events that a scope could split: a key
    of an event's rows starts with its event id). A `selection` runs only
    the rules of the selected checks, on the selected events, and reports those. Without a
    scope, the per-event rules take `chunk_events` events at a time (the failures are the
    same; the time and memory grow with the events, not faster)."""
    require_warehouse(database)
    checks = tuple(check for check in ALL_CHECKS if selection.selects(check))
    rules = [rule for rule in RULES if any(selection.selects(c) for c in rule.checks)]
    if selection.events:
        scope, carried = set(selection.events), None
    shared: list[Failure] = []
    if scope is None or carried is None:  # nothing carried: the shared tables are judged
        carried = None
        rules += _shared_parts(rules, shared)
    else:
        shared = list(carried.shared)
    with (
        tempfile.TemporaryDirectory(prefix="skating-checks-") as spill,
        _open(database) as con,
    ):
        _configure(con, spill)
        events = _event_ids(con, database)
        raise_problems(selection.refusals(ALL_CHECKS, events))
        failures = _judged(con, database, spill, rules, scope, carried, chunk_events)
        selected_ids = {check.id for check in checks}
        failures = [f for f in failures if f.check_id in selected_ids and selection.keeps(f)]
        not_run = frozenset(check.id for check in ALL_CHECKS) - selected_ids
        failures = apply_waivers(con, failures, not_run, selection.checks_file)
        coverage = _coverage(con, database)
    failures = [f for f in failures if f.check_id in selected_ids and selection.keeps(f)]
    failures.sort(key=_report_order)
    kept = [f for f in shared if f.check_id in selected_ids and selection.keeps(f)]
    kept.sort(key=_report_order)  # lanes finish in any order
    return CheckRun(
        checks,
        tuple(failures),
        selection.describe(),
        events=selection.events,
        coverage=coverage,
        shared=tuple(kept),
    )


def _report_order(failure: Failure) -> tuple[str, int, str, str]:
    return (failure.path, failure.line, failure.check_id, failure.message)


def _coverage(con: duckdb.DuckDBPyConnection, database: Path) -> Coverage | None:
    """How many reference events the warehouse holds (None without any, or in a warehouse
    built before the coverage view; a coverage view replaced by hand is bad input)."""
    if "coverage" not in table_kinds(con):
        return None
    try:
        present, total, first, last, games = con.execute(
            "SELECT count(*) FILTER (WHERE present), count(*), min(games_year), max(games_year), "
            "count(DISTINCT games_year) FROM coverage"
        ).fetchall()[0]
    except duckdb.Error as error:  # a view replaced, or over a table since dropped
        raise InputError(
            database.as_posix(),
            f"expected the coverage view this version builds {REBUILD}, found one that does "
            f"not read: {str(error).splitlines()[0]}",
        ) from None
    return Coverage(present, total, first, last, games) if total else None
