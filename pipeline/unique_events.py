"""One page per event: two pages of the same event (name and competition) are refused."""

from __future__ import annotations

import pyarrow as pa

from core.errors import SourceError
from pipeline.read.infobox import same_event_key


def check_unique_events(events: pa.Table, seen: dict[tuple[str, str], str]) -> None:
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
