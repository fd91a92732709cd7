"""Running part of the checks, as dbt's --select does: check ids or families by pattern, and the
events whose failures are wanted."""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import PurePosixPath

from checks.check import Check, Failure


@dataclass(frozen=True)
class Selection:
    """Patterns of check ids (`records`, `tallies.*`, `ranks.no-gaps`) and event ids; empty
    means every check, or every event."""

    patterns: tuple[str, ...] = ()
    events: tuple[str, ...] = ()

    def selects(self, check: Check) -> bool:
        """A bare family name selects the whole family; other patterns match the id."""
        return not self.patterns or any(
            check.family == pattern or fnmatchcase(check.id, pattern) for pattern in self.patterns
        )

    def keeps(self, failure: Failure) -> bool:
        """With events selected, only failures in their folders (or in no event's folder)."""
        return self.checks_file(failure.path)

    def checks_file(self, file: str) -> bool:
        """Whether failures located in `file` are looked for."""
        path = PurePosixPath(file)
        in_event = path.parent.parent.name == "events"
        return not self.events or not in_event or path.parent.name in self.events

    def describe(self) -> str | None:
        """What was selected, for the report; None when everything was."""
        parts = []
        if self.patterns:
            parts.append(f"checks {', '.join(self.patterns)}")
        if self.events:
            parts.append(f"events {', '.join(self.events)}")
        return "; ".join(parts) or None


EVERYTHING = Selection()
