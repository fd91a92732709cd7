"""One event: its page and its event.toml turned into rows for every event-level table."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pipeline.classify import classify
from pipeline.codes import ROUND_ORDER
from pipeline.errors import SourceError
from pipeline.parse.event_toml import EventFile, RoundSpec, TomlLines, load_event_file
from pipeline.parse.folder import read_event
from pipeline.parse.infobox import parse_infobox
from pipeline.parse.lines import decode_page
from pipeline.parse.page import Page, split_page
from pipeline.parse.problems import Problems
from pipeline.parse.records import parse_prior_records, parse_records
from pipeline.parse.registry import Registry
from pipeline.parse.rounds import (
    KNOWN_LABELS,
    RaceOnPage,
    parse_label,
    parse_results,
    race_id,
    race_label,
)
from pipeline.parse.tables import Table
from pipeline.rows import (
    AdvancementRuleRow,
    ClassificationRow,
    EntrantRow,
    EventRow,
    InfoboxRow,
    MedalRow,
    PriorRecordRow,
    RaceRow,
    RecordRow,
    ResultRow,
    RoundRow,
    TeamSkaterRow,
)
from pipeline.timefmt import parse_time

SECTIONS = ("records", "results")


@dataclass
class EventTables:
    """Rows of the event-level tables for one event, named as the warehouse tables."""

    events: list[EventRow] = field(default_factory=list)
    infobox: list[InfoboxRow] = field(default_factory=list)
    medals: list[MedalRow] = field(default_factory=list)
    rounds: list[RoundRow] = field(default_factory=list)
    races: list[RaceRow] = field(default_factory=list)
    entrants: list[EntrantRow] = field(default_factory=list)
    team_skaters: list[TeamSkaterRow] = field(default_factory=list)
    results: list[ResultRow] = field(default_factory=list)
    records: list[RecordRow] = field(default_factory=list)
    prior_records: list[PriorRecordRow] = field(default_factory=list)
    advancement_rules: list[AdvancementRuleRow] = field(default_factory=list)
    classification: list[ClassificationRow] = field(default_factory=list)


def tables_by_section(page: Page) -> dict[str, list[Table]]:
    """The page's tables under ==Records== and ==Results==; a table elsewhere is refused."""
    found: dict[str, list[Table]] = {name: [] for name in SECTIONS}
    for table in page.tables:
        section = table.section.casefold()
        if section not in found:
            raise SourceError(
                page.path,
                table.header_line,
                "tables only under ==Records== or ==Results==",
                table.section or "no section heading",
            )
        found[section].append(table)
    return found


def _rounds(
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


def _contested_races(
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


def _uncontested_races(
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


def _declared_rows(
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


def parse_event(folder: Path, shown_as: str, registry: Registry) -> EventTables:
    """Parse raw/events/<event_id>/ (page.txt and event.toml) into rows."""
    return parse_event_files(folder.name, shown_as, *read_event(folder, shown_as), registry)


def parse_event_files(
    event_id: str, shown_as: str, page_bytes: bytes, toml_bytes: bytes, registry: Registry
) -> EventTables:
    """Parse an event's page and event.toml, given as bytes, into rows."""
    page_path, toml_path = f"{shown_as}/page.txt", f"{shown_as}/event.toml"
    page = split_page(page_path, decode_page(page_path, page_bytes))
    declared, toml_lines = load_event_file(toml_bytes, toml_path)
    # Unknown names and nations are gathered over the whole page and reported together.
    problems = Problems()
    event, infobox, medals = parse_infobox(page, event_id, registry, problems)
    tables = tables_by_section(page)
    found = parse_results(page, event, registry, tables["results"], problems)
    records = parse_records(page, event, tables["records"], registry, problems)
    problems.raise_found()
    on_page = found.races
    rounds = _rounds(page, toml_path, toml_lines, declared, event_id, on_page)
    races = [
        *_contested_races(page, declared, event_id, on_page),
        *_uncontested_races(toml_path, toml_lines, declared, event_id, on_page),
    ]
    known = {race.race_id: race.label for race in races}
    for record in records:
        if record.race_id not in known:
            raise SourceError(
                page_path,
                record.source_line,
                f"a race of this page ({', '.join(known.values())})",
                record.race_id.removeprefix(f"{event_id}/"),
            )
    declared_prior, rules = _declared_rows(toml_path, toml_lines, declared, event_id)
    prior = parse_prior_records(page, event_id, tables["records"], registry)
    if prior and declared_prior:
        raise SourceError(
            toml_path,
            declared_prior[0].source_line,
            f"no [prior_record]: the page states the records standing before the event "
            f"(line {prior[0].source_line})",
            "[prior_record]",
        )
    prior = prior or declared_prior
    return EventTables(
        events=[event],
        infobox=infobox,
        medals=medals,
        rounds=rounds,
        races=races,
        entrants=found.entrants,
        team_skaters=found.skaters,
        results=found.results,
        records=records,
        prior_records=prior,
        advancement_rules=rules,
        classification=classify(
            event_id, found.entrants, races, found.results, rules, declared.classification
        ),
    )
