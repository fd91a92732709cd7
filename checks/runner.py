"""Running the checks on a warehouse file: bounded memory, per-event scope, waivers applied."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

import duckdb

from checks.catalog import ALL_CHECKS, RULES
from checks.check import Failure
from checks.outcome import CheckRun
from checks.rule import run_rules
from checks.selection import EVERYTHING, Selection
from checks.waivers import apply_waivers
from pipeline.errors import InputError, InputErrors, PipelineError
from pipeline.model import EVENT_TABLES, SHARED_TABLES
from pipeline.views import FORMAT_TIME_MACRO
from pipeline.warehouse import sql_text

MEMORY_LIMIT = "768MB"


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
    con.execute("CREATE TEMP TABLE scope (event_id VARCHAR)")
    con.executemany("INSERT INTO scope VALUES (?)", [[event] for event in sorted(events)])
    for table in EVENT_TABLES:
        con.execute(
            f"CREATE TABLE {table} AS SELECT * FROM wh.{table} "
            "WHERE event_id IN (SELECT event_id FROM scope) ORDER BY rowid"
        )
    for table in SHARED_TABLES:
        con.execute(f"CREATE TABLE {table} AS SELECT * FROM wh.{table} ORDER BY rowid")
    con.execute(FORMAT_TIME_MACRO)
    return con


def run_all(
    database: Path,
    scope: set[str] | None = None,
    carried: Iterable[Failure] = (),
    selection: Selection = EVERYTHING,
) -> CheckRun:
    """Run every check on a warehouse file (opened read-only), apply the waivers.

    With `scope`, the per-event rules run on those events only and `carried` supplies the
    other events' failures from an earlier run of the same rules on the same rows (the
    incremental build); the global rules always run on everything. A `selection` runs only
    the rules of the selected checks, on the selected events, and reports those."""
    if not database.is_file():
        raise InputError(
            database.as_posix(), "expected a warehouse built by `pipeline run`, found none"
        )
    checks = tuple(check for check in ALL_CHECKS if selection.selects(check))
    rules = [rule for rule in RULES if any(selection.selects(c) for c in rule.checks)]
    global_rules = [rule for rule in rules if rule.scope == "global"]
    event_rules = [rule for rule in rules if rule.scope == "event"]
    if selection.events:
        scope, carried = set(selection.events), ()
    with (
        tempfile.TemporaryDirectory(prefix="skating-checks-") as spill,
        duckdb.connect(str(database), read_only=True) as con,
    ):
        _configure(con, spill)
        events = [str(row[0]) for row in con.execute("SELECT event_id FROM events").fetchall()]
        refused = selection.refusals(ALL_CHECKS, events)
        if refused:
            raise refused[0] if len(refused) == 1 else InputErrors(list[PipelineError](refused))
        if scope is None:
            failures = run_rules(con, global_rules + event_rules)
        else:
            failures = run_rules(con, global_rules)
            if scope:  # nothing changed: every per-event failure is carried over
                with _scoped(database, scope, spill) as scoped:
                    failures += run_rules(scoped, event_rules)
            # Waivers are applied afresh below, also to the carried failures.
            failures += [f if f.waiver is None else replace(f, waiver=None) for f in carried]
        selected_ids = {check.id for check in checks}
        failures = [f for f in failures if f.check_id in selected_ids and selection.keeps(f)]
        not_run = frozenset(check.id for check in ALL_CHECKS) - selected_ids
        failures = apply_waivers(con, failures, not_run, selection.checks_file)
    failures = [f for f in failures if f.check_id in selected_ids and selection.keeps(f)]
    failures.sort(key=lambda f: (f.path, f.line, f.check_id, f.message))
    return CheckRun(checks, tuple(failures), selection.describe())
