"""Where the page shows each entrant going after a round (the round it skates next), for the
parts of a draft that the notes alone do not say: where a note sends when that is not the
event's next round (the World Tour's heats send Q to the quarterfinals, past the repechage),
the rule that sends the others on without a note (to the repechage quarterfinals), and the
rounds the seeded enter with no earlier round."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from core.codes import ADVANCING_NOTES, NOTE_FINALS, ROUND_ORDER
from pipeline.add.advancement_rules import (
    Rule,
    lines_text,
    placed,
    prose_text,
    upper_first,
)
from pipeline.read.lines import Line
from pipeline.read.results import PrintedResult


def _who(row: PrintedResult) -> str:
    """The entrant as the page names it, for following it from round to round."""
    return row.entrant.called.casefold()


@dataclass(frozen=True)
class Paths:
    """Each result line's next round (None: the entrant skates no later round) and each
    round's results."""

    next_round: dict[int, str | None]
    first_seen: dict[str, str]  # entrant -> the first round it skates

    @classmethod
    def of(cls, by_round: dict[str, list[PrintedResult]]) -> Paths:
        rounds = sorted(by_round, key=ROUND_ORDER.__getitem__)
        skated: dict[str, list[str]] = defaultdict(list)
        for name in rounds:
            for row in by_round[name]:
                if name not in skated[_who(row)]:
                    skated[_who(row)].append(name)
        following: dict[int, str | None] = {}
        for name in rounds:
            for row in by_round[name]:
                later = [r for r in skated[_who(row)] if ROUND_ORDER[r] > ROUND_ORDER[name]]
                following[row.source_line] = later[0] if later else None
        return cls(following, {who: names[0] for who, names in skated.items()})


def with_targets(
    rules: list[Rule], rows: list[PrintedResult], paths: Paths, after: str | None
) -> list[Rule]:
    """Each rule with `to` a round when all its holders skate that round next and it is not
    the event's next round (`after`)."""
    sent = []
    for rule in rules:
        targets = {paths.next_round[row.source_line] for row in rows if row.note == rule.note}
        targets.discard(None)
        if rule.to is None and len(targets) == 1 and after not in targets:
            target = str(targets.pop())
            said = (
                f"{rule.comment} The page's {rule.note} skate the {target.replace('_', ' ')} next."
            )
            review = f"{rule.review}; to {target}, where they skate next"
            rule = Rule(rule.note, rule.ranks, rule.fastest, target, said, review)
        sent.append(rule)
    return sent


def noteless_rule(
    round_name: str, rows: list[PrintedResult], paths: Paths, prose: list[Line], who: str
) -> Rule | None:
    """The rule sending on the placed entrants the page gives no advancing note to, if any
    skates a later round: their ranks, to the round most of them skate next."""
    ranked = placed(rows)
    going = [
        row
        for row in rows
        if row.note not in ADVANCING_NOTES
        and row.source_line in ranked
        and paths.next_round[row.source_line] is not None
    ]
    if not going:
        return None
    places = [ranked[row.source_line] for row in going]
    ranks = list(range(min(places), max(places) + 1))
    counted = Counter(str(paths.next_round[row.source_line]) for row in going)
    target, _ = counted.most_common(1)[0]
    where = lines_text([row.source_line for row in going])
    said = (
        f"Page {where}: {len(going)} {who}s placed {ranks[0]}-{ranks[-1]} in the "
        f"{round_name.replace('_', ' ')} with no advancing note skate the "
        f"{target.replace('_', ' ')} next."
    )
    if len(counted) > 1:
        said += f" Others go elsewhere ({', '.join(sorted(counted))}): compare with the prose."
    said += f" {upper_first(prose_text(prose))}."
    review = (
        f"{round_name}: ranks {ranks} with no note to {target}, from page {where}: "
        f"{prose_text(prose)}"
    )
    return Rule(None, ranks, None, target, said, review)


def sent_on(rules: list[Rule], rows: list[PrintedResult], later: list[str]) -> Counter[str]:
    """How many of a round's entrants its drafted rules (and the referee) send to each later
    round."""
    ranked = placed(rows)
    best = min(rules, key=lambda rule: rule.ranks[0], default=None)
    sent: Counter[str] = Counter()
    for row in rows:
        if row.note in NOTE_FINALS:
            sent["finals"] += 1
            continue
        if row.note == "ADV":
            rule = best
        elif row.note in ADVANCING_NOTES:
            rule = next((rule for rule in rules if rule.note == row.note), None)
        else:
            rank = ranked.get(row.source_line)
            rule = next(
                (r for r in rules if r.note is None and rank is not None and rank in r.ranks),
                None,
            )
        target = rule.to if rule is not None and rule.to is not None else None
        if target is not None and target not in later:  # a race label: a final
            target = "finals"
        target = target or (later[0] if later else None)
        if target is not None:
            sent[target] += 1
    return sent


def seeded_comment(
    round_name: str, rows: list[PrintedResult], paths: Paths, sent_in: int, first: str
) -> str | None:
    """Why a round is drafted `seeded`: it has more entrants than earlier rounds sent into it
    (None if not, or it is the event's first round); those it names are the ones whose
    printed name no earlier round shows."""
    if round_name == first or len(rows) <= sent_in:
        return None
    entering = [row for row in rows if paths.first_seen[_who(row)] == round_name]
    where = lines_text([row.source_line for row in entering]) if entering else "none"
    title = round_name.replace("_", " ")
    return (
        f"The {title} have {len(rows)} entrants and earlier rounds send {sent_in} into them: "
        f"the {len(entering)} with no earlier round (page {where}) are seeded into the {title}. "
        "Review against the page's prose."
    )
