"""A Notes cell: an advancement or penalty note and record marks, as later pages combine them
(`Q, OR`, `QA WR`, `ADV A`, `PEN`, `OR` alone)."""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

RECORD_MARKS = ("OR", "WR")
# `ADV A` and `ADV B` are printed with a space on some pages: they are ADVA and ADVB.
SPACED = {"ADV A": "ADVA", "ADV B": "ADVB"}


class Note(NamedTuple):
    """What a Notes cell says: the note proper (as printed when it is not one token) and the
    strongest record mark (a world record set at the Games is an Olympic record too)."""

    note: str | None
    record_mark: str | None


@lru_cache(maxsize=1024)  # a corpus prints a few dozen distinct Notes cells
def parse_note(cell: str) -> Note:
    """Split a Notes cell into its note and its record mark; unknown words stay in the note,
    where the results.note-values check names them."""
    text = cell
    for spaced, joined in SPACED.items():
        text = text.replace(spaced, joined)
    words = text.replace(",", " ").split()
    marks = [word for word in words if word in RECORD_MARKS]
    rest = [word for word in words if word not in RECORD_MARKS]
    mark = "WR" if "WR" in marks else ("OR" if marks else None)
    return Note(" ".join(rest) or None, mark)
