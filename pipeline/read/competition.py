"""The competition an event belongs to, from the infobox: an Olympic Games (`- Games: 2006
Winter`) or another competition (`- Competition: 2099/2100 ISU World Tour, Stage 2`), with its
kind, the season it names and its World Tour stage."""

from __future__ import annotations

import re
from typing import NamedTuple

# The kind a Competition names: the first whose words its text has, all of them (case aside).
KINDS = (
    ({"junior"}, "other"),
    ({"world", "tour"}, "world tour"),
    ({"world", "cup"}, "world tour"),
    ({"four", "continents"}, "continental"),
    ({"european", "championships"}, "continental"),
    ({"world", "championships"}, "world championships"),
)
WORD = re.compile(r"[a-z]+")
SEASON = re.compile(r"\b([0-9]{4})\s*[/–-]\s*([0-9]{2}|[0-9]{4})\b")
STAGE = re.compile(r"\bstage\s+([0-9]{1,2})\b", re.IGNORECASE)


class Competition(NamedTuple):
    name: str
    kind: str
    season: str | None  # 2099/2100
    stage: int | None


def olympic_competition(games: str) -> Competition:
    """The Games `2006 Winter` as a competition: 2006 Winter Olympics."""
    return Competition(f"{games} Olympics", "olympics", None, None)


SEASON_EXPECTED = "a season of two years in a row, such as 2099/2100 or 2099–00"


def _season(first: str, second: str) -> str:
    """`2099`, `00` -> `2099/2100`; a second year that does not follow the first is refused
    (a ValueError naming what was expected)."""
    start = int(first)
    if len(second) == 4:
        end = int(second)
    else:  # two digits: the year after start whose last two digits they are
        end = start - start % 100 + int(second)
        end += 100 if end < start else 0
    if end != start + 1:
        raise ValueError(SEASON_EXPECTED)
    return f"{start}/{end}"


def read_competition(text: str) -> Competition:
    """A Competition field's kind, season and stage, as far as its text names them; a season
    that is no season is refused (ValueError)."""
    words = set(WORD.findall(text.casefold()))
    kind = next((kind for needed, kind in KINDS if needed <= words), "other")
    found = SEASON.search(text)
    season = None if found is None else _season(*found.groups())
    stage = STAGE.search(text)
    return Competition(text, kind, season, int(stage.group(1)) if stage else None)
