"""Where the page shows each entrant going after a round (the round it skates next), for the
parts of a draft that the notes alone do not say: where a note sends when that is not the
event's next round (the World Tour's heats send Q to the quarterfinals, past the repechage),
the rule that sends the others on without a note (to the repechage quarterfinals), and the
rounds the seeded enter with no earlier round."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from core.codes import ADVANCING_NOTES, NOTE_FINALS, PENALTY_NOTES, ROUND_ORDER
from core.errors import SourceError
from pipeline.add.advancement_rules import (
    Rule,
    lines_text,
    placed,
    prose_text,
    ranks_text,
    upper_first,
)
from pipeline.read.lines import Line
from pipeline.read.results import PrintedResult
from pipeline.resolve.registry import Registry, fold
from pipeline.resolve.teams import team_noc

# Who an entrant is, to follow it from round to round: a page may spell one skater two ways.
Identify = Callable[[PrintedResult], str]


def printed_identity(row: PrintedResult) -> str:
    """The entrant as the page names it, case and accents aside (no registry at hand)."""
    return fold(row.entrant.called)


def registered_identity(registry: Registry) -> Identify:
    """The entrant as the registry knows it (an athlete id, a team's NOC), aliases and
    spellings included; as printed where the registry cannot tell."""

    def identify(row: PrintedResult) -> str:
        entrant = row.entrant
        try:
            if entrant.relay:
                return team_noc(entrant.path, entrant.line, registry, entrant.country or "")[0]
            return registry.resolve(entrant.path, entrant.line, entrant.called)[0]
        except SourceError:
            return printed_identity(row)

    return identify


@dataclass(frozen=True)
class Paths:
    """Each result line's next round (None: the entrant skates no later round), and the
    result lines whose entrant skates no earlier round."""

    next_round: dict[int, str | None]
    first_round: frozenset[int]

    @classmethod
    def of(cls, by_round: dict[str, list[PrintedResult]], who: Identify) -> Paths:
        rounds = sorted(by_round, key=ROUND_ORDER.__getitem__)
        entrant = {row.source_line: who(row) for name in rounds for row in by_round[name]}
        skated: dict[str, list[str]] = defaultdict(list)  # entrant -> its rounds, in order
        for name in rounds:
            for row in by_round[name]:
                if name not in skated[entrant[row.source_line]]:
                    skated[entrant[row.source_line]].append(name)
        following: dict[int, str | None] = {}
        first: set[int] = set()
        for name in rounds:
            for row in by_round[name]:
                its = skated[entrant[row.source_line]]
                later = [r for r in its if ROUND_ORDER[r] > ROUND_ORDER[name]]
                following[row.source_line] = later[0] if later else None
                if its[0] == name:
                    first.add(row.source_line)
        return cls(following, frozenset(first))


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


def _sent_unmarked(rows: list[PrintedResult], ranked: dict[int, int]) -> list[PrintedResult]:
    """Placed entrants with no advancing note and no penalty."""
    return [
        row
        for row in rows
        if row.note not in ADVANCING_NOTES
        and row.note not in PENALTY_NOTES
        and row.source_line in ranked
    ]


def noteless_rule(
    round_name: str,
    rows: list[PrintedResult],
    paths: Paths,
    prose: list[Line],
    noted: list[Rule],
    who: str,
) -> Rule | None:
    """The rule sending on the placed entrants the page gives no advancing note, where the
    page shows one: at least two of them skate a later round, and at each of their places
    every unmarked entrant skates that same round next and no noted rule covers the place.
    One unmarked skater turning up later is a mistake for the checks to find, not a rule."""
    ranked = placed(rows)
    unmarked = _sent_unmarked(rows, ranked)
    going = [row for row in unmarked if paths.next_round[row.source_line] is not None]
    if len(going) < 2:
        return None
    places = sorted({ranked[row.source_line] for row in going})
    ranks = list(range(places[0], places[-1] + 1))
    targets = {
        paths.next_round[row.source_line] for row in unmarked if ranked[row.source_line] in ranks
    }
    covered = {rank for rule in noted for rank in rule.ranks}
    if len(targets) != 1 or None in targets or covered & set(ranks):
        return None
    target = str(targets.pop())
    where = lines_text([row.source_line for row in going])
    title = round_name.replace("_", " ")
    said = (
        f"Page {where}: every {who} placed {ranks_text(ranks)} in the {title} with no "
        f"advancing note ({len(going)}) skates the {target.replace('_', ' ')} next. "
        f"{upper_first(prose_text(prose))}."
    )
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
    entering = [row for row in rows if row.source_line in paths.first_round]
    where = lines_text([row.source_line for row in entering]) if entering else "none"
    title = round_name.replace("_", " ")
    newcomers = "the one" if len(entering) == 1 else f"the {len(entering)}"
    verb = "is" if len(entering) == 1 else "are"
    return (
        f"The {title} have {len(rows)} entrants and earlier rounds send {sent_in} into them: "
        f"{newcomers} with no earlier round (page {where}) {verb} seeded into the {title}. "
        "Review against the page's prose."
    )
