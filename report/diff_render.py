"""`pipeline diff` as text, Markdown (a pull-request comment) or JSON: per table the rows
added, removed and changed, and per event what the changed results did to its standing
("Rusty Smith 1:27.435 → 1:27.436 in Final A; classification unchanged")."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from core.escape import markdown, markdown_code, terminal
from core.timefmt import format_time
from report.warehouse_diff import RowChange, TableDiff, WarehouseDiff

ARROW = "→"


def shown(column: str, value: object) -> str:
    """A value as a person reads it: times as m:ss.fff, null as `null`."""
    if value is None:
        return "null"
    if column.endswith("_ms") and isinstance(value, int):
        return format_time(value, 3)
    return str(value)


def _where(row: RowChange) -> str:
    return f"{row.source_file}:{row.source_line}" if row.source_file else "(no source line)"


def _key_text(row: RowChange) -> str:
    return ", ".join(shown(column, value) for column, value in row.key.items())


def _named(column: str) -> str:
    """A column as a change names it: `time` for time_ms (shown as a time)."""
    return column.removesuffix("_ms")


def _change_text(row: RowChange) -> str:
    if row.kind != "changed":
        return row.kind
    return "; ".join(
        f"{_named(column)} {shown(column, old)} {ARROW} {shown(column, new)}"
        for column, (old, new) in row.changes.items()
    )


@dataclass(frozen=True)
class EventChange:
    """What changed in one event's results and standing, as sentences."""

    event_id: str
    results: list[str]
    classification: list[str]  # empty: the classification is unchanged

    def sentence(self) -> str:
        if self.results and self.results[-1].startswith("event "):
            return self.results[-1]
        standing = (
            "classification unchanged"
            if not self.classification
            else "classification: " + ", ".join(self.classification)
        )
        return "; ".join([*self.results, standing])


def _result_sentence(row: RowChange, diff: WarehouseDiff) -> str:
    name = str(row.row.get("name_as_printed") or diff.names.get(str(row.key["entrant_id"]), ""))
    race = diff.labels.get(str(row.key["race_id"]), str(row.key["race_id"]))
    if row.kind == "added":
        return f"{name} added to {race}"
    if row.kind == "removed":
        return f"{name} removed from {race}"
    parts = []
    for column, (old, new) in row.changes.items():
        if column == "place_as_printed" and row.changes.get("rank") == (old, new):
            continue  # the same move, printed
        if column == "time_ms":
            parts.append(f"{shown(column, old)} {ARROW} {shown(column, new)}")
        else:
            parts.append(f"{_named(column)} {shown(column, old)} {ARROW} {shown(column, new)}")
    return f"{name} {', '.join(parts)} in {race}"


def _standing_sentence(row: RowChange, diff: WarehouseDiff) -> str:
    name = diff.names.get(str(row.key["entrant_id"]), str(row.key["entrant_id"]))
    if row.kind == "added":
        return f"{name} now {shown('position', row.row.get('position'))}"
    if row.kind == "removed":
        return f"{name} no longer classified"
    if "position" in row.changes:
        old, new = row.changes["position"]
        return f"{name} {shown('position', old)} {ARROW} {shown('position', new)}"
    return f"{name} " + ", ".join(
        f"{_named(column)} {shown(column, old)} {ARROW} {shown(column, new)}"
        for column, (old, new) in row.changes.items()
    )


def _whole_events(diff: WarehouseDiff) -> dict[str, str]:
    """Events one side has and the other lacks: event id -> added or removed."""
    events = diff.table("events")
    return {
        str(row.key["event_id"]): row.kind
        for row in (events.rows if events else [])
        if row.kind != "changed"
    }


def event_changes(diff: WarehouseDiff) -> list[EventChange]:
    """Each event whose results or classification changed, in event order; an event added or
    removed whole is one sentence, not one per result."""
    results, standings = diff.table("results"), diff.table("classification")
    whole = _whole_events(diff)
    by_event: dict[str, EventChange] = {}
    counted: dict[str, int] = {}

    def of(row: RowChange) -> EventChange:
        event = str(row.row.get("event_id"))
        return by_event.setdefault(event, EventChange(event, [], []))

    for row in results.rows if results else []:
        event = str(row.row.get("event_id"))
        if event in whole:
            counted[event] = counted.get(event, 0) + 1
            of(row)
            continue
        of(row).results.append(_result_sentence(row, diff))
    for row in standings.rows if standings else []:
        if str(row.row.get("event_id")) not in whole:
            of(row).classification.append(_standing_sentence(row, diff))
    for event, kind in whole.items():
        change = by_event.setdefault(event, EventChange(event, [], []))
        change.results.append(f"event {kind} ({counted.get(event, 0)} results)")
    return [by_event[event] for event in sorted(by_event)]


def _counts(table: TableDiff) -> str:
    parts = [f"{table.count(kind)} {kind}" for kind in ("added", "removed", "changed")]
    if table.columns_added:
        parts.append(f"columns added: {', '.join(table.columns_added)}")
    if table.columns_removed:
        parts.append(f"columns removed: {', '.join(table.columns_removed)}")
    return ", ".join(parts)


def _changed_tables(diff: WarehouseDiff) -> list[TableDiff]:
    return [t for t in diff.tables if t.rows or t.columns_added or t.columns_removed]


def to_text(diff: WarehouseDiff, limit: int) -> str:
    """Plain lines for a terminal or a log (every raw value escaped)."""
    out = [f"pipeline diff: {terminal(diff.base)} {ARROW} {terminal(diff.new)}"]
    tables = _changed_tables(diff)
    if not tables:
        return "\n".join([*out, "no changes: both warehouses hold the same rows"]) + "\n"
    for table in tables:
        out.append(f"{table.table}: {_counts(table)}")
        for row in table.rows[:limit]:
            out.append(
                f"  {terminal(_where(row))}: {row.kind} ({terminal(_key_text(row))})"
                + (f": {terminal(_change_text(row))}" if row.kind == "changed" else "")
            )
        if len(table.rows) > limit:
            out.append(f"  … and {len(table.rows) - limit} more (--limit, or --format json)")
    events = event_changes(diff)
    if events:
        out.append("standings:")
        out += [f"  {terminal(e.event_id)}: {terminal(e.sentence())}" for e in events]
    return "\n".join(out) + "\n"


def to_markdown(diff: WarehouseDiff, limit: int) -> str:
    """A pull-request comment: the counts, the standings, then each table's rows folded."""
    out = [
        "### Warehouse diff",
        "",
        f"{markdown_code(diff.base)} {ARROW} {markdown_code(diff.new)}",
        "",
    ]
    tables = _changed_tables(diff)
    if not tables:
        return "\n".join([*out, "No changes: both warehouses hold the same rows."]) + "\n"
    out += ["| table | added | removed | changed |", "|---|--:|--:|--:|"]
    out += [
        f"| {t.table} | {t.count('added')} | {t.count('removed')} | {t.count('changed')} |"
        for t in tables
    ]
    events = event_changes(diff)
    if events:
        out += ["", "**Standings**", ""]
        out += [f"- {markdown_code(e.event_id)}: {markdown(e.sentence())}" for e in events]
    for table in tables:
        out += ["", f"<details><summary>{table.table}: {markdown(_counts(table))}</summary>", ""]
        out += ["| change | key | what changed | file:line |", "|---|---|---|---|"]
        for row in table.rows[:limit]:
            cells = (row.kind, _key_text(row), _change_text(row), _where(row))
            out.append("| " + " | ".join(markdown(cell) for cell in cells) + " |")
        if len(table.rows) > limit:
            out.append(f"\n… and {len(table.rows) - limit} more.")
        out += ["", "</details>"]
    return "\n".join(out) + "\n"


def _row_json(row: RowChange) -> dict[str, object]:
    return {
        "kind": row.kind,
        "key": row.key,
        "changes": {c: {"old": old, "new": new} for c, (old, new) in row.changes.items()},
        "source_file": row.source_file,
        "source_line": row.source_line,
    }


def to_json(diff: WarehouseDiff, limit: int) -> str:
    """Every change (no limit), for programs."""
    del limit
    document = {
        "base": diff.base,
        "new": diff.new,
        "changed": diff.changed,
        "tables": [
            {
                "table": t.table,
                "key": list(t.key),
                "added": t.count("added"),
                "removed": t.count("removed"),
                "changed": t.count("changed"),
                "columns_added": t.columns_added,
                "columns_removed": t.columns_removed,
                "rows": [_row_json(row) for row in t.rows],
            }
            for t in diff.tables
        ],
        "events": [
            {"event_id": e.event_id, "results": e.results, "classification": e.classification}
            for e in event_changes(diff)
        ],
    }
    return json.dumps(document, indent=1, ensure_ascii=False, default=str) + "\n"


RENDERERS: dict[str, Callable[[WarehouseDiff, int], str]] = {
    "text": to_text,
    "markdown": to_markdown,
    "json": to_json,
}
