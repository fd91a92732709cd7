"""From a page to its draft event.toml: the results and records as the read layer reads them
(no name is looked up), then each round's day, rules and finals not contested."""

from __future__ import annotations

from collections import defaultdict

from core.codes import ROUND_ORDER
from pipeline.add.advancement_rules import infer_rules, infer_uncontested
from pipeline.add.prose import prose_by_round, prose_days
from pipeline.add.round_days import date_rounds, day_evidence
from pipeline.add.source import SourcePage
from pipeline.add.toml_draft import Draft, RoundDraft
from pipeline.read.labels import race_id
from pipeline.read.problems import Problems
from pipeline.read.records import is_prior_table, read_records
from pipeline.read.results import PrintedResult, read_results


def draft_event(source: SourcePage, event_id: str) -> Draft:
    """The draft of a page's event.toml, from its results and records as printed; a row that
    cannot be read is refused (every such row in one run)."""
    event = source.event._replace(event_id=event_id)
    problems = Problems()
    found = read_results(source.page, event, source.tables["results"], problems)
    records = read_records(source.page, event, source.tables["records"], problems)
    problems.raise_found()
    labels = {race_id(event_id, race.label): (race.round, race.label) for race in found.races}
    rounds = sorted({race.round for race in found.races}, key=ROUND_ORDER.__getitem__)
    prose = prose_by_round(source.lines)
    known_records = [record for record in records if record.race_id in labels]
    evidence = day_evidence(
        event,
        source.fields["dates"],
        rounds,
        labels,
        known_records,
        prose_days(prose, event.start_date.year),
    )
    by_round: dict[str, list[PrintedResult]] = defaultdict(list)
    for result in found.results:
        by_round[labels[result.race_id][0]].append(result)
    printed = {label for _, label in labels.values()}
    drafts = []
    for dated in date_rounds(rounds, evidence):
        name = dated.round
        lettered = "Final" not in printed
        rules = infer_rules(name, by_round[name], prose.get(name, []), lettered, event.is_relay)
        uncontested = (
            infer_uncontested(found.results, printed, prose.get(name, []), event.is_relay)
            if name == "finals"
            else []
        )
        drafts.append(RoundDraft(dated, rules, uncontested))
    prior = [table for table in source.tables["records"] if is_prior_table(table)]
    return Draft(drafts, prior[0].header_line if prior else None)
