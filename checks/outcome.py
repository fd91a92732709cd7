"""The outcome of a check run: every check with its failures, and the verdict."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from checks.check import Check, Failure


@dataclass(frozen=True)
class CheckRun:
    """The outcome of every check: failures (waived ones included) in a stable order."""

    checks: tuple[Check, ...]
    failures: tuple[Failure, ...]
    selection: str | None = None  # what part of the checks ran, when not all of them

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
