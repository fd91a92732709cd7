"""A page given to `pipeline add`: its bytes, its parts, its event facts and the event id they
give it."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from core.errors import InputError, excerpt
from core.rows import EventRow
from pipeline.read.event_page import tables_by_section
from pipeline.read.infobox import parse_event_facts
from pipeline.read.lines import Line, decode_page, read_file
from pipeline.read.page import InfoboxField, Page, split_page
from pipeline.read.rawtree import SLUG
from pipeline.read.tables import Table
from pipeline.resolve.reference import event_id_for

SLUG_RULE = "ASCII letters, digits, '-', '_' and '.', a letter or digit first"


@dataclass(frozen=True)
class SourcePage:
    """A page as read from where the user keeps it; problems point at that path."""

    path: str
    data: bytes
    lines: list[Line]
    page: Page
    event: EventRow
    fields: dict[str, InfoboxField]
    tables: dict[str, list[Table]]


def read_source(path: Path) -> SourcePage:
    """Read and split a page, and type its infobox's event facts."""
    shown = path.as_posix()
    data = read_file(path, shown, "a page file")
    return source_from_bytes(shown, data)


def source_from_bytes(shown: str, data: bytes) -> SourcePage:
    """A page given as bytes, shown as `shown` in messages."""
    lines = decode_page(shown, data)
    page = split_page(shown, lines)
    event, fields = parse_event_facts(page, "")
    return SourcePage(shown, data, lines, page, event, fields, tables_by_section(page))


def derive_event_id(event: EventRow) -> str:
    """`2006-men-1000m`, `2010-men-5000m-relay`, `2022-mixed-2000m-relay`: Games year, gender,
    distance, and relay; off the Olympics the competition's name leads, so that stages and
    editions stay apart: `2099-2100-isu-world-tour-stage-2-men-500m`."""
    lead = str(event.games_year) if event.games_year is not None else _slug(event)
    return event_id_for(lead, event.gender, event.distance_m, event.is_relay)


SLUG_CHARS = 80  # of the competition's part of an id, cut at a word


def _slug(event: EventRow) -> str:
    """Lowercase ASCII words joined by -: `2099/2100 ISU World Tour, Stage 2` ->
    `2099-2100-isu-world-tour-stage-2` (letters with accents lose them; other marks go). A
    name without a Latin letter gives no id (it could pass for an Olympic one): --id names it."""
    # Marks become spaces first, so that `2099–00` stays two words (an en dash is not ASCII).
    spaced = re.sub(r"[^\w]+", " ", event.competition)
    bare = unicodedata.normalize("NFKD", spaced).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", bare.lower())
    if all(word.isdigit() for word in words):
        raise InputError(
            event.source_file,
            "expected a competition name with Latin letters to make the event id of, or --id "
            f"to name it, found {excerpt(event.competition)}",
        )
    slug = ""
    for word in words:
        if slug and len(slug) + 1 + len(word) > SLUG_CHARS:
            break
        slug = f"{slug}-{word}" if slug else word[:SLUG_CHARS]
    stage = f"stage-{event.stage}"
    if event.stage is not None and not slug.endswith(stage) and f"{stage}-" not in slug:
        slug += f"-{stage}"  # cut off: two stages of one season must not share an id
    return slug


def check_event_id(event_id: str) -> str:
    """An --id given on the command line: a slug as raw/events/<event-id>/ requires."""
    if not SLUG.fullmatch(event_id):
        raise InputError("--id", f"expected an event id of {SLUG_RULE}, found {excerpt(event_id)}")
    return event_id
