"""The day of each round, from what the page says: the records table's dates, the prose, and
the infobox Dates (the first round is skated on its first day, the last round on its last). A
round the page does not date takes the day of the rounds around it if they share one; else it
gets a placeholder that a person fills in."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

from core.rows import EventRow
from pipeline.add.prose import ProseDay
from pipeline.read.dates import MONTHS
from pipeline.read.page import InfoboxField
from pipeline.read.records import PrintedRecord

MONTH_NAMES = [name.capitalize() for name in MONTHS]


def day_text(day: dt.date) -> str:
    """`15 February`, as pages print days (no locale involved)."""
    return f"{day.day} {MONTH_NAMES[day.month - 1]}"


class Evidence(NamedTuple):
    """A day the page gives a round, and the comment that cites it."""

    day: dt.date
    line: int
    comment: str


@dataclass(frozen=True)
class RoundDate:
    """A round's day (None: a placeholder), the comments citing the page, and what a person
    must review, if anything."""

    round: str
    day: dt.date | None
    comments: list[str]
    review: str | None = None


def _infobox(event: EventRow, dates: InfoboxField, rounds: list[str]) -> dict[str, list[Evidence]]:
    start, end, line = event.start_date, event.end_date, dates.line
    if start == end:
        said = f"Page line {line}: the event was held on one day, {day_text(start)}."
        return {name: [Evidence(start, line, said)] for name in rounds}
    return {
        rounds[0]: [
            Evidence(
                start,
                line,
                f"Page line {line}: the event's Dates begin on {day_text(start)}, the day of "
                "its first round.",
            )
        ],
        rounds[-1]: [
            Evidence(
                end,
                line,
                f"Page line {line}: the event's Dates end on {day_text(end)}, the day of its "
                "last round.",
            )
        ],
    }


def day_evidence(
    event: EventRow,
    dates: InfoboxField,
    rounds: list[str],
    race_labels: dict[str, tuple[str, str]],
    records: list[PrintedRecord],
    prose: list[ProseDay],
) -> dict[str, list[Evidence]]:
    """Every day the page gives each round (`race_labels`: race id -> round, label)."""
    found: dict[str, list[Evidence]] = {name: [] for name in rounds}
    for name, evidence in _infobox(event, dates, rounds).items():
        found[name] += evidence
    for record in records:
        round_name, label = race_labels[record.race_id]
        said = f"Page line {record.source_line}: the {label} record was set on "
        found[round_name].append(
            Evidence(record.date, record.source_line, f"{said}{day_text(record.date)}.")
        )
    for day in prose:
        round_name = rounds[0] if day.round == "first" else day.round
        if round_name in found:
            said = f'Page line {day.line}: "{day.quote}"'
            found[round_name].append(Evidence(day.day, day.line, said))
    return {name: sorted(evidence, key=lambda item: item.line) for name, evidence in found.items()}


def _stated(name: str, evidence: list[Evidence]) -> RoundDate | None:
    """The round's day if the page states one; a placeholder if it states two."""
    comments = list(dict.fromkeys(item.comment for item in evidence))  # one line may say two
    days = sorted({item.day for item in evidence})
    if len(days) == 1:
        return RoundDate(name, days[0], comments)
    if not days:
        return None
    listed = " and ".join(day_text(day) for day in days)
    review = f"the page gives the {name} two days ({listed}): write the day they were skated"
    return RoundDate(name, None, [*comments, f"Review: {review}."], review)


def _between(name: str, before: RoundDate | None, after: RoundDate | None) -> RoundDate:
    """A round the page does not date: the day of the rounds around it if they share one."""
    if before and after and before.day is not None and before.day == after.day:
        review = (
            f"the page states no date for the {name}: they lie between the {before.round} and "
            f"the {after.round}, both on {day_text(before.day)}, so they take that day"
        )
        return RoundDate(name, before.day, [f"Review: {review}."], review)
    review = f"the page states no date for the {name}: write the day they were skated"
    return RoundDate(name, None, [f"Review: {review}."], review)


def date_rounds(rounds: list[str], evidence: dict[str, list[Evidence]]) -> list[RoundDate]:
    """A RoundDate per round, in order."""
    stated = {name: _stated(name, evidence[name]) for name in rounds}
    dated = []
    for index, name in enumerate(rounds):
        known = stated[name]
        if known is None:
            before = next((stated[r] for r in reversed(rounds[:index]) if stated[r]), None)
            after = next((stated[r] for r in rounds[index + 1 :] if stated[r]), None)
            known = _between(name, before, after)
        dated.append(known)
    return dated
