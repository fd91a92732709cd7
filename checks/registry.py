"""Every check, and running them all on a warehouse file."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from checks.check import Check, Failure
from checks.rules import advancement, dates, identity, keys, ranks, records, results, tallies
from checks.schemas import UNIQUE_KEY, check_tables
from checks.validate import SCHEMA_TYPES
from checks.waivers import UNUSED_WAIVER, apply_waivers
from pipeline.errors import InputError
from pipeline.warehouse import sql_text

MEMORY_LIMIT = "768MB"

Rule = Callable[[duckdb.DuckDBPyConnection], list[Failure]]

RULES: tuple[tuple[tuple[Check, ...], Rule], ...] = (
    ((SCHEMA_TYPES, UNIQUE_KEY), check_tables),
    (keys.CHECKS, keys.run),
    (results.CHECKS, results.run),
    (ranks.CHECKS, ranks.run),
    (advancement.CHECKS, advancement.run),
    (records.CHECKS, records.run),
    (tallies.CHECKS, tallies.run),
    (identity.CHECKS, identity.run),
    (dates.CHECKS, dates.run),
)
ALL_CHECKS: tuple[Check, ...] = (*(c for checks, _ in RULES for c in checks), UNUSED_WAIVER)


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


def run_checks(con: duckdb.DuckDBPyConnection) -> CheckRun:
    """Run every rule on an open warehouse, apply the waivers, sort failures by place."""
    # Bounded memory: DuckDB spills its temporary tables and joins to disk beyond this.
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    con.execute(f"SET temp_directory = {sql_text(tempfile.gettempdir() + '/skating-checks')}")
    con.execute(KEYED_RESULTS)
    failures = [failure for _, rule in RULES for failure in rule(con)]
    failures = apply_waivers(con, failures)
    failures.sort(key=lambda f: (f.path, f.line, f.check_id, f.message))
    return CheckRun(ALL_CHECKS, tuple(failures))


def run_all(database: Path) -> CheckRun:
    """Open a warehouse file read-only and run every check on it."""
    if not database.is_file():
        raise InputError(
            database.as_posix(), "expected a warehouse built by `pipeline run`, found none"
        )
    with duckdb.connect(str(database), read_only=True) as con:
        return run_checks(con)
