"""Every check, and running them all on a warehouse file."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import duckdb

from checks.check import Check, Failure
from checks.rules import advancement, dates, identity, keys, ranks, records, results, tallies
from checks.schemas import ACCEPTED_VALUE, UNIQUE_KEY, check_tables
from checks.validate import SCHEMA_TYPES
from checks.waivers import UNUSED_WAIVER, apply_waivers
from pipeline.errors import InputError
from pipeline.views import FORMAT_TIME_MACRO
from pipeline.warehouse import sql_text

MEMORY_LIMIT = "768MB"

Rule = Callable[[duckdb.DuckDBPyConnection], list[Failure]]

# Global rules look across events; every other rule judges each event on its own rows (and
# the registry), which is what lets an incremental build re-check only the changed events.
GLOBAL_RULES: tuple[tuple[tuple[Check, ...], Rule], ...] = (
    ((SCHEMA_TYPES, ACCEPTED_VALUE, UNIQUE_KEY), check_tables),
    (keys.CHECKS, keys.run),
)
EVENT_RULES: tuple[tuple[tuple[Check, ...], Rule], ...] = (
    (results.CHECKS, results.run),
    (ranks.CHECKS, ranks.run),
    (advancement.CHECKS, advancement.run),
    (records.CHECKS, records.run),
    (tallies.CHECKS, tallies.run),
    (identity.CHECKS, identity.run),
    (dates.CHECKS, dates.run),
)
RULES = (*GLOBAL_RULES, *EVENT_RULES)
ALL_CHECKS: tuple[Check, ...] = (*(c for checks, _ in RULES for c in checks), UNUSED_WAIVER)
EVENT_CHECK_IDS = {check.id for checks, _ in EVENT_RULES for check in checks}
EVENT_TABLES = (
    "events",
    "infobox",
    "medals",
    "rounds",
    "races",
    "results",
    "records",
    "prior_records",
    "advancement_rules",
)
SHARED_TABLES = ("nations", "athletes", "athlete_aliases", "waivers")
FAILURES_FILE = "failures.json"


@dataclass(frozen=True)
class CheckRun:
    """The outcome of every check: failures (waived ones included) in a stable order."""

    checks: tuple[Check, ...]
    failures: tuple[Failure, ...]

    def failures_of(self, check: Check) -> list[Failure]:
        return [f for f in self.failures if f.check_id == check.id]

    def status(self, check: Check) -> str:
        """passed, failed, warned or waived."""
        found = self.failures_of(check)
        if not found:
            return "passed"
        if any(f.waiver is None for f in found):
            return "failed" if check.severity == "error" else "warned"
        return "waived"

    @property
    def failed(self) -> bool:
        """True when an error-level check has a failure that no waiver accepts."""
        return any(self.status(c) == "failed" for c in self.checks)


# Rules partition and join results by race, event and athlete thousands of times over; integer
# keys make that 2-3x cheaper than the string ids, so they are assigned once per run here.
KEYED_RESULTS = """
CREATE OR REPLACE TEMP TABLE keyed_races AS
SELECT ra.*, CAST(row_number() OVER () AS INTEGER) AS race_key, rd.round_order,
       CAST(dense_rank() OVER (ORDER BY ra.event_id) AS INTEGER) AS event_key
FROM races AS ra
LEFT JOIN rounds AS rd ON rd.event_id = ra.event_id AND rd.round = ra.round;

-- Only integers are stored per result (a copy of the strings would double the memory).
CREATE OR REPLACE TEMP TABLE result_keys AS
SELECT r.rowid AS result_key, k.race_key, a.athlete_key
FROM results AS r
LEFT JOIN keyed_races AS k USING (race_id)
LEFT JOIN (SELECT athlete_id, CAST(row_number() OVER () AS INTEGER) AS athlete_key
           FROM athletes) AS a USING (athlete_id);

CREATE OR REPLACE TEMP VIEW keyed_results AS
SELECT r.rowid AS result_key, r.*, k.race_key, kr.event_key, kr.round, kr.round_order,
       kr.label AS race_label, kr.race_number, k.athlete_key
FROM results AS r
JOIN result_keys AS k ON k.result_key = r.rowid
LEFT JOIN keyed_races AS kr USING (race_key);
"""


def _configure(con: duckdb.DuckDBPyConnection, spill: str) -> None:
    # Bounded memory: DuckDB spills its temporary tables and joins to disk beyond this (in a
    # folder of this run's own, so concurrent checks never share spill files).
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    con.execute(f"SET temp_directory = {sql_text(spill)}")


def _event_rules(con: duckdb.DuckDBPyConnection) -> list[Failure]:
    con.execute(KEYED_RESULTS)
    return [failure for _, rule in EVENT_RULES for failure in rule(con)]


def _scoped(database: Path, events: set[str], spill: str) -> duckdb.DuckDBPyConnection:
    """An in-memory copy of the named events' rows (and the registry), for event rules."""
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
    database: Path, scope: set[str] | None = None, carried: Iterable[Failure] = ()
) -> CheckRun:
    """Run every check on a warehouse file (opened read-only), apply the waivers.

    With `scope`, the per-event rules run on those events only and `carried` supplies the
    other events' failures from an earlier run of the same rules on the same rows (the
    incremental build); the global rules always run on everything."""
    if not database.is_file():
        raise InputError(
            database.as_posix(), "expected a warehouse built by `pipeline run`, found none"
        )
    with (
        tempfile.TemporaryDirectory(prefix="skating-checks-") as spill,
        duckdb.connect(str(database), read_only=True) as con,
    ):
        _configure(con, spill)
        failures = [failure for _, rule in GLOBAL_RULES for failure in rule(con)]
        if scope is None:
            failures += _event_rules(con)
        else:
            if scope:  # nothing changed: every per-event failure is carried over
                with _scoped(database, scope, spill) as scoped:
                    failures += _event_rules(scoped)
            failures += [replace(failure, waiver=None) for failure in carried]
        failures = apply_waivers(con, failures)
    failures.sort(key=lambda f: (f.path, f.line, f.check_id, f.message))
    return CheckRun(ALL_CHECKS, tuple(failures))


def save_failures(run: CheckRun, folder: Path) -> None:
    """Keep a build's per-event failures (before waivers) for the next incremental run."""
    kept = [asdict(replace(f, waiver=None)) for f in run.failures if f.check_id in EVENT_CHECK_IDS]
    (folder / FAILURES_FILE).write_text(json.dumps(kept, ensure_ascii=False), encoding="utf-8")


def carried_failures(folder: Path, unchanged: set[str]) -> list[Failure] | None:
    """The saved per-event failures of the events in `unchanged`; None if none were saved."""
    try:
        saved = json.loads((folder / FAILURES_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    failures = [Failure(**entry) for entry in saved]
    return [
        f
        for f in failures
        if Path(f.path).parent.name in unchanged and Path(f.path).parent.parent.name == "events"
    ]
