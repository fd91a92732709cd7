"""Round and race labels as pages print them (`Heats`, `Quarterfinal 1`, `Final A`,
`Repechage quarterfinals`, `Heat 2` under it), and the race ids and canonical labels they give."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from core.codes import HEAT_CAPTIONED, ROUND_TITLES

ROUND_WORDS = {
    "heat": "heats",
    "quarterfinal": "quarterfinals",
    "semifinal": "semifinals",
    "final": "finals",
}
LABEL = re.compile(
    r"(heat|quarter-?final|semi-?final|final)(s?)(?:\s+([0-9]{1,2}|[A-Za-z]))?", re.IGNORECASE
)
# The World Tour's rounds that pages name by a heading (or in full) and caption `Heat N`.
HEAT_ROUND = re.compile(
    r"(?:(preliminar(?:y|ies)(?:\s+round)?)|repechage\s+(quarter|semi)(?:-|\s)?finals?)"
    r"(?:\s+heat\s+([0-9]{1,2}))?",
    re.IGNORECASE,
)
KNOWN_LABELS = (
    "Heats, Heat 1, Quarterfinals, Quarterfinal 1, Semifinal 1, Final, Final A, Final B, "
    "Preliminaries, Repechage quarterfinals, Repechage semifinals"
)


@dataclass(frozen=True, slots=True)
class RoundLabel:
    """A parsed label: the round, and the race within it when the label names one."""

    round: str
    number: int | None


# A corpus prints a few dozen distinct labels, each on thousands of pages: each is parsed once.
# Longer text (a line of prose that `pipeline add` tries, up to a page line's length) is parsed
# each time, so that the cache holds labels, not prose.
CACHED_UP_TO = 64  # characters


def parse_label(text: str) -> RoundLabel | None:
    """`Quarterfinal 3` -> (quarterfinals, 3); `Heats` -> (heats, None); `Final B` -> (finals, 2)"""
    return _cached_label(text) if len(text) <= CACHED_UP_TO else _label(text)


def _label(text: str) -> RoundLabel | None:
    text = text.strip()
    if text.endswith(")") and "(" in text:  # `Final A (medal round)`: the label before it
        text = text[: text.rindex("(")].strip()
    heat_round = _heat_round_label(text)
    if heat_round is not None:
        return heat_round
    match = LABEL.fullmatch(text)
    if match is None:
        return None
    word, plural, race = match.groups()
    round_name = ROUND_WORDS[word.casefold().replace("-", "")]
    if race is None:
        # A bare `Final` is the one race of the finals; `Heats` names a whole round.
        if plural:
            return RoundLabel(round_name, None)
        return RoundLabel(round_name, 1) if round_name == "finals" else None
    if plural:
        return None
    if race.isascii() and race.isdigit():
        if round_name == "finals" or int(race) < 1:
            return None
        return RoundLabel(round_name, int(race))
    if round_name != "finals" or race.upper() not in "AB":
        return None
    return RoundLabel(round_name, "AB".index(race.upper()) + 1)


_cached_label: Callable[[str], RoundLabel | None] = functools.lru_cache(maxsize=1024)(_label)


def _heat_round_label(text: str) -> RoundLabel | None:
    """`Repechage quarterfinals` -> (repechage_quarterfinals, None); `Preliminaries Heat 3` ->
    (preliminaries, 3); None for any other text."""
    match = HEAT_ROUND.fullmatch(" ".join(text.split()))
    if match is None:
        return None
    preliminary, repechage, race = match.groups()
    round_name = "preliminaries" if preliminary else f"repechage_{repechage.casefold()}finals"
    if race is None:
        return RoundLabel(round_name, None)
    return RoundLabel(round_name, int(race)) if race.isascii() and int(race) >= 1 else None


def race_label(round_name: str, number: int, lettered_final: bool = True) -> str:
    """Canonical label: `Heat 2`, `Quarterfinal 1`, `Final A` (or `Final` when not lettered);
    in the other rounds captioned by heat, the round and the caption: `Preliminaries Heat 3`,
    `Repechage quarterfinals Heat 2`."""
    if round_name in HEAT_CAPTIONED and round_name != "heats":
        return f"{ROUND_TITLES[round_name]} Heat {number}"
    if round_name == "finals":
        return f"Final {'AB'[number - 1]}" if lettered_final else "Final"
    return f"{round_name[:-1].capitalize()} {number}"


def race_id(event_id: str, label: str) -> str:
    """Stable race key, e.g. `2006-men-1000m/final-a`."""
    return f"{event_id}/{label.lower().replace(' ', '-')}"
