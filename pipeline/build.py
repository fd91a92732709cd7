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
    """The published build and its manifest, read before the writer lock is taken: its event
    folders' stamps spare the walk of raw/ their listings (a stamp vouches for itself, as it is
    found again or not), and `_decide` reads it again only if another build was published
    since."""

    build: Path
    manifest: Manifest


def _published(warehouse: Path) -> _Published | None:
    """The published build, if the warehouse's links are the pipeline's and its seal holds,
    and its manifest (a link of the user's is refused under the lock: nothing behind it is
    read here)."""
    if not warehouse.is_dir():
        return None
    try:
        check_entries(warehouse)
    except PipelineError:
        return None
    current = current_build(warehouse)
    if current is None or broken_seal(current) is not None:
        return None
    manifest = Manifest.load(current)
    return None if manifest is None else _Published(current, manifest)


def _previous(warehouse: Path) -> tuple[Manifest, Path] | None:
    """The current build's manifest and Parquet, when an incremental build can use them."""
    current = current_build(warehouse)
    if current is None or not (current / PARQUET_DIR).is_dir():
        return None
    manifest = Manifest.load(current)
    return None if manifest is None else (manifest, current / PARQUET_DIR)


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
    warehouse: Path,
    notice: Notice,
    code: str,
    warn_error: bool,
    read_before: _Published | None = None,
) -> _Decision:
    """Whether raw/ and the code are exactly what built the published build and none of its
    files changed since (then no parse, no load, no checks). `read_before`: its manifest as read
    before the writer lock, used if that build is still the published one."""
    from checks.saved import saved_report

    started = time.perf_counter()
    current = current_build(warehouse) if warehouse.is_dir() else None
    if current is None:
        return _Decision()
    tampered = broken_seal(current)  # a database gone too: nothing of the build is reused
    if tampered is not None:
        notice(
            f"the published build {current.name} changed after its checks ran ({tampered}): "
            "rebuilding it from raw/"
        )
        return _Decision(reusable=False)
    if read_before is not None and read_before.build == current:
        published: Manifest | None = read_before.manifest
    else:
        published = Manifest.load(current)
    report = saved_report(current)
    if published is None or report is None or not published.rows:
        return _Decision()
    # Files stamped as the published build saw them keep its hashes (its manifest is sealed).
    now = raw_manifest(raw, folders, code, known=published)
    if not published.describes(now):
        return _Decision(digests=now.events, stamps=now.stamps)
    if warn_error and replace(report, warn_error=True).failed:
        # Published with warnings, which now fail: rebuilt (from its rows) to be rejected.
        return _Decision(digests=now.events, stamps=now.stamps)
    timings = {"up-to-date check": time.perf_counter() - started}
    built = Built(current, len(folders), published.rows, timings, 0, len(folders))
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
    # stamped as the published build's walk found it (a full one stamps them all afresh).
    published = _published(warehouse) if incremental else None
    layout = walk_events(raw, clear_event_file, published.manifest.listed if published else {})
    folders = layout.folders
    with writing(warehouse):
        check_entries(warehouse)  # links of the user's would be read as the published build
        found = (
            _decide(raw, folders, warehouse, notice, code, warn_error, published)
            if incremental
            else _Decision(reusable=False)
        )
        if found.up_to_date is not None:
            clean_debris(warehouse)  # what a killed writer left, as every writer does
            discard_rejected(warehouse)  # the failure it held was fixed (by a revert, say)
            return found.up_to_date
        previous = _previous(warehouse) if found.reusable else None
        plan = IngestPlan(folders, code, previous, found.digests, found.stamps, layout.listed)
        return build_and_check(raw, warehouse, progress, plan, warn_error, notice)
