"""The events raw/ already holds, by what makes two pages one event: a page of one of them
filed under another id would be refused by `pipeline run` (one page per event), so `pipeline
add` refuses it first, naming the event it already is."""

from __future__ import annotations

from pathlib import Path

from core.errors import InputError, PipelineError
from core.rows import EventRow
from pipeline.read.infobox import parse_event_facts, same_event_key
from pipeline.read.lines import decode_page, read_file
from pipeline.read.page import split_page

EventKey = tuple[str, str]


def event_key(event: EventRow) -> EventKey:
    """The event a page is, as `pipeline run` judges one page per event."""
    return same_event_key(event.event_name, event.competition)


def _filed_key(page: Path) -> EventKey | None:
    """The event key of a filed page (its infobox may stand anywhere, as for `pipeline run`);
    None if it cannot be read: `pipeline run` reports that page itself."""
    shown = page.as_posix()
    try:
        data = read_file(page, shown, "a page file")
        return event_key(parse_event_facts(split_page(shown, decode_page(shown, data)), "")[0])
    except PipelineError:
        return None


def filed_events(folders: list[Path]) -> dict[EventKey, list[str]]:
    """The event ids each event key is filed under, for the event folders of raw/."""
    filed: dict[EventKey, list[str]] = {}
    for folder in folders:
        key = _filed_key(folder / "page.txt")
        if key is not None:
            filed.setdefault(key, []).append(folder.name)
    return filed


def refiled(
    given: str, event_id: str, key: EventKey, filed: dict[EventKey, list[str]], events_shown: str
) -> InputError | None:
    """The refusal of a page whose event raw/ holds under another id, or None."""
    other = next((filed_id for filed_id in filed.get(key, []) if filed_id != event_id), None)
    if other is None:
        return None
    return InputError(
        given,
        f"expected an event {events_shown}/ does not hold yet, found the event of "
        f"{events_shown}/{other}/page.txt; to replace that page: --id {other} --force",
    )
