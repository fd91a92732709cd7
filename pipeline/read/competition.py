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


def read_competition(text: str) -> Competition:
    """A Competition field's kind, season and stage, as far as its text names them."""
    words = set(WORD.findall(text.casefold()))
    kind = next((kind for needed, kind in KINDS if needed <= words), "other")
    season = None
    found = SEASON.search(text)
    if found is not None:
        first, second = found.groups()
        second = second if len(second) == 4 else first[:2] + second
        season = f"{first}/{second}"
    stage = STAGE.search(text)
    return Competition(text, kind, season, int(stage.group(1)) if stage else None)
