"""Making a build: parse raw/ and write its Parquet, load DuckDB and check it, then publish it
atomically, or, when an error-level check fails, keep it as rejected/. Only a checked build
ever becomes current: there is no stage that publishes without the checks.

An incremental build's Parquet (the merge of the re-parsed events into the current build's
tables) is written in a thread beside the load and the checks, which read only the database;
the build is kept or removed only once it is written."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.built import Built, Checked, Notice, Progress, no_notice
from pipeline.manifest import IngestPlan
from pipeline.publish import (
    DUCKDB_FILE,
    PARQUET_DIR,
    current_build,
    new_build,
    publish,
    reject,
)
from pipeline.seal import hash_ahead

if TYPE_CHECKING:
    from pipeline.ingest import Ingested, Parsed


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


@dataclass(frozen=True)
class _Building:
    """A build being made: its folder, its events parsed, its Parquet being written (an
    incremental build's merge runs beside the load and the checks, which read only the
    database), and each stage's seconds."""

    build: Path
    events: int
    parsed: Parsed
    writing: Future[Ingested]
    timings: dict[str, float]

    def written(self) -> Ingested:
        """The Parquet, complete (or the error that stopped it)."""
        return self.writing.result()


def _parse_into(
    raw: Path, build: Path, plan: IngestPlan, progress: Progress, beside: ThreadPoolExecutor
) -> _Building:
    """Parse raw/ as planned and start writing the build's Parquet beside (a full build's is
    written before this returns: its load reads it)."""
    from pipeline.ingest import parse_raw  # pyarrow and the parsers: only to build

    events = len(plan.folders)
    progress("parse", events)
    started = time.perf_counter()
    parsed = parse_raw(
        raw, build / PARQUET_DIR, plan, on_events=lambda count: progress("parsed", count)
    )
    writing = beside.submit(parsed.write)
    if parsed.merge is None:
        writing.result()
    # The Parquet's seconds are known once it is written: see _built_of.
    timings = {"parse": time.perf_counter() - started, "parquet": 0.0}
    return _Building(build, events, parsed, writing, timings)


def _load(building: _Building) -> bool:
    """The build's database: the previous build's with only the changed events' rows replaced
    (True), or loaded in full from the Parquet, once written, when there is none to reuse or
    its keys refuse a new row (the checks will say why)."""
    from pipeline.warehouse import load_duckdb, reuse_duckdb

    build, merge = building.build, building.parsed.merge
    if merge is not None:
        previous = merge.previous_build / DUCKDB_FILE
        rows = reuse_duckdb(
            previous, merge.parsed_rows, build / DUCKDB_FILE, merge.replaced, merge.same
        )
        if rows is not None:
            return True
    building.written()
    load_duckdb(build / PARQUET_DIR, build / DUCKDB_FILE)
    return False


def build_and_check(
    raw: Path,
    warehouse: Path,
    progress: Progress,
    plan: IngestPlan,
    warn_error: bool,
    notice: Notice = no_notice,
) -> Checked:
    """A new build, checked, then published or rejected (holding the writer lock)."""
    # The executor waits for the Parquet being written before the build is kept or removed.
    with _new_build(warehouse) as build, ThreadPoolExecutor(max_workers=1) as beside:
        building = _parse_into(raw, build, plan, progress, beside)
        progress("load", building.events)
        started = time.perf_counter()
        reused = _load(building)
        building.timings["load"] = time.perf_counter() - started
        return _check_and_publish(warehouse, building, reused, progress, warn_error, notice, beside)


def _check_and_publish(
    warehouse: Path,
    building: _Building,
    reused: bool,
    progress: Progress,
    warn_error: bool,
    notice: Notice,
    beside: ThreadPoolExecutor,
) -> Checked:
    """Check the loaded build, declare the constraints its checks proved, then publish it, or
    reject it when an error-level check failed (`beside` hashes its database for the seal)."""
    import duckdb

    from checks.carry import carried_failures, save_failures  # imports pandera
    from checks.runner import run_all
    from checks.saved import save_report
    from checks.stored import store_checks
    from pipeline.warehouse import (
        declare_constraints,
        load_duckdb,
        refusing_write_errors,
        remove_database,
    )

    build, parsed = building.build, building.parsed
    database = build / DUCKDB_FILE
    progress("check", building.events)
    started = time.perf_counter()
    carried = None
    if parsed.merge is not None:
        carried = carried_failures(parsed.merge.previous_build, set(parsed.merge.reused))
    scope = set(parsed.parsed_events) if carried is not None else None
    checks = replace(run_all(database, scope, carried), warn_error=warn_error)
    manifest = parsed.manifest
    if checks.failed and reused:  # its predecessor's constraints: a rejected build declares none
        remove_database(database)
        building.written()
        load_duckdb(build / PARQUET_DIR, database)
    # One connection and one checkpoint for both writes (each opening costs 20-30 ms); a full
    # disk is bad input here as in the load.
    with refusing_write_errors(database), duckdb.connect(str(database)) as con:
        if not checks.failed:  # the checks proved the keys and NOT NULLs: declared, not assumed
            manifest.undeclared = declare_constraints(con)
        store_checks(checks, con)
        con.execute("CHECKPOINT")
    for statement in manifest.undeclared:  # only a waived failure lets such data pass
        notice(f"a constraint the data breaks is not declared: {statement}")
    # The database is final: hashed for the seal beside the reports (0.07 s at 10,000 events).
    hashed = {} if checks.failed else {DUCKDB_FILE: beside.submit(hash_ahead, database)}
    save_failures(checks, build)
    save_report(checks, build)
    building.timings["checks"] = time.perf_counter() - started
    built = _built_of(building)
    manifest.save(build)  # with every stage's timing and its rows
    if checks.failed:
        return Checked(built, checks, reject(warehouse, build))
    publish(warehouse, build, hashed)
    return Checked(built, checks, None)


def _built_of(building: _Building) -> Built:
    """What the build wrote, once its Parquet is complete; its manifest told the same."""
    ingested = building.written()
    timings = building.timings
    timings["parquet"] = ingested.parquet_seconds
    if building.parsed.merge is None:  # written within the parse's time: counted apart
        timings["parse"] -= ingested.parquet_seconds
    ingested.manifest.timings = timings
    ingested.manifest.rows = ingested.rows
    return Built(
        building.build,
        building.events,
        ingested.rows,
        timings,
        ingested.parsed,
        ingested.reused,
        ingested.row_read,
    )
