"""The stages behind the CLI: ingest, load, or both, each ending in an atomic publish."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.errors import InputError
from pipeline.ingest import build_tables, discover_events, write_parquet
from pipeline.publish import current_build, new_build, publish, reject, writer_lock
from pipeline.warehouse import DUCKDB_FILE, PARQUET_DIR, load_duckdb

if TYPE_CHECKING:
    from checks.registry import CheckRun


@dataclass
class BuildReport:
    """What a build produced: rows per table, its checks, and where it went."""

    build: Path
    events: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    checks: CheckRun | None = None
    rejected: Path | None = None


Progress = Callable[[str, int], None]  # (step, total events) -> None; steps: parse, write, load


@contextmanager
def _new_build(warehouse: Path) -> Iterator[Path]:
    """A build folder that is removed unless the block publishes it."""
    build = new_build(warehouse)
    try:
        yield build
    except BaseException:
        shutil.rmtree(build, ignore_errors=True)
        raise


def _ingest_into(raw: Path, build: Path, progress: Progress) -> BuildReport:
    events = len(discover_events(raw))
    progress("parse", events)
    tables = build_tables(raw, on_event=lambda _: progress("parsed", events))
    progress("write", events)
    write_parquet(tables, build / PARQUET_DIR)
    return BuildReport(build, events, {name: table.num_rows for name, table in tables.items()})


def ingest(raw: Path, warehouse: Path, progress: Progress = lambda *_: None) -> BuildReport:
    """Parse raw/ and publish a build holding only the Parquet tables."""
    with writer_lock(warehouse), _new_build(warehouse) as build:
        report = _ingest_into(raw, build, progress)
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
            progress("load", 0)
            rows = load_duckdb(build / PARQUET_DIR, build / DUCKDB_FILE)
            publish(warehouse, build)
    return BuildReport(build, 0, rows)


def run(raw: Path, warehouse: Path, progress: Progress = lambda *_: None) -> BuildReport:
    """Parse, write Parquet, load DuckDB and check a fresh build; publish it only if every
    error-level check passes, else keep it as warehouse/rejected/."""
    from checks.registry import run_all  # pandera is imported only when checks run

    with writer_lock(warehouse), _new_build(warehouse) as build:
        report = _ingest_into(raw, build, progress)
        progress("load", report.events)
        load_duckdb(build / PARQUET_DIR, build / DUCKDB_FILE)
        progress("check", report.events)
        report.checks = run_all(build / DUCKDB_FILE)
        if report.checks.failed:
            report.rejected = reject(warehouse, build)
        else:
            publish(warehouse, build)
    return report
