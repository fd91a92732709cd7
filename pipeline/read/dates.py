"""Dates as pages print them: `15–18 February 2006`, `18 February`."""

from __future__ import annotations

import datetime as dt
import re

MONTHS = {
    name: number
    for number, name in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
}
DASH = r"\s*[–—-]\s*"
DAY, MONTH, YEAR = r"([0-9]{1,2})", r"([A-Za-z]+)", r"([0-9]{4})"
DAY_RANGE = re.compile(rf"{DAY}(?:{DASH}{DAY})?\s+{MONTH}\s+{YEAR}")
MONTH_RANGE = re.compile(rf"{DAY}\s+{MONTH}{DASH}{DAY}\s+{MONTH}\s+{YEAR}")
DAY_MONTH = re.compile(r"([0-9]{1,2})\s+([A-Za-z]+)(?:\s+([0-9]{4}))?")


def _date(year: str | int, month: str, day: str) -> dt.date | None:
    number = MONTHS.get(month.casefold())
    if number is None:
        return None
    try:
        return dt.date(int(year), number, int(day))
    except ValueError:
        return None


def parse_date_range(text: str) -> tuple[dt.date, dt.date] | None:
    """First and last day of `15–18 February 2006`, `28 February – 2 March 2006` or one day."""
    match = DAY_RANGE.fullmatch(text)
    if match:
        first_day, last_day, month, year = match.groups()
        start, end = _date(year, month, first_day), _date(year, month, last_day or first_day)
    elif match := MONTH_RANGE.fullmatch(text):
        first_day, first_month, last_day, last_month, year = match.groups()
        start, end = _date(year, first_month, first_day), _date(year, last_month, last_day)
    else:
        return None
    if start is None or end is None or end < start:
        return None
    return start, end


def parse_day(text: str, default_year: int) -> dt.date | None:
    """A day such as `18 February` (year taken from the event) or `18 February 2006`."""
    match = DAY_MONTH.fullmatch(text)
    if match is None:
        return None
    day, month, year = match.groups()
    return _date(year or default_year, month, day)
