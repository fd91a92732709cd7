"""The stages behind the CLI: ingest, load, or both, each ending in an atomic publish."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.errors import InputError
from pipeline.ingest import discover_events, ingest_raw
from pipeline.manifest import MANIFEST_FILE, Manifest
from pipeline.publish import current_build, new_build, publish, reject, writer_lock
from pipeline.warehouse import DUCKDB_FILE, PARQUET_DIR, load_duckdb

if TYPE_CHECKING:
    from checks.outcome import CheckRun


@dataclass
class BuildReport:
    """What a build produced: rows per table, its checks, timings, and where it went."""

    build: Path
    events: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    checks: CheckRun | None = None
    rejected: Path | None = None
    timings: dict[str, float] = field(default_factory=dict)
    parsed: int = 0
    reused: int = 0
    manifest: Manifest | None = None
    parsed_events: set[str] = field(default_factory=set)
    reused_from: Path | None = None


Progress = Callable[[str, int], None]  # (step, events): parse/load/check, or parsed N


@contextmanager
def _new_build(warehouse: Path) -> Iterator[Path]:
    """A build folder that is removed unless the block publishes it."""
    build = new_build(warehouse)
    try:
        yield build
    except BaseException:
        shutil.rmtree(build, ignore_errors=True)
        raise


def _previous(warehouse: Path) -> tuple[Manifest, Path] | None:
    """The current build's manifest and Parquet, when an incremental build can use them."""
    current = current_build(warehouse)
    if current is None or not (current / PARQUET_DIR).is_dir():
        return None
    manifest = Manifest.load(current)
    return None if manifest is None else (manifest, current / PARQUET_DIR)


def _ingest_into(
    raw: Path, build: Path, warehouse: Path, progress: Progress, incremental: bool
) -> BuildReport:
    events = len(discover_events(raw))
    progress("parse", events)
    started = time.perf_counter()
    previous = _previous(warehouse) if incremental else None
    ingested = ingest_raw(
        raw,
        build / PARQUET_DIR,
        previous,
        on_events=lambda count: progress("parsed", count),
    )
    seconds = time.perf_counter() - started
    report = BuildReport(
        build,
        events,
        ingested.rows,
        parsed=ingested.parsed,
        reused=ingested.reused,
        parsed_events=ingested.parsed_events,
    )
    if previous is not None and ingested.reused:
        report.reused_from = previous[1].parent
    report.timings = {
        "parse": seconds - ingested.parquet_seconds,
        "parquet": ingested.parquet_seconds,
    }
    assert ingested.manifest is not None
    report.manifest = ingested.manifest
    report.manifest.timings = report.timings  # the same dict: later stages add to it
    report.manifest.save(build)
    return report


def ingest(
    raw: Path, warehouse: Path, progress: Progress = lambda *_: None, incremental: bool = True
) -> BuildReport:
    """Parse raw/ and publish a build holding only the Parquet tables."""
    with writer_lock(warehouse), _new_build(warehouse) as build:
        report = _ingest_into(raw, build, warehouse, progress, incremental)
        publish(warehouse, build)
    return report


def load(warehouse: Path, progress: Progress = lambda *_: None) -> BuildReport:
    """Load the current build's Parquet into a new DuckDB file, published as a new build."""
    with writer_lock(warehouse):
        current = current_build(warehouse)
        if current is None or not (current / PARQUET_DIR).is_dir():
            raise InputError(
                warehouse.as_posix(), "expected Parquet tables from `pipeline ingest`, found none"
            )
        with _new_build(warehouse) as build:
            (build / PARQUET_DIR).mkdir()
            for path in (current / PARQUET_DIR).iterdir():
                os.link(path, build / PARQUET_DIR / path.name)  # files are never modified
            if (current / MANIFEST_FILE).is_file():
                shutil.copyfile(current / MANIFEST_FILE, build / MANIFEST_FILE)
            progress("load", 0)
            rows = load_duckdb(build / PARQUET_DIR, build / DUCKDB_FILE)
            publish(warehouse, build)
    return BuildReport(build, 0, rows)


def run(
    raw: Path, warehouse: Path, progress: Progress = lambda *_: None, incremental: bool = True
) -> BuildReport:
    """Parse, write Parquet, load DuckDB and check a fresh build; publish it only if every
    error-level check passes, else keep it as warehouse/rejected/.

    Incremental by default: events whose page and event.toml are unchanged since the current
    build are copied from it, not parsed again."""
    from checks.carry import carried_failures, save_failures  # imports pandera
    from checks.runner import run_all  # imports pandera

    with writer_lock(warehouse), _new_build(warehouse) as build:
        report = _ingest_into(raw, build, warehouse, progress, incremental)
        progress("load", report.events)
        started = time.perf_counter()
        load_duckdb(build / PARQUET_DIR, build / DUCKDB_FILE)
        report.timings["load"] = time.perf_counter() - started
        progress("check", report.events)
        started = time.perf_counter()
        # Incremental: unchanged events keep the failures the last build found in them.
        carried = None
        if report.reused_from is not None and report.manifest is not None:
            unchanged = set(report.manifest.events) - report.parsed_events
            carried = carried_failures(report.reused_from, unchanged)
        scope = report.parsed_events if carried is not None else None
        report.checks = run_all(build / DUCKDB_FILE, scope, carried or ())
        save_failures(report.checks, build)
        report.timings["checks"] = time.perf_counter() - started
        if report.manifest is not None:
            report.manifest.save(build)  # now with every stage's timing
        if report.checks.failed:
            report.rejected = reject(warehouse, build)
        else:
            publish(warehouse, build)
    return report
