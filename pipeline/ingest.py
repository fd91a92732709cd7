"""Ingest: every event folder under raw/ parsed into typed Arrow tables, written as Parquet.

Events are parsed in chunks, on every core when there are enough of them, and each chunk's
Arrow tables are appended to the Parquet files as they arrive: the corpus is never held as
Python objects. With a previous build's manifest, unchanged events are copied from its Parquet
instead of being parsed again (an incremental build gives the same tables as a full one).
"""

from __future__ import annotations

import functools
import gc
import multiprocessing
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from core.errors import PipelineError, SourceError
from core.model import EVENT_TABLES, SHARED_TABLES, TABLES, TABLES_BY_NAME, to_arrow
from core.rows import WaiverRow
from pipeline.derive.columnar import EventFiles, chunk_tables
from pipeline.manifest import (
    IngestPlan,
    Manifest,
    registry_digest,
    registry_files,
)
from pipeline.read.folder import event_digest, event_stamp, read_event
from pipeline.read.infobox import same_event_key
from pipeline.read.reference_files import reference_names
from pipeline.read.waivers import load_waivers
from pipeline.resolve.reference import References, load_references
from pipeline.resolve.registry import Registry, load_registry

PARQUET_OPTIONS = {"compression": "zstd"}
CHUNK_EVENTS = 200
PARALLEL_FROM = 2 * CHUNK_EVENTS  # below this, starting workers costs more than it saves
# An incremental build merges two tables at once (two cores), holding both in memory: while the
# current build's event tables take up to this much Parquet (about 20,000 events, 0.5 GB in
# Arrow); above it one at a time, so that a large warehouse's memory stays as it was.
MERGE_THREADS = 2
PARALLEL_MERGE_UP_TO = 32 * 2**20  # bytes


def shown(path: Path) -> str:
    """A path as messages and source_file columns show it: as given, with forward slashes."""
    return path.as_posix()


@dataclass
class Chunk:
    """Parsed events: one Arrow table per event-level table, and each event's content hash."""

    tables: dict[str, pa.Table]
    digests: dict[str, str]
    stamps: dict[str, str]
    row_read: int = 0  # events read row by row: the columnar reader declined their chunk


def parse_chunk(registry: Registry, folders: list[Path]) -> Chunk:
    """Parse a run of event folders."""
    rows: dict[str, list[tuple[object, ...]]] = {name: [] for name in EVENT_TABLES}
    digests, stamps = {}, {}
    events: list[EventFiles] = []
    for folder in folders:
        stamp = event_stamp(folder)  # before reading: a later write changes the stamp
        try:
            page, toml = read_event(folder, shown(folder))
        except PipelineError:
            chunk_tables(events, registry)  # an earlier event's problem is reported first
            raise
        digests[folder.name] = event_digest(page, toml)
        if stamp is not None:
            stamps[folder.name] = stamp
        events.append(EventFiles(folder.name, shown(folder), page, toml))
    parsed = chunk_tables(events, registry)
    for event in parsed.tables:
        for name in EVENT_TABLES:
            rows[name].extend(getattr(event, name))
    tables = {name: to_arrow(TABLES_BY_NAME[name], rows[name]) for name in EVENT_TABLES}
    return Chunk(tables, digests, stamps, parsed.row_read)


def _start_worker() -> None:
    """A parsing worker makes hundreds of thousands of short-lived row tuples and no reference
    cycles worth collecting: the inherited objects are frozen out of the cyclic collector and
    it runs 50x less often (measured: 16% of the parse's wall time at 10,000 events)."""
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


def _chunks(registry: Registry, folders: list[Path], workers: int) -> Iterator[Chunk]:
    """Parsed chunks in event order: in worker processes when it pays, else here."""
    batches = [folders[i : i + CHUNK_EVENTS] for i in range(0, len(folders), CHUNK_EVENTS)]
    parse = functools.partial(parse_chunk, registry)
    if workers < 2 or len(folders) < PARALLEL_FROM:
        yield from map(parse, batches)
        return
    # fork: workers inherit the imported modules instead of importing them again; the registry
    # travels with each batch (a few hundred kB, against seconds of parsing).
    with multiprocessing.get_context("fork").Pool(workers, initializer=_start_worker) as pool:
        yield from pool.imap(parse, batches)


@dataclass(frozen=True)
class Ingested:
    """What ingest wrote: rows per table, the manifest, and which events it parsed."""

    rows: dict[str, int]
    manifest: Manifest
    parsed: int
    reused: int
    parquet_seconds: float
    parsed_events: set[str]
    row_read: int = 0  # parsed events read row by row (the columnar reader declined them)
    # Tables whose rows the incremental build found unchanged, their files copied from the
    # previous build's (an edit that changed no row of theirs, such as a venue's spelling).
    copied: frozenset[str] = frozenset()


class _Writers:
    """One ParquetWriter per table, fed chunk by chunk; chunks are gathered into row groups of
    about ROW_GROUP rows, since many small writes cost more than the rows (timed)."""

    ROW_GROUP = 250_000

    def __init__(self, folder: Path) -> None:
        self.seconds = 0.0
        self.lock = threading.Lock()
        self.pending: dict[str, list[pa.Table]] = {spec.name: [] for spec in TABLES}
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.writers = {
            spec.name: pq.ParquetWriter(
                folder / f"{spec.name}.parquet", spec.schema, **PARQUET_OPTIONS
            )
            for spec in TABLES
        }
        self.rows = dict.fromkeys(self.writers, 0)
        self.copied: set[str] = set()  # tables whose previous file was kept: see `copy`

    def write(self, name: str, table: pa.Table) -> None:
        self.rows[name] += table.num_rows
        if table.num_rows:
            self.pending[name].append(table)
        if sum(part.num_rows for part in self.pending[name]) >= self.ROW_GROUP:
            self.flush(name)

    def flush(self, name: str) -> None:
        started = time.perf_counter()
        if self.pending[name]:
            self.writers[name].write_table(pa.concat_tables(self.pending[name]))
            self.pending[name] = []
        with self.lock:  # tables may be flushed from two threads at once (see _merge)
            self.seconds += time.perf_counter() - started

    def copy(self, name: str, source: Path, rows: int) -> None:
        """The table's file as a copy of `source`, which holds exactly its rows (nothing of it
        written, nor pending)."""
        started = time.perf_counter()
        writer = self.writers.pop(name)
        writer.close()
        shutil.copyfile(source, self.folder / f"{name}.parquet")
        self.rows[name] = rows
        with self.lock:  # tables may be copied from two threads at once (see _merge)
            self.copied.add(name)
            self.seconds += time.perf_counter() - started

    def close(self) -> None:
        for name in self.writers:
            self.flush(name)
        started = time.perf_counter()
        for writer in self.writers.values():
            writer.close()
        self.seconds += time.perf_counter() - started


def _check_unique_events(events: pa.Table, seen: dict[tuple[str, str], str]) -> None:
    """Two pages for one event (same event name and Games) are an input error."""
    for event in events.select(
        ["event_name", "competition", "title", "source_file", "source_line"]
    ).to_pylist():
        key = same_event_key(event["event_name"], event["competition"])
        if key in seen:
            raise SourceError(
                event["source_file"],
                event["source_line"],
                f"one page per event ({seen[key]} has this one)",
                event["title"],
            )
        seen[key] = event["source_file"]


def _reusable(
    previous: tuple[Manifest, Path] | None,
    manifest: Manifest,
    folders: list[Path],
    digests: Mapping[str, str],
) -> dict[str, str]:
    """The events whose rows the previous build holds for exactly these bytes (and this code
    and registry), with their hashes: copied, not parsed again."""
    if previous is None or not previous[0].compatible(manifest):
        return {}
    known, reusable = previous[0].events, {}
    for folder in folders:
        digest = digests.get(folder.name) or event_digest(*read_event(folder, shown(folder)))
        if known.get(folder.name) == digest:
            reusable[folder.name] = digest
    return reusable


def _write_shared(
    writers: _Writers, registry: Registry, waivers: list[WaiverRow], references: References
) -> None:
    """The tables of no one event: the registry's, the waivers and the references."""
    shared: dict[str, Sequence[tuple[object, ...]]] = {
        "nations": registry.nations,
        "athletes": registry.athletes,
        "athlete_aliases": registry.aliases,
        "nationalities": registry.nationalities,
        "waivers": waivers,
        "reference_events": references.events,
        "reference_podiums": references.podiums,
        "reference_medals": references.medals,
    }
    assert set(shared) == set(SHARED_TABLES)
    for name, table_rows in shared.items():
        writers.write(name, to_arrow(TABLES_BY_NAME[name], list(table_rows)))


def ingest_raw(
    raw: Path,
    parquet: Path,
    plan: IngestPlan | None = None,
    on_events: Callable[[int], None] = lambda _: None,
    workers: int | None = None,
) -> Ingested:
    """Parse raw/ into parquet/ as planned: every event, or with a previous build, its
    unchanged events copied from it."""
    plan = IngestPlan.full(raw) if plan is None else plan
    folders, previous = plan.folders, plan.previous
    files = registry_files(raw)  # read once: the bytes parsed are the bytes hashed
    registry = load_registry(raw / "registry", shown(raw / "registry"), files=files)
    waivers = load_waivers(raw, shown(raw), files)
    references = load_references(
        ((raw / name, shown(raw / name)) for name in reference_names(raw)), registry, files
    )
    manifest = Manifest(raw.as_posix(), registry_digest(raw, files), {}, plan.code)
    reusable = _reusable(previous, manifest, folders, plan.digests)
    writers = _Writers(parquet)
    try:
        _write_shared(writers, registry, waivers, references)
        to_parse = [folder for folder in folders if folder.name not in reusable]
        parsed: list[Chunk] = []
        seen: dict[tuple[str, str], str] = {}
        row_read = 0
        for chunk in _chunks(registry, to_parse, workers or os.cpu_count() or 1):
            _check_unique_events(chunk.tables["events"], seen)
            row_read += chunk.row_read
            manifest.events.update(chunk.digests)
            manifest.stamps.update(chunk.stamps)
            on_events(len(chunk.digests))
            if reusable:
                parsed.append(chunk)  # merged in event order below
            else:
                for name in EVENT_TABLES:
                    writers.write(name, chunk.tables[name])
        if reusable:
            assert previous is not None
            order = [folder.name for folder in folders]
            edited_only = set(order) == set(previous[0].events)  # none added, none removed
            _merge(previous[1], order, reusable, parsed, writers, edited_only)
            manifest.events.update(reusable)
            manifest.stamps.update(
                (name, plan.stamps[name]) for name in reusable if name in plan.stamps
            )
            on_events(len(reusable))
    finally:
        writers.close()
    return Ingested(
        rows=writers.rows,
        manifest=manifest,
        parsed=len(to_parse),
        reused=len(reusable),
        parquet_seconds=writers.seconds,
        parsed_events={folder.name for folder in to_parse},
        row_read=row_read,
        copied=frozenset(writers.copied),
    )


def build_tables(raw: Path, workers: int = 1) -> dict[str, pa.Table]:
    """Every table of raw/ in memory (for tests and small corpora), through the same ingest."""
    with tempfile.TemporaryDirectory() as scratch:
        ingest_raw(raw, Path(scratch), workers=workers)
        return {spec.name: pq.read_table(Path(scratch) / f"{spec.name}.parquet") for spec in TABLES}


def _event_runs(table: pa.Table) -> dict[str, tuple[int, int]]:
    """event_id -> (first row, end row) of a table whose rows are grouped by event."""
    if not table.num_rows:
        return {}
    # One array first: run ends of a chunked column would restart at every row group.
    runs = pc.run_end_encode(table["event_id"].combine_chunks())
    ends = runs.run_ends.to_pylist()
    return {
        event: (0 if index == 0 else ends[index - 1], end)
        for index, (event, end) in enumerate(zip(runs.values.to_pylist(), ends, strict=True))
    }


def _merge(
    old_parquet: Path,
    order: list[str],
    reusable: dict[str, str],
    parsed: list[Chunk],
    writers: _Writers,
    edited_only: bool,
) -> None:
    """Unchanged events' rows from the previous build plus the re-parsed ones, in event order,
    two tables at a time (up to PARALLEL_MERGE_UP_TO): Arrow reads, encodes and writes them
    without the interpreter lock. The merge's wall time counts as the build's Parquet time.
    `edited_only`: the build has exactly the previous build's events (some re-parsed)."""
    merge = functools.partial(
        _merge_table, old_parquet, order, reusable, parsed, writers, edited_only
    )
    before, started = writers.seconds, time.perf_counter()
    size = sum((old_parquet / f"{name}.parquet").stat().st_size for name in EVENT_TABLES)
    threads = MERGE_THREADS if size <= PARALLEL_MERGE_UP_TO else 1
    with ThreadPoolExecutor(max_workers=threads) as pool:
        for _ in pool.map(merge, EVENT_TABLES):  # the first table's error first, as in turn
            pass
    writers.seconds = before + time.perf_counter() - started


def _same_rows(path: Path, new: pa.Table | None, events: list[str]) -> bool:
    """Whether the table at `path` holds exactly the rows `new` for `events`, in that order.
    Only the row groups that may hold them are read: those whose event_id statistics span one
    of them (`filters=` would do the same through pyarrow.dataset, a quarter-second import)."""
    file = pq.ParquetFile(path)
    column = file.schema_arrow.get_field_index("event_id")
    groups = []
    for index in range(file.metadata.num_row_groups):
        stats = file.metadata.row_group(index).column(column).statistics
        if stats is None or not stats.has_min_max:
            groups.append(index)
        elif any(stats.min <= event <= stats.max for event in events):
            groups.append(index)
    old = file.read_row_groups(groups) if groups else file.schema_arrow.empty_table()
    old = old.filter(pc.is_in(old["event_id"], pa.array(events, pa.string())))
    if new is None:
        return not old.num_rows
    return bool(old.equals(new))


def _merge_table(
    old_parquet: Path,
    order: list[str],
    reusable: dict[str, str],
    parsed: list[Chunk],
    writers: _Writers,
    edited_only: bool,
    name: str,
) -> None:
    """One table's merge, written out; or, when its rows are the previous build's, a copy of
    its file. Rows are cut into slices (zero-copy) rather than sorted: a run of unchanged
    events is one slice of the old table, a re-parsed event its new rows."""
    path = old_parquet / f"{name}.parquet"
    new = pa.concat_tables([chunk.tables[name] for chunk in parsed]) if parsed else None
    if edited_only and _same_rows(path, new, [e for chunk in parsed for e in chunk.digests]):
        writers.copy(name, path, pq.ParquetFile(path).metadata.num_rows)
        return
    old = pq.read_table(path)
    old_runs, new_runs = _event_runs(old), _event_runs(new) if new is not None else {}
    pieces: list[pa.Table] = []
    start = end = -1  # the pending slice of consecutive unchanged events in `old`
    for event in order:
        if event in reusable and event in old_runs and old_runs[event][0] == end:
            end = old_runs[event][1]
            continue
        if end > start:
            pieces.append(old.slice(start, end - start))
        start = end = -1
        if event in reusable and event in old_runs:
            start, end = old_runs[event]
        elif new is not None and event in new_runs:
            first, last = new_runs[event]
            pieces.append(new.slice(first, last - first))
    if end > start:
        pieces.append(old.slice(start, end - start))
    merged = pa.concat_tables(pieces) if pieces else old.schema.empty_table()
    if name == "events":
        _check_unique_events(merged, seen={})  # across old and re-parsed events alike
    writers.write(name, merged)
    writers.flush(name)  # here, in this table's thread, not in `close`
