"""The cells of a results row read as values: a rank, a result (a time or a status), a gap
behind the leader, a race number."""

from __future__ import annotations

from core.errors import SourceError
from core.timefmt import parse_count, parse_time

NO_RANK = {"", "–", "—", "-"}
LARGEST_RANK = 127  # a rank must fit the warehouse's TINYINT
RANKS = {str(rank): rank for rank in range(1, LARGEST_RANK + 1)}  # the ranks pages print
STATUSES = {"NO TIME": "no time", "DQ": "DQ", "DSQ": "DQ", "DNF": "DNF", "DNS": "DNS"}


def parse_rank(path: str, line: int, text: str) -> int | None:
    """A rank cell: a whole number, or – for none (whether it is a sensible rank is a check)."""
    known = RANKS.get(text)
    if known is not None:
        return known
    if text in NO_RANK:
        return None
    rank = parse_count(text)
    if rank is None or rank > LARGEST_RANK:
        raise SourceError(path, line, f"a rank (a whole number up to {LARGEST_RANK}) or –", text)
    return rank


def read_result(path: str, line: int, text: str) -> tuple[int | None, int | None, str]:
    """A result cell: (time_ms, decimals, status) from `1:27.048`, `41.80` or DQ/DNF/DNS."""
    status = status_of(text)
    if status is not None:
        return None, None, status
    parsed = parse_time(text)
    if parsed is None:
        raise SourceError(path, line, "a time like 1:27.048 or 41.80, or DQ/DNF/DNS/no time", text)
    return parsed[0], parsed[1], "finished"


def status_of(text: str) -> str | None:
    """The status a result cell that is no time names (DQ, DNF, DNS, no time), if any."""
    return STATUSES.get(text.upper())


def may_print_overall_places(round_name: str, race: int | None) -> bool:
    """Whether a table may print overall places: a later final (a Final B placed 6, 7 …)."""
    return round_name == "finals" and race not in (None, 1)


def place_offset(round_name: str, race: int | None, places: list[int | None]) -> int:
    """How far printed places lie from race places: 0, except a later final that prints the
    overall places (a Final B whose first place is printed 6 …)."""
    if not may_print_overall_places(round_name, race):
        return 0
    return min((place for place in places if place is not None), default=1) - 1


def check_gap(path: str, line: int, text: str) -> None:
    """A Deficit/Gap cell: empty, a dash, or a time behind the leader such as +0.147."""
    if text in NO_RANK or parse_time(text.removeprefix("+")) is not None:
        return
    raise SourceError(path, line, "a gap such as +0.147, or –", text)


def race_number(path: str, line: int, round_name: str, cell: str) -> int:
    """A race-number cell: 1-99, or A/B in the finals."""
    if round_name == "finals" and cell.upper() in ("A", "B"):
        return "AB".index(cell.upper()) + 1
    number = parse_count(cell)
    if round_name == "finals" or number is None or not 1 <= number <= 99:
        expected = "a final A or B" if round_name == "finals" else "a race number from 1 to 99"
        raise SourceError(path, line, expected, cell)
    return number
