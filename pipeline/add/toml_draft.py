"""The drafted event.toml: the rounds' days, advancement rules and races not contested, each
value under a comment citing the page lines it was read from, in the style of the hand-written
raw/events/2006-men-1000m/event.toml."""

from __future__ import annotations

import datetime as dt
import textwrap
from dataclasses import dataclass, field
from typing import NamedTuple

from core.escape import terminal, toml_string
from pipeline.add.advancement_rules import NotContested, Rule
from pipeline.add.round_days import RoundDate

WIDTH = 96
HEADER = (
    "Facts about this event that page.txt does not state in a form a program can read. Drafted "
    "by `pipeline add` from the page: every value says which page lines it comes from. Review "
    "each value marked for review against the page, then build with `pipeline run`."
)
NO_PRIOR = (
    'The page has no "Prior to this competition" table. If a record stood before this event, '
    "declare it here with where it comes from (review):"
)
PRIOR_EXAMPLE = (
    "[prior_record]",
    'kind = "OR"',
    'time = "m:ss.fff"',
    'athlete = "Name"',
    'noc = "NOC"',
    "date = YYYY-MM-DD",
)


def placeholder(round_name: str) -> str:
    """A date value `pipeline run` refuses: a person writes the day."""
    return f"REVIEW: the day the {round_name.replace('_', ' ')} were skated"


@dataclass(frozen=True)
class RoundDraft:
    date: RoundDate
    rules: list[Rule] = field(default_factory=list)
    uncontested: list[NotContested] = field(default_factory=list)
    seeded: str | None = None  # why entrants enter this round directly, if any do


@dataclass(frozen=True)
class Draft:
    rounds: list[RoundDraft]
    prior_table_line: int | None  # the page's "Prior to this competition" table, if any


class Rendered(NamedTuple):
    text: str
    review: list[tuple[int, str]]  # event.toml line, what to review there


class _Writer:
    """Lines of the file, and the review notes pinned to them."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.review: list[tuple[int, str]] = []

    def comment(self, text: str, indent: str = "") -> None:
        width = WIDTH - len(indent) - 2
        # Page text in a comment: TOML forbids control characters there, so they show escaped.
        for part in textwrap.wrap(terminal(text), width, break_on_hyphens=False):
            self.lines.append(f"{indent}# {part}")

    def line(self, text: str, review: str | None = None) -> None:
        self.lines.append(text)
        if review is not None:
            self.review.append((len(self.lines), review))


def _rule_value(rule: Rule) -> str:
    parts = [f"note = {toml_string(rule.note)}"] if rule.note is not None else []
    parts.append(f"ranks = [{', '.join(map(str, rule.ranks))}]")
    if rule.fastest is not None:
        parts.append(f"fastest = {rule.fastest}")
    if rule.to is not None:
        parts.append(f"to = {toml_string(rule.to)}")
    return "{ " + ", ".join(parts) + " }"


def _round(out: _Writer, spec: RoundDraft, fill: dt.date | None) -> None:
    name = spec.date.round
    for comment in spec.date.comments:
        out.comment(comment)
    out.line(f"[rounds.{name}]")
    day = spec.date.day or fill
    value = day.isoformat() if day else toml_string(placeholder(name))
    out.line(f"date = {value}", spec.date.review)
    if spec.seeded is not None:
        out.comment(spec.seeded)
        out.line("seeded = true", f"{name}: seeded: {spec.seeded}")
    if spec.rules:
        out.line("advance = [")
        for rule in spec.rules:
            out.comment(rule.comment, "    ")
            out.line(f"    {_rule_value(rule)},", rule.review)
        out.line("]")
    if spec.uncontested:
        out.line("uncontested = [")
        for race in spec.uncontested:
            out.comment(race.comment, "    ")
            label, reason = toml_string(race.label), toml_string(race.reason)
            out.line(f"    {{ label = {label}, reason = {reason} }},", race.review)
        out.line("]")


def render(draft: Draft, fill: dt.date | None = None) -> Rendered:
    """The event.toml text and its review notes; `fill` stands in for placeholder days (to
    validate the rest of a draft that still has some)."""
    out = _Writer()
    out.comment(HEADER)
    out.line("")
    if draft.prior_table_line is not None:
        out.comment(
            f"Page line {draft.prior_table_line}: the page states the records standing before "
            "this event itself, so there is no [prior_record] here."
        )
    else:
        out.review.append(
            (
                len(out.lines) + 1,
                'no [prior_record]: the page has no "Prior to this competition" table; '
                "declare the record standing before the event, if one stood",
            )
        )
        out.comment(NO_PRIOR)
        for line in PRIOR_EXAMPLE:
            out.line(f"# {line}")
    for spec in draft.rounds:
        out.line("")
        _round(out, spec, fill)
    return Rendered("\n".join(out.lines) + "\n", out.review)
