"""`pipeline run`: decide from raw/, the code and the published build whether anything changed,
and if so make a new build (`pipeline.stages`), incrementally where the published build's rows
can be reused."""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from core.errors import PipelineError
from pipeline.add.staging import clear_event_file, reading_raw
from pipeline.built import Built, Checked, Notice, Progress, no_notice, no_progress
from pipeline.manifest import IngestPlan, Manifest, code_digest, raw_manifest
from pipeline.ownership import writing
from pipeline.publish import (
    PARQUET_DIR,
    check_entries,
    clean_debris,
    current_build,
    discard_rejected,
)
from pipeline.read.folder import walk_events
from pipeline.seal import broken_seal
from pipeline.stages import build_and_check

__all__ = ["Built", "Checked", "Notice", "Progress", "run"]


@dataclass(frozen=True)
class _Published:
    """The published build, its seal checked under the writer lock: what changed in it since
    (None if nothing), and its manifest (None if it changed or has no readable one), whose
    event folders' stamps spare the walk of raw/ their listings."""

    build: Path
    tampered: str | None
    manifest: Manifest | None

    @property
    def listed(self) -> dict[str, str]:
        return {} if self.manifest is None else self.manifest.listed

    def previous(self) -> tuple[Manifest, Path] | None:
        """Its manifest and Parquet, when an incremental build can use them."""
        parquet = self.build / PARQUET_DIR
        if self.manifest is None or not parquet.is_dir():
            return None
        return self.manifest, parquet


def _hinted(warehouse: Path) -> tuple[Path, Manifest] | None:
    """The published build and its manifest as read before the writer lock, unchecked: the
    walk of raw/ takes its folder stamps as hints, which `_published` then proves (None if
    anything stands in the way: no warehouse, a link of the user's, a build gone meanwhile)."""
    try:
        if not warehouse.is_dir():
            return None
        check_entries(warehouse)  # a link of the user's: nothing behind it is read
        current = current_build(warehouse)
    except (PipelineError, OSError):
        return None
    if current is None:
        return None
    manifest = Manifest.load(current)
    return None if manifest is None else (current, manifest)


def _published(warehouse: Path, hinted: tuple[Path, Manifest] | None) -> _Published | None:
    """The build `current` points at (the warehouse's links known to be the pipeline's), its
    seal checked, its manifest the one read before the lock if it is still that build's."""
    current = current_build(warehouse)
    if current is None:
        return None
    tampered = broken_seal(current)  # a database gone too: nothing of the build is reused
    if tampered is not None:
        return _Published(current, tampered, None)
    if hinted is not None and hinted[0] == current:
        return _Published(current, None, hinted[1])
    return _Published(current, None, Manifest.load(current))


@dataclass(frozen=True)
class _Decision:
    """What an incremental run found before building: the published build and its report if
    nothing changed, the event hashes it computed, and whether the current build's rows may be
    reused (not when a file of it changed after it was published)."""

    up_to_date: Checked | None = None
    digests: dict[str, str] = field(default_factory=dict)
    stamps: dict[str, str] = field(default_factory=dict)
    reusable: bool = True


def _decide(
    raw: Path,
    folders: list[Path],
    published: _Published | None,
    notice: Notice,
    code: str,
    warn_error: bool,
    started: float,
) -> _Decision:
    """Whether raw/ and the code are exactly what built the published build and none of its
    files changed since (then no parse, no load, no checks)."""
    from checks.saved import saved_report

    if published is None:
        return _Decision()
    current = published.build
    if published.tampered is not None:
        notice(
            f"the published build {current.name} changed after its checks ran "
            f"({published.tampered}): rebuilding it from raw/"
        )
        return _Decision(reusable=False)
    manifest, report = published.manifest, saved_report(current)
    if manifest is None or report is None or not manifest.rows:
        return _Decision()
    # Files stamped as the published build saw them keep its hashes (its manifest is sealed).
    now = raw_manifest(raw, folders, code, known=manifest)
    if not manifest.describes(now):
        return _Decision(digests=now.events, stamps=now.stamps)
    if warn_error and replace(report, warn_error=True).failed:
        # Published with warnings, which now fail: rebuilt (from its rows) to be rejected.
        return _Decision(digests=now.events, stamps=now.stamps)
    timings = {"up-to-date check": time.perf_counter() - started}
    built = Built(current, len(folders), manifest.rows, timings, 0, len(folders))
    return _Decision(Checked(built, report, None, up_to_date=True), now.events, now.stamps)


def run(
    raw: Path,
    warehouse: Path,
    progress: Progress = no_progress,
    incremental: bool = True,
    notice: Notice = no_notice,
    warn_error: bool = False,
) -> Checked:
    """Parse, write Parquet, load DuckDB and check a fresh build; publish it only if every
    error-level check passes (and, with `warn_error`, every warning too), else keep it as
    warehouse/rejected/.

    Incremental by default: events whose page and event.toml are unchanged since the current
    build are copied from it, not parsed again, and keep the failures found in them."""
    # Once a run, before any check module is imported: its bytecode is made to match its
    # source (or the run refused), so that the digest the manifests record is of the code
    # that runs.
    code = code_digest()
    with reading_raw(raw):  # no add writes raw/ meanwhile; a killed add's debris cleared
        return _run_reading(raw, warehouse, progress, incremental, notice, code, warn_error)


def _run_reading(
    raw: Path,
    warehouse: Path,
    progress: Progress,
    incremental: bool,
    notice: Notice,
    code: str,
    warn_error: bool = False,
) -> Checked:
    """`run`, holding raw/ for reading."""
    # raw/'s layout is checked before the warehouse is touched (and a killed add's files in
    # event folders cleared in the same walk); an incremental run's walk lists no event folder
    # stamped as the published build's walk found it, a hint proved under the lock.
    hinted = _hinted(warehouse) if incremental else None
    layout = walk_events(raw, clear_event_file, hinted[1].listed if hinted else {})
    with writing(warehouse):
        check_entries(warehouse)  # links of the user's would be read as the published build
        started = time.perf_counter()
        published = _published(warehouse, hinted) if incremental else None
        if hinted is not None and (published is None or published.manifest is not hinted[1]):
            # The hints were not the sealed published build's: walked again without them.
            layout = walk_events(raw, clear_event_file, published.listed if published else {})
        folders = layout.folders
        found = (
            _decide(raw, folders, published, notice, code, warn_error, started)
            if incremental
            else _Decision(reusable=False)
        )
        if found.up_to_date is not None:
            clean_debris(warehouse)  # what a killed writer left, as every writer does
            discard_rejected(warehouse)  # the failure it held was fixed (by a revert, say)
            return found.up_to_date
        previous = published.previous() if published is not None and found.reusable else None
        plan = IngestPlan(folders, code, previous, found.digests, found.stamps, layout.listed)
        return build_and_check(raw, warehouse, progress, plan, warn_error, notice)
