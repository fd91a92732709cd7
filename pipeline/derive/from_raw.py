"""One event through the three layers: read its files, resolve who they name, derive its rows.
Problems of rows are gathered over read and resolve and reported together, in file order."""

from __future__ import annotations

from pathlib import Path

from pipeline.derive.event_rows import EventTables, derive_event
from pipeline.read.event_page import read_event_files
from pipeline.read.folder import read_event
from pipeline.read.problems import Problems
from pipeline.resolve.event import resolve_event
from pipeline.resolve.registry import Registry


def event_tables(
    event_id: str, shown_as: str, page_bytes: bytes, toml_bytes: bytes, registry: Registry
) -> EventTables:
    """An event's rows from its page and event.toml, given as bytes."""
    problems = Problems()
    printed = read_event_files(event_id, shown_as, page_bytes, toml_bytes, problems)
    resolved = resolve_event(printed, registry, problems)
    problems.raise_found()
    return derive_event(printed, resolved)


def folder_event_tables(folder: Path, shown_as: str, registry: Registry) -> EventTables:
    """An event's rows from raw/events/<event_id>/ (page.txt and event.toml)."""
    return event_tables(folder.name, shown_as, *read_event(folder, shown_as), registry)
