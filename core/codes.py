"""The coded values of the warehouse, each listed once: parsers write them, checks accept them,
event.toml validates against them, and the README documents them from here."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal, get_args

RoundName = Literal[
    "preliminaries",
    "heats",
    "repechage_quarterfinals",
    "repechage_semifinals",
    "quarterfinals",
    "semifinals",
    "finals",
]
ROUNDS: tuple[RoundName, ...] = get_args(RoundName)  # in the order they are skated
# The skating order of the round codes (a sort key; an event's rounds.round_order counts only
# the rounds it has).
ROUND_ORDER: dict[str, int] = {name: order for order, name in enumerate(ROUNDS, start=1)}
# Quarterfinals, Repechage quarterfinals
ROUND_TITLES: dict[str, str] = {name: name.replace("_", " ").capitalize() for name in ROUNDS}
# Rounds whose races pages caption `Heat N` (the World Tour's first four rounds): a race is known
# by its round and its caption together, e.g. `Repechage quarterfinals Heat 2`.
HEAT_CAPTIONED: tuple[RoundName, ...] = (
    "preliminaries",
    "heats",
    "repechage_quarterfinals",
    "repechage_semifinals",
)

REFEREE_NOTES = ("ADV", "ADVA", "ADVB")  # advanced by the referee, whatever the rank
ADVANCING_NOTES = ("Q", "q", "QA", "QB", "qA", "qB", *REFEREE_NOTES)
# The final a note sends a skater to, whatever the round's rule says: qualified by place for
# Final A or B (QA, QB), on time (qA, qB), or advanced there by the referee (ADVA, ADVB).
NOTE_FINALS = {
    "QA": "Final A",
    "QB": "Final B",
    "qA": "Final A",
    "qB": "Final B",
    "ADVA": "Final A",
    "ADVB": "Final B",
}
REFEREE_FINALS = {note: final for note, final in NOTE_FINALS.items() if note in REFEREE_NOTES}
# A penalty (PEN) or a yellow card (YC) disqualifies from the race; a yellow card from the
# rest of the competition too (ranked last of the event).
PENALTY_NOTES = ("PEN", "YC")
PENALTY, YELLOW_CARD = "PEN", "YC"
NOTES = (*ADVANCING_NOTES, *PENALTY_NOTES)

STATUSES = ("finished", "no time", "DQ", "DNF", "DNS")
# A ranked result: a time, or `no time` (ranked far behind, or fallen, with no measured time).
RANKED_STATUSES = ("finished", "no time")
NAME_MATCHES = ("exact", "folded", "alias", "renamed")
# How a reference's medalist name matched the registry (pipeline.resolve.reference).
REFERENCE_MATCHES = ("matched", "unknown", "ambiguous", "team")
MEDALS = ("gold", "silver", "bronze")
RECORD_KINDS = ("OR", "WR")
GENDERS = ("men", "women", "mixed")
# What kind of competition an event belongs to: an Olympic Games (a page with `Games`), or what
# a page's `Competition` names.
COMPETITION_KINDS = ("olympics", "world tour", "world championships", "continental", "other")
ENTRANT_KINDS = ("athlete", "team")
# How the [[waiver]] block a report prints begins its reason: refused until a person writes
# the real one.
WAIVER_REASON_PLACEHOLDER = "REVIEW:"
# What an alias proposal (reference.podium, pipeline add) puts where the reason goes: refused as
# a reason, so that a proposal pasted as it stands is never a reviewed alias.
ALIAS_REASON_PLACEHOLDER = "<reason>"


class ReportFormat(StrEnum):
    """Formats of the check report (`--format`)."""

    text = "text"
    json = "json"
    junit = "junit"
    github = "github"
    html = "html"


class DiffFormat(StrEnum):
    """Formats of `pipeline diff` output."""

    text = "text"
    markdown = "markdown"
    json = "json"


class ListKind(StrEnum):
    """What `pipeline list` lists."""

    checks = "checks"
    events = "events"
    tables = "tables"


class ListFormat(StrEnum):
    """Formats of `pipeline list` output."""

    text = "text"
    json = "json"


class QueryFormat(StrEnum):
    """Formats of `pipeline sql` output."""

    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"
    ndjson = "ndjson"
    markdown = "markdown"
