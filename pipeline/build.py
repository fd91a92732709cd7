"""The stages behind `pipeline run`: parse, write Parquet, load DuckDB and check a new build, then
publish it atomically, or, when an error-level check fails, keep it as rejected/. Only a checked
build ever becomes current: there is no stage that publishes without the checks."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.add.staging import clear_event_file, reading_raw
from pipeline.manifest import IngestPlan, Manifest, code_digest, raw_manifest
from pipeline.ownership import writing
from pipeline.publish import (
    DUCKDB_FILE,
    PARQUET_DIR,
    check_entries,
    clean_debris,
    current_build,
    discard_rejected,
    new_build,
    publish,
    reject,
)
from pipeline.read.folder import discover_events
from pipeline.seal import broken_seal

if TYPE_CHECKING:
    from checks.outcome import CheckRun
    from pipeline.ingest import Ingested


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


def _no_progress(step: str, count: int) -> None:
    """The default progress: nothing shown."""


# What the user should know about a run that is neither progress nor its outcome (a published
# build found changed, say): one line, shown as a warning.
Notice = Callable[[str], None]


def _no_notice(message: str) -> None:
    """The default notice: nothing shown."""


@contextmanager
def _new_build(warehouse: Path) -> Iterator[Path]:
    """A build folder that is removed unless the block publishes it. Once `current` points at
    it, nothing takes it back: an error or a Ctrl-C in what publish does after the swap (old
    builds removed) leaves it the published build."""
    build = new_build(warehouse)
    try:
        yield build
    except BaseException:
        current = current_build(warehouse)
        if current is None or current.name != build.name:
            shutil.rmtree(build, ignore_errors=True)
        raise


def _previous(warehouse: Path) -> tuple[Manifest, Path] | None:
    """The current build's manifest and Parquet, when an incremental build can use them."""
    current = current_build(warehouse)
    if current is None or not (current / PARQUET_DIR).is_dir():
        return None
    manifest = Manifest.load(current)
    return None if manifest is None else (manifest, current / PARQUET_DIR)


@dataclass(frozen=True)
class _Ingest:
    """An ingest into a build, with what an incremental check run needs to know."""

    built: Built
    ingested: Ingested
    reused_from: Path | None  # the previous build whose unchanged events were copied


def _ingest_into(raw: Path, build: Path, plan: IngestPlan, progress: Progress) -> _Ingest:
    from pipeline.ingest import ingest_raw  # pyarrow and the parsers: only to build

    events = len(plan.folders)
    progress("parse", events)
    started = time.perf_counter()
    ingested = ingest_raw(
        raw, build / PARQUET_DIR, plan, on_events=lambda count: progress("parsed", count)
    )
    seconds = time.perf_counter() - started
    timings = {"parse": seconds - ingested.parquet_seconds, "parquet": ingested.parquet_seconds}
    # The manifest shares the timings dict: later stages add theirs before it is saved again.
    ingested.manifest.timings = timings
    ingested.manifest.save(build)
    built = Built(
        build, events, ingested.rows, timings, ingested.parsed, ingested.reused, ingested.row_read
    )
    previous = plan.previous
    reused_from = previous[1].parent if previous is not None and ingested.reused else None
    return _Ingest(built, ingested, reused_from)


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
    raw: Path, folders: list[Path], warehouse: Path, notice: Notice, code: str, warn_error: bool
) -> _Decision:
    """Whether raw/ and the code are exactly what built the published build and none of its
    files changed since (then no parse, no load, no checks)."""
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
    published, report = Manifest.load(current), saved_report(current)
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
    progress: Progress = _no_progress,
    incremental: bool = True,
    notice: Notice = _no_notice,
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
    # event folders cleared in the same walk).
    folders = discover_events(raw, debris=clear_event_file)
    with writing(warehouse):
        check_entries(warehouse)  # links of the user's would be read as the published build
        found = (
            _decide(raw, folders, warehouse, notice, code, warn_error)
            if incremental
            else _Decision(reusable=False)
        )
        if found.up_to_date is not None:
            clean_debris(warehouse)  # what a killed writer left, as every writer does
            discard_rejected(warehouse)  # the failure it held was fixed (by a revert, say)
            return found.up_to_date
        previous = _previous(warehouse) if found.reusable else None
        plan = IngestPlan(folders, code, previous, found.digests, found.stamps)
        return _build_and_check(raw, warehouse, progress, plan, warn_error, notice)


def _load(build: Path, done: _Ingest, unchanged: set[str]) -> bool:
    """The build's database: the previous build's with only the changed events' rows replaced
    (True), or loaded in full when there is none to reuse or its keys refuse a new row (the
    checks will say why)."""
    from pipeline.warehouse import load_duckdb, reuse_duckdb

    if done.reused_from is not None:
        previous = done.reused_from / DUCKDB_FILE
        parsed, same = done.ingested.parsed_events, done.ingested.copied
        rows = reuse_duckdb(
            previous, build / PARQUET_DIR, build / DUCKDB_FILE, unchanged, parsed, same
        )
        if rows is not None:
            return True
    load_duckdb(build / PARQUET_DIR, build / DUCKDB_FILE)
    return False


def _build_and_check(
    raw: Path,
    warehouse: Path,
    progress: Progress,
    plan: IngestPlan,
    warn_error: bool,
    notice: Notice = _no_notice,
) -> Checked:
    """A new build, checked, then published or rejected (holding the writer lock)."""
    from checks.carry import carried_failures, save_failures  # imports pandera
    from checks.runner import run_all
    from checks.saved import save_report
    from checks.stored import store_checks
    from pipeline.warehouse import declare_constraints, load_duckdb, remove_database

    with _new_build(warehouse) as build:
        done = _ingest_into(raw, build, plan, progress)
        built, manifest = done.built, done.ingested.manifest
        progress("load", built.events)
        started = time.perf_counter()
        unchanged = set(manifest.events) - done.ingested.parsed_events
        reused = _load(build, done, unchanged)
        built.timings["load"] = time.perf_counter() - started
        progress("check", built.events)
        started = time.perf_counter()
        carried = None
        if done.reused_from is not None:
            carried = carried_failures(done.reused_from, unchanged)
        scope = done.ingested.parsed_events if carried is not None else None
        checks = replace(run_all(build / DUCKDB_FILE, scope, carried or ()), warn_error=warn_error)
        if not checks.failed:  # the checks proved the keys and NOT NULLs: declared, not assumed
            manifest.undeclared = declare_constraints(build / DUCKDB_FILE)
            for statement in manifest.undeclared:  # only a waived failure lets such data pass
                notice(f"a constraint the data breaks is not declared: {statement}")
        elif reused:  # its predecessor's constraints: a rejected build declares none
            remove_database(build / DUCKDB_FILE)
            load_duckdb(build / PARQUET_DIR, build / DUCKDB_FILE)
        store_checks(checks, build / DUCKDB_FILE)
        save_failures(checks, build)
        save_report(checks, build)
        built.timings["checks"] = time.perf_counter() - started
        manifest.rows = built.rows
        manifest.save(build)  # now with every stage's timing and its rows
        if checks.failed:
            return Checked(built, checks, reject(warehouse, build))
        publish(warehouse, build)
    return Checked(built, checks, None)
