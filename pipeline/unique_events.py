"""One page per event: two pages of the same event (name and competition) are refused, the later
in event order, as a build's parsed chunks arrive."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pyarrow as pa

from core.errors import SourceError
from pipeline.read.infobox import same_event_key

# What tells an event and names its page, of the events table's columns.
IDENTITY = ["event_id", "event_name", "competition", "title", "source_file", "source_line"]
Identity = dict[str, Any]


def identities(events: pa.Table) -> list[Identity]:
    """The identity of each events row, in row order."""
    rows: list[Identity] = events.select(IDENTITY).to_pylist()
    return rows


class UniqueEvents:
    """Judges a build's events once each, in event order (`order`, the folder names): the
    parsed ones as their chunks arrive, and the unchanged ones an incremental build copies
    (`unchanged`, their identities in the current build) where they stand between them. The
    page refused, and the message, are a full build's. A duplicate is refused as its chunk
    arrives, before later chunks are parsed; which of a duplicate and another page's problem
    is reported first then depends on how the pages fall into chunks, which differs between a
    full build (every page) and an incremental one (the changed pages)."""

    def __init__(self, order: list[str], unchanged: Mapping[str, Identity]) -> None:
        self.order, self.unchanged = order, unchanged
        self.next = 0  # the first event of `order` not judged yet
        self.seen: dict[tuple[str, str], str] = {}

    def parsed(self, events: pa.Table) -> None:
        """A chunk's events, and every unchanged event before its last."""
        parsed = {row["event_id"]: row for row in identities(events)}
        while parsed and self.next < len(self.order):
            self._judge_next(parsed)
        assert not parsed, f"events outside the build's order: {sorted(parsed)}"

    def rest(self) -> None:
        """The unchanged events after the last parsed one."""
        while self.next < len(self.order):
            self._judge_next({})

    def _judge_next(self, parsed: dict[str, Identity]) -> None:
        """Judge the next event of `order`: a parsed one (taken out of `parsed`) or an
        unchanged one; one that is neither (a reused event without a row) has nothing to judge."""
        event = self.order[self.next]
        self.next += 1
        row = parsed.pop(event, None) or self.unchanged.get(event)
        if row is not None:
            self._judge(row)

    def _judge(self, event: Identity) -> None:
        key = same_event_key(event["event_name"], event["competition"])
        if key in self.seen:
            raise SourceError(
                event["source_file"],
                event["source_line"],
                f"one page per event ({self.seen[key]} has this one)",
                event["title"],
            )
        self.seen[key] = event["source_file"]
