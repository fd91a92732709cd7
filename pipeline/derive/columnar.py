"""Many events through the three layers at once, their results rows read as columns: the
columnar reader where it vouches for every row of the chunk, else the row reader, event by
event, which words every problem (and is the oracle the differential tests hold the columnar
reader to)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import NamedTuple

from core.errors import PipelineError
from pipeline.derive.event_rows import EventTables, derive_event
from pipeline.derive.from_raw import event_tables
from pipeline.read.event_page import PrintedEvent, read_event_files
from pipeline.read.problems import Problems
from pipeline.read.result_cell_columns import Unreadable
from pipeline.read.result_columns import (
    PendingPage,
    read_result_columns,
    read_rows_later,
)
from pipeline.resolve.event import resolve_event
from pipeline.resolve.registry import Registry


class EventFiles(NamedTuple):
    """An event's id, its folder as messages show it, and its page and event.toml bytes."""

    event_id: str
    shown_as: str
    page: bytes
    toml: bytes


class ChunkTables(NamedTuple):
    """A chunk's events' rows, and how many of its events were read row by row."""

    tables: list[EventTables]
    row_read: int  # all of the chunk's events when the columnar reader declined it, else 0


def chunk_tables(events: Sequence[EventFiles], registry: Registry) -> ChunkTables:
    """Every event's rows, in order; the first event with a problem raises it, as the row
    reader words it."""
    try:
        return ChunkTables(columnar_tables(events, registry), 0)
    except (Unreadable, PipelineError):
        return ChunkTables([event_tables(*event, registry) for event in events], len(events))


def columnar_tables(events: Sequence[EventFiles], registry: Registry) -> list[EventTables]:
    """Every event's rows with the results rows read as columns; Unreadable (or a
    PipelineError) if any event of the chunk has a problem, which this does not word."""
    pending: list[PendingPage] = []
    printed: list[PrintedEvent] = []
    for event in events:
        problems = Problems()
        printed.append(read_event_files(*event, problems, read_rows_later(pending)))
        if problems.found:
            raise Unreadable
    tables = []
    for unread, results in zip(printed, read_result_columns(pending), strict=True):
        read = replace(unread, results=results)
        problems = Problems()
        resolved = resolve_event(read, registry, problems)
        if problems.found:
            raise Unreadable
        tables.append(derive_event(read, resolved))
    return tables
