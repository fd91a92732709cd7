"""The outcome of a check run: every check with its failures, and the verdict."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from checks.framework.check import Check, Failure

STATUSES = ("passed", "failed", "warned", "waived")  # a check's, in the order reports count them


@dataclass(frozen=True)
class Coverage:
    """How many events of the references (raw/reference/) the checked warehouse holds."""

    present: int
    total: int
    first_year: int
    last_year: int
    games: int  # how many Games the reference events span (the years may have gaps)

    def sentence(self) -> str:
        """`1 of 56 Olympic events 1992–2018 present (8 Games in the references …)`, and how
        to list the others."""
        years = (
            str(self.first_year)
            if self.first_year == self.last_year
            else f"{self.first_year}–{self.last_year}"
        )
        said = (
            f"{self.present} of {self.total} Olympic events {years} present ("
            f"{self.games} Games in the references of raw/reference/)"
        )
        missing = self.total - self.present
        if missing:
            said += f"; `pipeline list events --missing` lists the {missing} missing"
        return said


def verdict(failures: Iterable[Failure], warn_error: bool = False) -> str:
    """What some failures (a check's, or those in one event's files) make of it: failed by an
    open error (or, with `warn_error`, an open warning), warned by an open warning, waived when
    a waiver accepts each, passed with none."""
    found = list(failures)
    if not found:
        return "passed"
    open_severities = {f.severity for f in found if f.waiver is None}
    if "error" in open_severities or (warn_error and open_severities):
        return "failed"
    return "warned" if open_severities else "waived"


@dataclass(frozen=True)
class CheckRun:
    """The outcome of every check: failures (waived ones included) in a stable order."""

    checks: tuple[Check, ...]
    failures: tuple[Failure, ...]
    selection: str | None = None  # what part of the checks ran, when not all of them
    warn_error: bool = False  # --warn-error: a warning fails the gate as an error does
    events: tuple[str, ...] = ()  # the events the run was restricted to (--event), if any
    coverage: Coverage | None = None  # None: the warehouse holds no reference events
    # The failures of the rules' shared-table parts (Rule.shared), before waivers: what the
    # next incremental build carries instead of judging the shared tables again.
    shared: tuple[Failure, ...] = ()

    @cached_property
    def _by_check(self) -> dict[str, list[Failure]]:
        """Failures grouped by check id, once: reports ask for each check's in turn."""
        grouped: dict[str, list[Failure]] = {}
        for failure in self.failures:
            grouped.setdefault(failure.check_id, []).append(failure)
        return grouped

    def failures_of(self, check: Check) -> list[Failure]:
        return list(self._by_check.get(check.id, ()))

    def status(self, check: Check) -> str:
        """passed, failed, warned or waived."""
        return verdict(self.failures_of(check), self.warn_error)

    @property
    def failed(self) -> bool:
        """True when an error-level check has a failure that no waiver accepts."""
        return any(self.status(c) == "failed" for c in self.checks)


def summary(run: CheckRun) -> dict[str, Any]:
    """Counts of checks by status and of failures by kind."""
    statuses = Counter(run.status(check) for check in run.checks)
    severity = {check.id: check.severity for check in run.checks}
    open_failures = [f for f in run.failures if f.waiver is None]
    return {
        "checks": len(run.checks),
        **{status: statuses.get(status, 0) for status in STATUSES},
        "errors": sum(severity[f.check_id] == "error" for f in open_failures),
        "warnings": sum(severity[f.check_id] == "warn" for f in open_failures),
        "waived_failures": sum(f.waiver is not None for f in run.failures),
        "input_errors": 0,  # a run refused for bad input ran no check (report.input_errors)
    }
