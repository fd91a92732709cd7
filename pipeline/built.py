"""What `pipeline run` did, as its stages report it: the build written and its checks, and the
callbacks through which it tells progress and notices."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.publish import DUCKDB_FILE

if TYPE_CHECKING:
    from checks.outcome import CheckRun


@dataclass(frozen=True)
class Built:
    """A build a stage wrote: where, how many events, rows per table, seconds per stage."""

    build: Path
    events: int
    rows: dict[str, int]
    timings: dict[str, float] = field(default_factory=dict)
    parsed: int = 0  # events parsed from their pages
    reused: int = 0  # events copied unchanged from the previous build
    row_read: int = 0  # parsed events the columnar reader declined: read row by row


@dataclass(frozen=True)
class Checked:
    """What `run` did: the build, its checks, and where it went if they failed."""

    built: Built
    checks: CheckRun
    rejected: Path | None  # warehouse/rejected/ when an error-level check failed
    up_to_date: bool = False  # nothing changed: the published build and its report, reused

    @property
    def published(self) -> bool:
        return self.rejected is None

    @property
    def database(self) -> Path:
        """The DuckDB file that was checked: in the published build, or in rejected/."""
        return (self.rejected or self.built.build) / DUCKDB_FILE


# (step, count): a step starts (parse, load, check) with its number of events, or `parsed`
# reports that many more events parsed.
Progress = Callable[[str, int], None]


def no_progress(step: str, count: int) -> None:
    """The default progress: nothing shown."""


# What the user should know about a run that is neither progress nor its outcome (a published
# build found changed, say): one line, shown as a warning.
Notice = Callable[[str], None]


def no_notice(message: str) -> None:
    """The default notice: nothing shown."""
