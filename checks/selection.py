"""Running part of the checks, as dbt's --select does: check ids or families by pattern, and the
events whose failures are wanted."""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase
from functools import lru_cache
from pathlib import PurePosixPath

from checks.framework.check import Check, Failure
from core.errors import InputError, excerpt


@lru_cache(maxsize=65_536)  # a run's failures point into a few thousand files at most
def event_folder(file: str) -> str | None:
    """The event a raw file belongs to (`…/events/<event>/page.txt`), or None for a file in
    no event's folder (the registry, waivers.toml)."""
    path = PurePosixPath(file)
    return path.parent.name if path.parent.parent.name == "events" else None


def _matches(check: Check, pattern: str) -> bool:
    """A bare family name matches the whole family; another pattern the id (`tallies.*`)."""
    return check.family == pattern or fnmatchcase(check.id, pattern)


@dataclass(frozen=True)
class Selection:
    """Patterns of check ids (`records`, `tallies.*`, `ranks.no-gaps`) and event ids; empty
    means every check, or every event."""

    patterns: tuple[str, ...] = ()
    events: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()  # --exclude: patterns of checks not to run

    def selects(self, check: Check) -> bool:
        """A bare family name selects the whole family; other patterns match the id. An
        excluded check is never selected."""
        chosen = not self.patterns or any(_matches(check, p) for p in self.patterns)
        return chosen and not any(_matches(check, p) for p in self.excluded)

    def keeps(self, failure: Failure) -> bool:
        """With events selected, only failures in their folders (or in no event's folder)."""
        return self.checks_file(failure.path)

    def checks_file(self, file: str) -> bool:
        """Whether failures located in `file` are looked for."""
        if not self.events:
            return True
        event = event_folder(file)
        return event is None or event in self.events

    def refusals(self, checks: tuple[Check, ...], events: list[str]) -> list[InputError]:
        """A pattern that selects no check, or an event the warehouse lacks, is a typo."""
        families = ", ".join(sorted({check.family for check in checks}))
        refused = [
            InputError(
                option,
                f"expected a check id, a family ({families}) or a pattern that matches one, "
                f"found {excerpt(pattern)}",
            )
            for option, patterns in (("--select", self.patterns), ("--exclude", self.excluded))
            for pattern in patterns
            if not any(_matches(check, pattern) for check in checks)
        ]
        if self.excluded and not any(self.selects(check) for check in checks):
            refused.append(
                InputError("--exclude", "expected some check left to run, found all excluded")
            )
        known = set(events)
        refused += [
            InputError(
                "--event",
                f"expected an event of the warehouse ({excerpt(', '.join(sorted(known)))}), "
                f"found {excerpt(event)}",
            )
            for event in self.events
            if event not in known
        ]
        return refused

    def describe(self) -> str | None:
        """What was selected, for the report; None when everything was."""
        parts = []
        if self.patterns:
            parts.append(f"checks {', '.join(self.patterns)}")
        if self.excluded:
            parts.append(f"excluding {', '.join(self.excluded)}")
        if self.events:
            parts.append(f"events {', '.join(self.events)}")
        return "; ".join(parts) or None


EVERYTHING = Selection()
