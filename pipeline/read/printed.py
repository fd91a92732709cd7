"""Who a page says raced, as printed, before any name is looked up: a printed entrant is a name
cell (in a relay, the skaters cell) and the country cell or field the entry is held to."""

from __future__ import annotations

import re
from typing import NamedTuple

# Skaters in one cell: `A<br>B`, `A<br />B`, `A, B`, `A / B`, `A • B`.
SKATER_SEPARATOR = re.compile(r"<br\s*/?>|,|\s/\s|\s•\s", re.IGNORECASE)


class PrintedEntrant(NamedTuple):
    """One printing of an entrant: results row, records holder or infobox medallist."""

    path: str
    line: int  # where the name (or the relay's skaters) is printed
    name: str  # an athlete cell (`Li Ye`, `Wang Meng (CHN)`), or a relay's skaters cell
    country: str | None  # the country the entry is held to, as printed; None: none is
    country_line: int  # where that country is printed
    relay: bool  # a nation's team (its skaters in `name`), not one athlete

    @property
    def called(self) -> str:
        """How the page names the entrant: the athlete without a bracketed NOC; a team by its
        country."""
        if self.relay:
            return self.country or ""
        bracketed = split_noc_suffix(self.name)
        return self.name if bracketed is None else bracketed[0]


def split_noc_suffix(cell: str) -> tuple[str, str] | None:
    """`Wang Meng (CHN)` -> ("Wang Meng", "CHN"); None without a bracketed three-letter code.
    Sliced, not matched: `(.*?)\\s*\\(` backtracked quadratically on a run of spaces."""
    noc = cell[-4:-1]
    if cell[-5:-4] != "(" or cell[-1:] != ")" or not (noc.isascii() and noc.isalpha()):
        return None
    return (cell[:-5].rstrip(), noc) if noc.isupper() else None


def split_skaters(cell: str) -> list[str]:
    """The skater names of an Athletes cell, in printed order, empty parts dropped."""
    return [name.strip() for name in SKATER_SEPARATOR.split(cell) if name.strip()]
