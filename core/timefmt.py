"""Race times as printed on pages (`1:27.048`, `41.802`, `42.53`) and as integer milliseconds."""

from __future__ import annotations

import re

# A printed time, written once in the syntax Python's `re` and RE2 (Arrow's compute kernels, which
# type a chunk's result cells) read alike: ASCII digits spelt out, groups named.
TIME_SYNTAX = r"(?:(?P<m>[0-9]{1,2}):(?P<s>[0-5][0-9])|(?P<t>[0-9]{1,2}))\.(?P<f>[0-9]{2,3})"
TIME_PATTERN = re.compile(TIME_SYNTAX)


def parse_time(text: str) -> tuple[int, int] | None:
    """Return (milliseconds, decimals printed) for a time like `1:27.048`, or None if malformed."""
    match = TIME_PATTERN.fullmatch(text)
    if match is None:
        return None
    minutes, seconds_after_minute, seconds_alone, fraction = match.groups()
    seconds = int(seconds_after_minute if minutes is not None else seconds_alone)
    # Two printed decimals are hundredths: `42.53` is 42 530 ms.
    millis = int(fraction) * (10 if len(fraction) == 2 else 1)
    return (int(minutes or 0) * 60 + seconds) * 1000 + millis, len(fraction)


# A count with more digits is past every column's range. Python refuses int() of more than 4,300
# digits (and takes quadratic time below that), and a page line may hold 100,000.
MAX_COUNT_DIGITS = 18


def parse_count(text: str) -> int | None:
    """A whole number written in ASCII digits (`3`, not `３` or `3.0`), or None. One of more
    than MAX_COUNT_DIGITS digits reads as 10**MAX_COUNT_DIGITS: too large for any bound."""
    if not (text.isascii() and text.isdigit()):
        return None
    digits = text.lstrip("0")
    return int(digits or "0") if len(digits) <= MAX_COUNT_DIGITS else 10**MAX_COUNT_DIGITS


def format_time(millis: int, decimals: int = 3) -> str:
    """Format milliseconds as `m:ss.fff` (or `ss.fff` under a minute) with the given decimals."""
    if millis < 0:
        raise ValueError(f"a time cannot be negative: {millis}")
    if decimals not in (2, 3):
        raise ValueError(f"decimals must be 2 or 3, not {decimals}")
    minutes, rest = divmod(millis, 60_000)
    seconds, fraction = divmod(rest, 1000)
    digits = f"{fraction:03d}"[:decimals]
    if minutes:
        return f"{minutes}:{seconds:02d}.{digits}"
    return f"{seconds}.{digits}"
