"""Ingest: every event folder under raw/ parsed into typed Arrow tables, written as Parquet."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.errors import InputError, SourceError
from pipeline.model import TABLES, to_arrow
from pipeline.parse.event import EventTables, parse_event
from pipeline.registry import Registry, load_registry
from pipeline.waiverfile import load_waivers

PARQUET_OPTIONS = {"compression": "zstd"}


def shown(path: Path) -> str:
    """A path as messages and source_file columns show it: as given, with forward slashes."""
    return path.as_posix()


def discover_events(raw: Path) -> list[Path]:
    """Event folders under raw/events/, sorted; an empty or missing raw/ is an input error."""
    if not raw.is_dir():
        raise InputError(shown(raw), "expected a raw folder with events/ and registry/, found none")
    events = raw / "events"
    folders = sorted(p for p in events.iterdir() if p.is_dir()) if events.is_dir() else []
    if not folders:
        raise InputError(shown(events), "expected one folder per event, found none")
    return folders


def _registry_tables(registry: Registry) -> dict[str, list[tuple[object, ...]]]:
    return {
        "nations": list(registry.nations),
        "athletes": list(registry.athletes),
        "athlete_aliases": list(registry.aliases),
    }


def build_tables(
    raw: Path, on_event: Callable[[str], None] = lambda _: None
) -> dict[str, pa.Table]:
    """Parse the registry and every event; return one Arrow table per warehouse table."""
    registry = load_registry(raw / "registry", shown(raw / "registry"))
    collected: dict[str, list[tuple[object, ...]]] = _registry_tables(registry)
    collected["waivers"] = list(load_waivers(raw, shown(raw)))
    for spec_field in fields(EventTables):
        collected[spec_field.name] = []
    seen: dict[tuple[str, str], str] = {}
    for folder in discover_events(raw):
        tables = parse_event(folder, shown(folder), registry)
        event = tables.events[0]
        key = (event.event_name.casefold(), event.games)
        if key in seen:
            raise SourceError(
                event.source_file,
                event.source_line,
                f"one page per event ({seen[key]} has this one)",
                event.title,
            )
        seen[key] = event.source_file
        for spec_field in fields(EventTables):
            collected[spec_field.name].extend(getattr(tables, spec_field.name))
        on_event(folder.name)
    return {spec.name: to_arrow(spec, collected[spec.name]) for spec in TABLES}


def write_parquet(tables: dict[str, pa.Table], folder: Path) -> None:
    """Write each table to folder/<name>.parquet, zstd-compressed."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        pq.write_table(table, folder / f"{name}.parquet", **PARQUET_OPTIONS)
