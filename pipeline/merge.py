"""An incremental build's Parquet: each event table of the current build with the re-parsed
events' rows in place of their old ones, in event order; or, when a table's rows are the
current build's, a copy of its file."""

from __future__ import annotations

import bisect
import functools
import time
from collections.abc import Collection
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from core.model import EVENT_TABLES
from pipeline.parquet_writers import ParquetWriters

# An incremental build merges two tables at once (two cores), holding both in memory: while the
# current build's event tables take up to this much Parquet (about 20,000 events, 0.5 GB in
# Arrow); above it one at a time, so that a large warehouse's memory stays as it was.
MERGE_THREADS = 2
PARALLEL_MERGE_UP_TO = 32 * 2**20  # bytes


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


@dataclass(frozen=True)
class Merge:
    """An incremental build's tables: the current build's Parquet, the events in their order,
    those whose rows are copied from it, and the re-parsed events' rows of each event table."""

    old_parquet: Path
    order: list[str]
    reused: Collection[str]
    parsed_events: list[str]
    parsed_rows: dict[str, pa.Table]
    same: frozenset[str]  # the tables whose rows are the current build's: see `same_tables`
    replaced: list[str]  # the current build's events not reused: changed or removed, sorted

    @property
    def previous_build(self) -> Path:
        """The current build's folder, whose Parquet and database the new build reuses."""
        return self.old_parquet.parent


def merge_tables(merge: Merge, writers: ParquetWriters) -> None:
    """Every event table merged (or copied), two at a time (up to PARALLEL_MERGE_UP_TO): Arrow
    reads, encodes and writes them without the interpreter lock. The merge's wall time counts
    as the build's Parquet time."""
    before, started = writers.seconds, time.perf_counter()
    table = functools.partial(_merge_table, merge, writers)
    with ThreadPoolExecutor(max_workers=_threads(merge.old_parquet)) as pool:
        for _ in pool.map(table, EVENT_TABLES):  # the first table's error first, as in turn
            pass
    writers.seconds = before + time.perf_counter() - started


def _threads(old_parquet: Path) -> int:
    """Two tables at a time while the current build's event tables take up to
    PARALLEL_MERGE_UP_TO of Parquet, else one: what two tables take in memory."""
    size = sum((old_parquet / f"{name}.parquet").stat().st_size for name in EVENT_TABLES)
    return MERGE_THREADS if size <= PARALLEL_MERGE_UP_TO else 1


def same_tables(
    old_parquet: Path, parsed_events: list[str], parsed_rows: dict[str, pa.Table]
) -> frozenset[str]:
    """The event tables in which the re-parsed events' rows are exactly their rows in the
    current build's Parquet (an edit of a venue's spelling leaves all but the events and infobox
    tables so). Only for a build of exactly the current build's events: one added or removed
    changes every table it has rows in."""

    def same(name: str) -> bool:
        return _same_rows(old_parquet / f"{name}.parquet", parsed_rows.get(name), parsed_events)

    with ThreadPoolExecutor(max_workers=_threads(old_parquet)) as pool:
        found = pool.map(same, EVENT_TABLES)
        return frozenset(name for name, alike in zip(EVENT_TABLES, found, strict=True) if alike)


def _same_rows(path: Path, new: pa.Table | None, events: list[str]) -> bool:
    """Whether the table at `path` holds exactly the rows `new` for `events`, in that order.
    Only the row groups that may hold them are read: those whose event_id statistics span one
    of them (`filters=` would do the same through pyarrow.dataset, a quarter-second import).
    When that is more than two and more than half of them (edits all over the table), the
    answer is no without reading: the merge reads it all anyway, and most likely writes it."""
    file = pq.ParquetFile(path)
    column = file.schema_arrow.get_field_index("event_id")
    ordered = sorted(events)
    groups = []
    for index in range(file.metadata.num_row_groups):
        stats = file.metadata.row_group(index).column(column).statistics
        if stats is None or not stats.has_min_max:
            groups.append(index)
            continue
        first = bisect.bisect_left(ordered, stats.min)  # the first event not before the group
        if first < len(ordered) and ordered[first] <= stats.max:
            groups.append(index)
    if len(groups) > max(2, file.metadata.num_row_groups // 2):
        return False
    old = file.read_row_groups(groups) if groups else file.schema_arrow.empty_table()
    old = old.filter(pc.is_in(old["event_id"], pa.array(events, pa.string())))
    if new is None:
        return not old.num_rows
    return bool(old.equals(new))


def _merge_table(merge: Merge, writers: ParquetWriters, name: str) -> None:
    """One table's merge, written out; or, when its rows are the previous build's, a copy of
    its file."""
    path = merge.old_parquet / f"{name}.parquet"
    if name in merge.same:
        writers.copy(name, path, pq.ParquetFile(path).metadata.num_rows)
        return
    writers.write(name, _merged(merge, name))
    writers.flush(name)  # here, in this table's thread, not in `close`


def _merged(merge: Merge, name: str) -> pa.Table:
    """The current build's table with the re-parsed events' rows in place of theirs, in event
    order. Rows are cut into slices (zero-copy) rather than sorted: a run of unchanged events
    is one slice of the old table, a re-parsed event its new rows."""
    new = merge.parsed_rows.get(name)
    old = pq.ParquetFile(merge.old_parquet / f"{name}.parquet").read()  # not pyarrow.dataset
    old_runs, new_runs = _event_runs(old), _event_runs(new) if new is not None else {}
    reused = merge.reused
    pieces: list[pa.Table] = []
    start = end = -1  # the pending slice of consecutive unchanged events in `old`
    for event in merge.order:
        if event in reused and event in old_runs and old_runs[event][0] == end:
            end = old_runs[event][1]
            continue
        if end > start:
            pieces.append(old.slice(start, end - start))
        start = end = -1
        if event in reused and event in old_runs:
            start, end = old_runs[event]
        elif new is not None and event in new_runs:
            first, last = new_runs[event]
            pieces.append(new.slice(first, last - first))
    if end > start:
        pieces.append(old.slice(start, end - start))
    return pa.concat_tables(pieces) if pieces else old.schema.empty_table()
