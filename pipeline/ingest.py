"""Ingest: every event folder under raw/ parsed into typed Arrow tables, written as Parquet.

Events are parsed in chunks, on every core when there are enough of them, and each chunk's
Arrow tables are appended to the Parquet files as they arrive: the corpus is never held as
Python objects. With a previous build's manifest, unchanged events are copied from its Parquet
instead of being parsed again (an incremental build gives the same tables as a full one).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from core.errors import PipelineError
from core.model import EVENT_TABLES, SHARED_TABLES, TABLES, TABLES_BY_NAME, to_arrow
from core.rows import WaiverRow
from pipeline.derive.columnar import EventFiles, chunk_tables
from pipeline.manifest import (
    IngestPlan,
    Manifest,
    registry_digest,
    registry_files,
)
from pipeline.merge import Merge, merge_tables, same_tables
from pipeline.parquet_writers import ParquetWriters
from pipeline.parse_workers import parsed_in_workers
from pipeline.read.folder import event_digest, event_stamp, read_event
from pipeline.read.reference_files import reference_names
from pipeline.read.stamps import stamps_vouch
from pipeline.read.waivers import load_waivers
from pipeline.resolve.reference import References, load_references
from pipeline.resolve.registry import Registry, load_registry
from pipeline.unique_events import IDENTITY, Identity, UniqueEvents, identities

CHUNK_EVENTS = 200
PARALLEL_FROM = 2 * CHUNK_EVENTS  # below this, starting workers costs more than it saves


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


def _chunks(registry: Registry, folders: list[Path], workers: int, build: Path) -> Iterator[Chunk]:
    """Parsed chunks in event order: in worker processes when it pays (their results passed
    through files in the build's folder), else here."""
    batches = [folders[i : i + CHUNK_EVENTS] for i in range(0, len(folders), CHUNK_EVENTS)]
    if workers < 2 or len(folders) < PARALLEL_FROM:
        yield from (parse_chunk(registry, batch) for batch in batches)
        return
    yield from parsed_in_workers(parse_chunk, registry, batches, workers, build)


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
    writers: ParquetWriters, registry: Registry, waivers: list[WaiverRow], references: References
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


@dataclass
class Parsed:
    """An ingest's events parsed, and the shared tables and a full build's rows handed to the
    writers; what is left is to `write` them out, and an incremental build's merge (which may
    run beside the load and the checks: they need only `merge.parsed_rows`)."""

    writers: ParquetWriters
    manifest: Manifest
    parsed_events: list[str]
    reused: int
    row_read: int
    merge: Merge | None  # an incremental build's, still to run

    def write(self) -> Ingested:
        """Merge (if incremental) and close every Parquet file."""
        try:
            if self.merge is not None:
                merge_tables(self.merge, self.writers)
        finally:
            self.writers.close()
        return Ingested(
            rows=self.writers.rows,
            manifest=self.manifest,
            parsed=len(self.parsed_events),
            reused=self.reused,
            parquet_seconds=self.writers.seconds,
            parsed_events=set(self.parsed_events),
            row_read=self.row_read,
            copied=frozenset(self.writers.copied),
        )


def ingest_raw(
    raw: Path,
    parquet: Path,
    plan: IngestPlan | None = None,
    on_events: Callable[[int], None] = lambda _: None,
    workers: int | None = None,
) -> Ingested:
    """Parse raw/ into parquet/ as planned: every event, or with a previous build, its
    unchanged events copied from it."""
    return parse_raw(raw, parquet, plan, on_events, workers).write()


def parse_raw(
    raw: Path,
    parquet: Path,
    plan: IngestPlan | None = None,
    on_events: Callable[[int], None] = lambda _: None,
    workers: int | None = None,
) -> Parsed:
    """Parse raw/ as planned into writers of parquet/ (which `Parsed.write` closes; an error
    here closes them)."""
    plan = IngestPlan.full(raw) if plan is None else plan
    folders, previous = plan.folders, plan.previous
    files = registry_files(raw)  # read once: the bytes parsed are the bytes hashed
    registry = load_registry(raw / "registry", shown(raw / "registry"), files=files)
    waivers = load_waivers(raw, shown(raw), files)
    references = load_references(
        ((raw / name, shown(raw / name)) for name in reference_names(raw)), registry, files
    )
    manifest = Manifest(
        raw.as_posix(), registry_digest(raw, files), {}, plan.code, listed=dict(plan.listed)
    )
    reusable = _reusable(previous, manifest, folders, plan.digests)
    vouch = stamps_vouch(raw)
    writers = ParquetWriters(parquet)
    try:
        _write_shared(writers, registry, waivers, references)
        to_parse = [folder for folder in folders if folder.name not in reusable]
        parsed: list[Chunk] = []
        unique = _unique_events(previous, folders, reusable)
        row_read = 0
        chunks = _chunks(registry, to_parse, workers or os.cpu_count() or 1, parquet.parent)
        for chunk in chunks:
            unique.parsed(chunk.tables["events"])
            row_read += chunk.row_read
            manifest.events.update(chunk.digests)
            if vouch:  # else no stamp is kept: every rerun reads and hashes the files
                manifest.stamps.update(chunk.stamps)
            on_events(len(chunk.digests))
            if reusable:
                parsed.append(chunk)  # merged in event order by `write`
            else:
                for name in EVENT_TABLES:
                    writers.write(name, chunk.tables[name])
        unique.rest()
        merge = None
        if reusable:
            assert previous is not None
            merge = _merge_of(previous, folders, reusable, parsed)
            manifest.events.update(reusable)
            manifest.stamps.update(
                (name, plan.stamps[name]) for name in reusable if name in plan.stamps
            )
            on_events(len(reusable))
    except BaseException:
        writers.close()
        raise
    names = [folder.name for folder in to_parse]
    return Parsed(writers, manifest, names, len(reusable), row_read, merge)


def _unique_events(
    previous: tuple[Manifest, Path] | None, folders: list[Path], reusable: dict[str, str]
) -> UniqueEvents:
    """The judge of one page per event in this build's event order, with the identities of
    the unchanged events from the current build's events table (0.02 s at 10,000 events)."""
    unchanged: dict[str, Identity] = {}
    if reusable:
        assert previous is not None
        # ParquetFile, not read_table: that imports pyarrow.dataset (0.25-0.5 s) on the build's path
        table = pq.ParquetFile(previous[1] / "events.parquet").read(columns=IDENTITY)
        rows = identities(table)
        unchanged = {row["event_id"]: row for row in rows if row["event_id"] in reusable}
    return UniqueEvents([folder.name for folder in folders], unchanged)


def _merge_of(
    previous: tuple[Manifest, Path],
    folders: list[Path],
    reusable: dict[str, str],
    parsed: list[Chunk],
) -> Merge:
    """What merging the re-parsed chunks (some, or none) into the previous build's tables
    takes."""
    order = [folder.name for folder in folders]
    rows = (
        {name: pa.concat_tables([chunk.tables[name] for chunk in parsed]) for name in EVENT_TABLES}
        if parsed
        else {}
    )
    events = [event for chunk in parsed for event in chunk.digests]
    edited_only = set(order) == set(previous[0].events)  # none added, none removed
    same = same_tables(previous[1], events, rows) if edited_only else frozenset()
    replaced = sorted(previous[0].events.keys() - reusable.keys())
    return Merge(previous[1], order, reusable.keys(), events, rows, same, replaced)


def build_tables(raw: Path, workers: int = 1) -> dict[str, pa.Table]:
    """Every table of raw/ in memory (for tests and small corpora), through the same ingest."""
    with tempfile.TemporaryDirectory() as scratch:
        ingest_raw(raw, Path(scratch), workers=workers)
        return {spec.name: pq.read_table(Path(scratch) / f"{spec.name}.parquet") for spec in TABLES}
