"""One event's warehouse rows, derived from its read and resolved rows: medals, entrants,
results and records joined to who they are, rounds and races, and the final classification."""

from __future__ import annotations

from dataclasses import dataclass, field

from core.errors import SourceError
from core.rows import (
    AdvancementRuleRow,
    ClassificationRow,
    EntrantRow,
    EventRow,
    InfoboxRow,
    MedalRow,
    PrintedStandingRow,
    PriorRecordRow,
    RaceRow,
    RecordRow,
    ResultRow,
    RoundRow,
    TeamSkaterRow,
)
from pipeline.derive.classify import Ordering, classify
from pipeline.derive.rounds import contested_races, declared_rows, round_rows, uncontested_races
from pipeline.read.event_page import PrintedEvent
from pipeline.read.problems import raise_all
from pipeline.resolve.event import ResolvedEvent


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
    printed_classification: list[PrintedStandingRow] = field(default_factory=list)


def _medals(printed: PrintedEvent, resolved: ResolvedEvent) -> list[MedalRow]:
    rows = []
    for medal in printed.medals:
        who = resolved.entrants[medal.entrant]
        noc = medal.noc
        rows.append(
            MedalRow(
                printed.event.event_id,
                medal.medal,
                medal.place,
                who.entrant_id,
                who.athlete_id,
                medal.holder.value,
                noc.value if noc else None,
                noc.line if noc else None,
                printed.page.path,
                medal.holder.line,
            )
        )
    return rows


def _results(
    printed: PrintedEvent, resolved: ResolvedEvent
) -> tuple[list[EntrantRow], list[ResultRow], list[TeamSkaterRow]]:
    """Each result row with its entrant; the entrants, each at the first row that names it;
    a relay team's skaters of each race."""
    event_id = printed.event.event_id
    entrants: dict[str, EntrantRow] = {}
    results, skaters = [], []
    for result in printed.results.results:
        who = resolved.entrants[result.entrant]
        path, line, race = result.source_file, result.source_line, result.race_id
        if who.entrant_id not in entrants:  # not built again for each later row
            entrants[who.entrant_id] = EntrantRow(
                who.entrant_id, event_id, who.kind, who.athlete_id, who.noc, who.name, path, line
            )
        results.append(
            ResultRow(
                event_id,
                race,
                who.entrant_id,
                who.athlete_id,
                who.name_as_printed,
                who.how,
                who.country_as_printed,
                result.rank,
                result.place_as_printed,
                result.time_ms,
                result.time_decimals,
                result.status,
                result.note,
                result.record_mark,
                result.notes_as_printed,
                path,
                line,
            )
        )
        skaters += [
            TeamSkaterRow(
                event_id,
                race,
                who.entrant_id,
                skater.athlete_id,
                skater.name_as_printed,
                skater.how,
                path,
                line,
            )
            for skater in who.skaters
        ]
    return list(entrants.values()), results, skaters


def _records(printed: PrintedEvent, resolved: ResolvedEvent) -> list[RecordRow]:
    rows = []
    for record in printed.records:
        who = None if record.holder is None else resolved.entrants[record.holder]
        rows.append(
            RecordRow(
                printed.event.event_id,
                record.race_id,
                record.date,
                record.time_ms,
                record.time_decimals,
                record.is_olympic_record,
                record.is_world_record,
                record.holder_as_printed,
                None if who is None else who.athlete_id,
                None if who is None else who.entrant_id,
                record.source_file,
                record.source_line,
            )
        )
    return rows


def _printed_standings(
    printed: PrintedEvent, resolved: ResolvedEvent, entrants: list[EntrantRow]
) -> list[PrintedStandingRow]:
    """The classification the page prints, each row joined to its entrant: an entrant of the
    results, once (every other row refused, all in one run)."""
    raced = {entrant.entrant_id for entrant in entrants}
    rows: dict[str, PrintedStandingRow] = {}
    problems: list[SourceError] = []
    for standing in printed.standings:
        entrant_id = resolved.entrants[standing.entrant].entrant_id
        called, path, line = standing.entrant.called, standing.entrant.path, standing.entrant.line
        if entrant_id not in raced:
            expected = "an entrant of this page's results"
            problems.append(SourceError(path, line, expected, called))
        elif entrant_id in rows:
            expected = f"one row per entrant ({called} is at line {rows[entrant_id].source_line})"
            problems.append(SourceError(path, line, expected, called))
        else:
            event_id = printed.event.event_id
            row = PrintedStandingRow(event_id, entrant_id, standing.position, called, path, line)
            rows[entrant_id] = row
    raise_all(problems)
    return list(rows.values())


def _races(printed: PrintedEvent) -> list[RaceRow]:
    """The races held (a table each) and those event.toml declares not held."""
    on_page, event_id = printed.results.races, printed.event.event_id
    return [
        *contested_races(printed.page, printed.declared, event_id, on_page),
        *uncontested_races(
            printed.toml_path, printed.toml_lines, printed.declared, event_id, on_page
        ),
    ]


def _check_record_races(printed: PrintedEvent, races: list[RaceRow]) -> None:
    """Each new record names a race of this page."""
    known = {race.race_id: race.label for race in races}
    for record in printed.records:
        if record.race_id not in known:
            raise SourceError(
                printed.page.path,
                record.source_line,
                f"a race of this page ({', '.join(known.values())})",
                record.race_id.removeprefix(f"{printed.event.event_id}/"),
            )


def _prior_records(
    printed: PrintedEvent, resolved: ResolvedEvent, declared: list[PriorRecordRow]
) -> list[PriorRecordRow]:
    """The records standing before the event: the page's, or else event.toml's (not both)."""
    prior = resolved.prior_records
    if prior and declared:
        raise SourceError(
            printed.toml_path,
            declared[0].source_line,
            f"no [prior_record]: the page states the records standing before the event "
            f"(line {prior[0].source_line})",
            "[prior_record]",
        )
    return prior or declared


def derive_event(printed: PrintedEvent, resolved: ResolvedEvent) -> EventTables:
    """The event's rows, once every printed entrant is resolved."""
    event_id, declared = printed.event.event_id, printed.declared
    rounds = round_rows(
        printed.page,
        printed.toml_path,
        printed.toml_lines,
        declared,
        event_id,
        printed.results.races,
    )
    races = _races(printed)
    _check_record_races(printed, races)
    declared_prior, rules = declared_rows(
        printed.toml_path, printed.toml_lines, declared, event_id, rounds, races
    )
    entrants, results, skaters = _results(printed, resolved)
    return EventTables(
        events=[printed.event],
        infobox=printed.infobox,
        medals=_medals(printed, resolved),
        rounds=rounds,
        races=races,
        entrants=entrants,
        team_skaters=skaters,
        results=results,
        records=_records(printed, resolved),
        prior_records=_prior_records(printed, resolved, declared_prior),
        advancement_rules=rules,
        classification=classify(
            event_id,
            entrants,
            races,
            results,
            rules,
            Ordering(declared.classification, isu=printed.event.competition_kind != "olympics"),
        ),
        printed_classification=_printed_standings(printed, resolved, entrants),
    )
