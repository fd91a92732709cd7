"""Rounds and races of one event: the rounds and race tables its page holds, dated by its
event.toml, the races event.toml declares not held, and its prior record and advancement rules."""

from __future__ import annotations

from core.codes import ROUND_ORDER
from core.errors import SourceError
from core.rows import AdvancementRuleRow, PriorRecordRow, RaceRow, RoundRow
from core.timefmt import parse_time
from pipeline.read.event_toml import EventFile, RoundSpec, TomlLines
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
    for name in sorted(first_line, key=ROUND_ORDER.__getitem__):
        spec = dated.get(name)
        if spec is None:
            raise SourceError(
                page.path,
                first_line[name],
                f"a [rounds.{name}] entry with its date in {toml_path}",
                name,
            )
        date_line = toml_lines.of(("rounds", name, "date"))
        rounds.append(
            RoundRow(
                event_id,
                name,
                ROUND_ORDER[name],
                spec.date,
                toml_path,
                date_line,
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


def declared_rows(
    toml_path: str, toml_lines: TomlLines, declared: EventFile, event_id: str
) -> tuple[list[PriorRecordRow], list[AdvancementRuleRow]]:
    """The prior record and the advancement rules of event.toml, as rows."""
    prior = []
    if declared.prior_record is not None:
        record = declared.prior_record
        millis, decimals = parse_time(record.time) or (0, 0)
        prior.append(
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
        )
    rules = []
    for name, spec in declared.rounds.items():
        for rule in spec.advance:
            line = toml_lines.of(("rounds", name, "advance"), rule.note)
            target = None
            if rule.to is not None:
                label = parse_label(rule.to)
                if label is None or label.number is None:
                    raise SourceError(toml_path, line, "to = a race label such as Final A", rule.to)
                target = race_label(label.round, label.number, rule.to.casefold() != "final")
            rules.append(
                AdvancementRuleRow(
                    event_id,
                    name,
                    rule.note,
                    rule.ranks[0],
                    rule.ranks[-1],
                    rule.fastest,
                    target,
                    toml_path,
                    line,
                )
            )
    return prior, rules
