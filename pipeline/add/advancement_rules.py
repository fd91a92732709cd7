"""Who advances from each round, read from the notes the page prints: a rule per note (Q, q,
QA, QB) over the ranks it was given to, `fastest = N` where only some skaters of those ranks
got it across the round, `to` a lettered final; and the finals a round qualified skaters for
that the page has no table for (not contested)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from core.codes import NOTE_FINALS, RANKED_STATUSES, REFEREE_NOTES
from core.errors import SourceError
from core.timefmt import format_time
from pipeline.read.lines import Line
from pipeline.read.results import PrintedResult

RULE_NOTES = ("Q", "q", "QA", "QB", "qA", "qB")


@dataclass(frozen=True)
class Rule:
    """One `advance` entry, the comment citing the page, and the line to review."""

    note: str | None  # None: those of its ranks the page gives no advancing note
    ranks: list[int]
    fastest: int | None
    to: str | None
    comment: str
    review: str


@dataclass(frozen=True)
class NotContested:
    """One `uncontested` entry, the comment citing the page, and the line to review."""

    label: str
    reason: str
    comment: str
    review: str


def lines_text(numbers: list[int]) -> str:
    """`line 112`, `lines 57 and 58`, `lines 47, 57 and 58`, or `lines 37-59` for many."""
    numbers = sorted(set(numbers))
    if len(numbers) == 1:
        return f"line {numbers[0]}"
    if len(numbers) <= 4:
        return f"lines {', '.join(map(str, numbers[:-1]))} and {numbers[-1]}"
    return f"lines {numbers[0]}-{numbers[-1]}"


def upper_first(text: str) -> str:
    """The text as a sentence's start."""
    return text[:1].upper() + text[1:]


def prose_text(prose: list[Line]) -> str:
    """Where to review a rule: the prose under its round's heading."""
    if not prose:
        return "the page has no prose under this round's heading: review against the results"
    return f"review against the page's prose ({lines_text([line.number for line in prose])})"


def placed(results: list[PrintedResult]) -> dict[int, int]:
    """Result line -> rank as the checks count it: a dead heat (same time in the same race)
    places both skaters at the better rank."""
    best: dict[tuple[str, int], int] = {}
    for row in results:
        if row.status == "finished" and row.rank is not None and row.time_ms is not None:
            key = (row.race_id, row.time_ms)
            best[key] = min(best.get(key, row.rank), row.rank)
    return {
        row.source_line: best[(row.race_id, row.time_ms)] if row.time_ms is not None else row.rank
        for row in results
        if row.status in RANKED_STATUSES and row.rank is not None
    }


def ranks_text(ranks: list[int]) -> str:
    return str(ranks[0]) if len(ranks) == 1 else f"{ranks[0]}-{ranks[-1]}"


def _dead_heats(holders: list[PrintedResult]) -> str:
    """A sentence naming the holders that tie in one race, if any."""
    by_time: dict[tuple[str, int | None], list[PrintedResult]] = defaultdict(list)
    for row in holders:
        by_time[(row.race_id, row.time_ms)].append(row)
    ties = [rows for rows in by_time.values() if len(rows) > 1]
    return "".join(
        f" {upper_first(lines_text([row.source_line for row in rows]))} are a dead heat in "
        f"{format_time(rows[0].time_ms or 0, rows[0].time_decimals or 3)}, so the page's prose "
        "may count them as one."
        for rows in ties
    )


def _everyone(note: str, spread: str, where: str, referee: list[PrintedResult], who: str) -> str:
    """The comment of a rule every entrant of its ranks got (but the referee's)."""
    said = f"Page {where}: {note} to every {who} {spread}"
    if referee:
        said += f", but those the referee advanced ({lines_text([r.source_line for r in referee])})"
    return said + "."


def _fastest(
    note: str,
    spread: str,
    where: str,
    holders: list[PrintedResult],
    field: list[PrintedResult],
    who: str,
) -> tuple[int, str]:
    """`fastest` (every skater of the ranks as fast as the slowest holder) and its comment."""
    slowest = max((row.time_ms for row in holders if row.time_ms is not None), default=0)
    quick = [row for row in field if row.time_ms is not None and row.time_ms <= slowest]
    said = (
        f"Page {where}: {note} to {len(holders)} of the {len(field)} {who}s {spread}, the "
        f"{len(quick)} fastest.{_dead_heats(holders)}"
    )
    if any(row.note != note and row.note not in REFEREE_NOTES for row in quick):
        said += " The notes follow no fastest-N rule: compare them with the prose."
    return len(quick), said


def _rule(
    round_name: str, note: str, results: list[PrintedResult], prose: list[Line], who: str
) -> Rule:
    """The rule that gives `note` exactly to the skaters the page gives it to, if one does."""
    ranked = placed(results)
    holders = [row for row in results if row.note == note]
    places = [ranked[row.source_line] for row in holders if row.source_line in ranked]
    ranks = list(range(min(places), max(places) + 1)) if places else [1]
    field = [row for row in results if ranked.get(row.source_line) in ranks]
    referee = [row for row in field if row.note in REFEREE_NOTES]
    where = lines_text([row.source_line for row in holders])
    spread = f"placed {ranks_text(ranks)} in the {round_name.replace('_', ' ')}"
    fastest = None
    if all(row.note == note or row.note in REFEREE_NOTES for row in field):
        said = _everyone(note, spread, where, referee, who)
    else:
        fastest, said = _fastest(note, spread, where, holders, field, who)
    to = NOTE_FINALS.get(note)
    said += f" {upper_first(prose_text(prose))}."
    rule_text = f"{note} ranks {ranks}" + (f", fastest {fastest}" if fastest else "")
    rule_text += f", to {to}" if to else ""
    if _dead_heats(holders):
        rule_text += " (a dead heat among them)"
    review = f"{round_name}: {rule_text}, from the notes on page {where}: {prose_text(prose)}"
    return Rule(note, ranks, fastest, to, said, review)


def infer_rules(
    round_name: str, results: list[PrintedResult], prose: list[Line], lettered: bool, relay: bool
) -> list[Rule]:
    """A rule per advancing note of the round's results, ordered by the ranks they cover."""
    notes = [note for note in RULE_NOTES if any(row.note == note for row in results)]
    who = "team" if relay else "skater"
    rules = [_rule(round_name, note, results, prose, who) for note in notes]
    if not lettered:  # a single `Final`: QA leads into the next round, whatever it is called
        rules = [Rule(r.note, r.ranks, r.fastest, None, r.comment, r.review) for r in rules]
    return sorted(rules, key=lambda rule: (rule.ranks[0], rule.note))


def infer_uncontested(
    results: list[PrintedResult], labels: set[str], prose: list[Line], relay: bool
) -> list[NotContested]:
    """Finals that skaters qualified for (QA/QB, ADVA/ADVB) but that have no table: one
    qualifier, a race not contested; more, a table missing from the page (refused)."""
    qualified: dict[str, list[PrintedResult]] = defaultdict(list)
    for row in results:
        target = NOTE_FINALS.get(row.note or "")
        if target is not None and target not in labels:
            qualified[target].append(row)
    found = []
    for label, rows in sorted(qualified.items()):
        where = lines_text([row.source_line for row in rows])
        if len(rows) > 1:  # a race with a field was skated: its table is missing
            who = "teams" if relay else "skaters"
            expected = f"a {label} table ({len(rows)} {who} qualified for it, page {where})"
            raise SourceError(rows[0].source_file, rows[0].source_line, expected, "none")
        notes = "/".join(sorted({row.note or "" for row in rows}))
        who = (
            f"only {rows[0].entrant.called} qualified"
            if len(rows) == 1
            else f"{len(rows)} {'teams' if relay else 'skaters'} qualified"
        )
        reason = (
            f"Page {where}: {who} for {label} ({notes}) and the page has no {label} table, "
            "so it was not contested."
        )
        comment = f"{reason} {upper_first(prose_text(prose))}."
        review = f"finals: {label} not contested, from page {where}: {prose_text(prose)}"
        found.append(NotContested(label, reason, comment, review))
    return found
