"""Rounds and races of one event: the rounds and race tables its page holds, dated by its
event.toml, the races event.toml declares not held, and its prior record and advancement rules."""

from __future__ import annotations

from core.codes import ROUND_ORDER
from core.errors import SourceError
from core.rows import AdvancementRuleRow, PriorRecordRow, RaceRow, RoundRow
from core.timefmt import parse_time
from pipeline.read.event_toml import (
    AdvanceRule,
    EventFile,
    RoundSpec,
    TomlLines,
)
from pipeline.read.labels import KNOWN_LABELS, parse_label, race_id, race_label
from pipeline.read.page import Page
from pipeline.read.results import RaceOnPage


def round_rows(
    page: Page,
    toml_path: str,
    toml_lines: TomlLines,
    declared: EventFile,
    event_id: str,
    on_page: list[RaceOnPage],
) -> list[RoundRow]:
    """The rounds the page has, in order, each dated by its event.toml entry (and no entry for
    a round the page lacks)."""
    first_line: dict[str, int] = {}
    for race in on_page:
        first_line.setdefault(race.round, race.line)
    dated: dict[str, RoundSpec] = {str(name): spec for name, spec in declared.rounds.items()}
    for name in dated:
        if name not in first_line:
            raise SourceError(
                toml_path,
                toml_lines.of(("rounds", name)),
                f"only rounds the page has ({', '.join(first_line) or 'none'})",
                name,
            )
    rounds = []
    # round_order counts the event's own rounds in skating order: 1 for its first round.
    for order, name in enumerate(sorted(first_line, key=ROUND_ORDER.__getitem__), start=1):
        spec = dated.get(name)
        if spec is None:
            raise SourceError(
                page.path,
                first_line[name],
                f"a [rounds.{name}] entry with its date in {toml_path}",
                name,
            )
        if spec.seeded and order == 1:
            raise SourceError(
                toml_path,
                toml_lines.of(("rounds", name, "seeded")),
                "seeded = true only on a round after the event's first (everyone enters that)",
                f"seeded on the {name.replace('_', ' ')}",
            )
        date_line = toml_lines.of(("rounds", name, "date"))
        rounds.append(
            RoundRow(
                event_id,
                name,
                order,
                spec.date,
                toml_path,
                date_line,
                spec.seeded,
                page.path,
                first_line[name],
            )
        )
    return rounds


def contested_races(
    page: Page, declared: EventFile, event_id: str, on_page: list[RaceOnPage]
) -> list[RaceRow]:
    """One row per race table on the page, dated by its round."""
    dated: dict[str, RoundSpec] = {str(name): spec for name, spec in declared.rounds.items()}
    return [
        RaceRow(
            race_id(event_id, race.label),
            event_id,
            race.round,
            race.number,
            race.label,
            dated[race.round].date,
            True,
            page.path,
            race.line,
        )
        for race in on_page
    ]


def uncontested_races(
    toml_path: str,
    toml_lines: TomlLines,
    declared: EventFile,
    event_id: str,
    on_page: list[RaceOnPage],
) -> list[RaceRow]:
    """Races event.toml declares not held; each must have no table on the page."""
    labels = {race.label: race for race in on_page}
    races = []
    for name, spec in declared.rounds.items():
        for uncontested in spec.uncontested:
            line = toml_lines.of(("rounds", name, "uncontested"), uncontested.label)
            label = parse_label(uncontested.label)
            if label is None or label.number is None or label.round != name:
                raise SourceError(
                    toml_path, line, f"a {name} race label ({KNOWN_LABELS})", uncontested.label
                )
            canonical = race_label(name, label.number, uncontested.label.casefold() != "final")
            if canonical in labels:
                raise SourceError(
                    toml_path,
                    line,
                    f"a race with no table (the page has "
                    f"{canonical} at line {labels[canonical].line})",
                    canonical,
                )
            races.append(
                RaceRow(
                    race_id(event_id, canonical),
                    event_id,
                    name,
                    label.number,
                    canonical,
                    spec.date,
                    False,
                    toml_path,
                    line,
                )
            )
    return races


def _prior_record(
    toml_path: str, toml_lines: TomlLines, declared: EventFile, event_id: str
) -> list[PriorRecordRow]:
    """The prior record event.toml declares, as a row (or none)."""
    if declared.prior_record is None:
        return []
    record = declared.prior_record
    millis, decimals = parse_time(record.time) or (0, 0)
    return [
        PriorRecordRow(
            event_id,
            record.kind,
            millis,
            decimals,
            record.athlete,
            record.noc,
            record.date,
            toml_path,
            toml_lines.of(("prior_record", "time")),
        )
    ]


def _target(
    toml_path: str, line: int, rule: AdvanceRule, round_name: str, later: list[str], races: set[str]
) -> tuple[str | None, str | None]:
    """Where a rule sends: (round, race label). `to` names a later round of the page
    (`quarterfinals`) or, for a rule with a note, a race of one (`Final A`); without it, the
    event's next round."""
    to = rule.to
    if to is None:
        return (later[0] if later else None), None
    if to in ROUND_ORDER:
        if to not in later:
            shown = ", ".join(later) or "none"
            raise SourceError(
                toml_path, line, f"a round after the {round_name} that the page has ({shown})", to
            )
        return to, None
    label = parse_label(to)
    if rule.note is None:
        expected = f"a round (a rule without a note sends to a round: {', '.join(later)})"
        raise SourceError(toml_path, line, expected, to)
    if label is None or label.number is None:
        raise SourceError(
            toml_path, line, "to = a later round (quarterfinals) or a race such as Final A", to
        )
    if label.round not in later:
        expected = f"a race of a round after the {round_name} ({', '.join(later) or 'none'})"
        raise SourceError(toml_path, line, expected, to)
    canonical = race_label(label.round, label.number, to.casefold() != "final")
    if canonical not in races:
        expected = "a race the page has (or declares not contested)"
        raise SourceError(toml_path, line, expected, to)
    return label.round, canonical


def declared_rows(
    toml_path: str,
    toml_lines: TomlLines,
    declared: EventFile,
    event_id: str,
    rounds: list[RoundRow],
    races: list[RaceRow],
) -> tuple[list[PriorRecordRow], list[AdvancementRuleRow]]:
    """The prior record and the advancement rules of event.toml, as rows; each rule with the
    round (and race) it sends to."""
    order = [row.round for row in rounds]
    labels = {race.label for race in races}
    rules = []
    for name, spec in declared.rounds.items():
        later = order[order.index(name) + 1 :]
        given: dict[str | None, int] = {}  # note -> the line of the rule that gives it
        items = toml_lines.items(("rounds", name), "advance")
        for index, rule in enumerate(spec.advance):
            keys: tuple[str | int, ...] = ("rounds", name, "advance")
            if index < len(items):  # each rule at the line its table starts on
                line = items[index]
            else:
                line = toml_lines.of(keys, rule.note) if rule.note else toml_lines.of(keys)
            if rule.note in given:
                what = f"note {rule.note}" if rule.note else "rule without a note"
                expected = f"one {what} in the {name} (the first at line {given[rule.note]})"
                raise SourceError(toml_path, line, expected, rule.note or "another")
            given[rule.note] = line
            to_round, to_label = _target(toml_path, line, rule, name, later, labels)
            rules.append(
                AdvancementRuleRow(
                    event_id,
                    name,
                    rule.note,
                    rule.ranks[0],
                    rule.ranks[-1],
                    rule.fastest,
                    to_round,
                    to_label,
                    toml_path,
                    line,
                )
            )
    return _prior_record(toml_path, toml_lines, declared, event_id), rules
