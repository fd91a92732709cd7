"""From a page to its draft event.toml: the results and records as the read layer reads them
(no name is looked up), then each round's day, rules and finals not contested."""

from __future__ import annotations

from collections import Counter, defaultdict

from core.codes import ROUND_ORDER
from pipeline.add.advancement_rules import Rule, infer_rules, infer_uncontested
from pipeline.add.paths import (
    Identify,
    Paths,
    noteless_rule,
    printed_identity,
    seeded_comment,
    sent_on,
    with_targets,
)
from pipeline.add.prose import prose_by_round, prose_days
from pipeline.add.round_days import date_rounds, day_evidence
from pipeline.add.source import SourcePage
from pipeline.add.toml_draft import Draft, RoundDraft
from pipeline.read.labels import race_id
from pipeline.read.lines import Line
from pipeline.read.problems import Problems
from pipeline.read.records import is_prior_table, read_records
from pipeline.read.results import PrintedResult, read_results


def draft_event(source: SourcePage, event_id: str, who: Identify = printed_identity) -> Draft:
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
    paths = Paths.of(by_round, who)
    drafts = []
    sent: Counter[str] = Counter()
    for index, dated in enumerate(date_rounds(rounds, evidence)):
        name, said, later = dated.round, prose.get(dated.round, []), rounds[index + 1 :]
        rules = _round_rules(name, by_round[name], said, paths, later, printed, event.is_relay)
        uncontested = (
            infer_uncontested(found.results, printed, said, event.is_relay)
            if name == "finals"
            else []
        )
        seeded = seeded_comment(name, by_round[name], paths, sent[name], rounds[0])
        sent += sent_on(rules, by_round[name], later)
        drafts.append(RoundDraft(dated, rules, uncontested, seeded))
    prior = [table for table in source.tables["records"] if is_prior_table(table)]
    return Draft(drafts, prior[0].header_line if prior else None)


def _round_rules(
    name: str,
    rows: list[PrintedResult],
    prose: list[Line],
    paths: Paths,
    later: list[str],
    printed: set[str],
    relay: bool,
) -> list[Rule]:
    """A round's rules: one per advancing note, each `to` the round its holders skate next
    where that is not the next round, and one without a note for those sent on unmarked."""
    lettered = "Final" not in printed
    who = "team" if relay else "skater"
    rules = infer_rules(name, rows, prose, lettered, relay)
    rules = with_targets(rules, rows, paths, later[0] if later else None)
    noteless = noteless_rule(name, rows, paths, prose, rules, who)
    if noteless is not None:
        rules.append(noteless)
    return sorted(rules, key=lambda rule: (rule.ranks[0], rule.note or ""))
