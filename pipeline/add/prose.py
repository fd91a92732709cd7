"""The prose of a page, by the round whose heading it stands under, and the days it names
("The first round was held on 15 February", "began on 15 February, with the final on 18
February")."""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

from pipeline.read.dates import parse_day
from pipeline.read.labels import parse_label
from pipeline.read.lines import Line
from pipeline.read.page import parse_heading

LEAD = "lead"  # the prose above the first section: about the whole event
DAY = r"([0-9]{1,2}\s+[A-Za-z]+(?:\s+[0-9]{4})?)"
# Each pattern starts at a word and runs forward without nested repetition: linear on any line.
HELD_ON = re.compile(rf"\b(?:held|skated|raced|contested|took place)\s+on\s+{DAY}", re.I)
BEGAN_ON = re.compile(rf"\b(?:began|started)\s+on\s+{DAY}", re.I)
FINAL_ON = re.compile(rf"\bfinals?\s+(?:(?:was|were)\s+)?(?:(?:held|skated)\s+)?on\s+{DAY}", re.I)
QUOTE_CHARS = 100


def _round_of_heading(text: str, current: str | None) -> str | None:
    """The round a heading opens: `===Heats===` the heats; a section (`==Results==`) none; the
    title keeps the lead."""
    heading = parse_heading(text)
    if heading is None:
        return current
    level, title, _ = heading
    if level == 1:
        return current
    label = parse_label(title) if level >= 3 else None
    return label.round if label is not None else None


def prose_by_round(lines: list[Line]) -> dict[str, list[Line]]:
    """Prose lines (not tables, headings, infobox fields or race labels) under each round's
    heading, and the lead's under LEAD; the records section's prose is about records."""
    found: dict[str, list[Line]] = {LEAD: []}
    current: str | None = LEAD
    in_infobox = False
    for line in lines:
        text = line.text
        if not text:
            in_infobox = False
        elif text[0] == "=":
            current = _round_of_heading(text, current)
        elif text.casefold() == "infobox":
            in_infobox = True
        elif in_infobox and text[0] == "-":
            continue
        elif text[0] not in "|;" and parse_label(text) is None and current is not None:
            found.setdefault(current, []).append(line)
    return found


def quote(text: str, start: int, end: int) -> str:
    """The sentence of `text` holding text[start:end]; if it is long, only that part."""
    first = text.rfind(". ", 0, start)
    first = 0 if first < 0 else first + 2
    last = text.find(". ", end)
    last = len(text) if last < 0 else last + 1
    if last - first <= QUOTE_CHARS:
        return text[first:last]
    return f"…{text[start:end]}…"


class ProseDay(NamedTuple):
    """A day the prose gives a round, with the line and the sentence that say it."""

    round: str  # a round, or "first" for the first round the page has
    day: dt.date
    line: int
    quote: str


def _days(pattern: re.Pattern[str], line: Line, year: int, round_name: str) -> list[ProseDay]:
    found = []
    for match in pattern.finditer(line.text):
        day = parse_day(" ".join(match.group(1).split()), year)
        if day is not None:
            said = quote(line.text, match.start(), match.end())
            found.append(ProseDay(round_name, day, line.number, said))
    return found


def prose_days(prose: dict[str, list[Line]], year: int) -> list[ProseDay]:
    """Days the prose names: under a round's heading, the day it was held; in the lead, the
    day the event began (its first round) and the day of the final."""
    found = []
    for round_name, lines in prose.items():
        for line in lines:
            if round_name == LEAD:
                found += _days(BEGAN_ON, line, year, "first")
                found += _days(FINAL_ON, line, year, "finals")
            else:
                found += _days(HELD_ON, line, year, round_name)
    return found
