"""The athletes a page names that the registry lacks: one new athlete per folded spelling, with
the NOC the page gives it and a stable id. A name that may be someone already known (a near
match of the same NOC), or that the page gives no NOC or two, needs a person: it is refused,
with the line that would settle it."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import chain, count

from core.errors import EXCERPT_CHARS, PipelineError, SourceError, excerpt
from core.rows import AthleteRow
from pipeline.add.names import Printed
from pipeline.resolve.nearmatch import NEAR, NearIndex
from pipeline.resolve.registry import Registry, add_athlete, fold

# Letters NFKD does not split into a base letter and an accent.
TRANSLITERATED = str.maketrans(
    {"ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ı": "i"}
)
REASON = "<reason>"  # what a person writes in aliases.csv: why this spelling is this athlete
NOC_PLACEHOLDER = "<NOC>"
NEAR_SHOWN = 5  # near athletes named in one refusal; more are counted, so the line stays short


def slug(name: str) -> str:
    """`François-Louis Tremblay` -> `francois-louis-tremblay`: ASCII words joined by -."""
    ascii_only = fold(name).translate(TRANSLITERATED).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_only)) or "athlete"


def _short(text: str) -> str:
    """A name or id as written in advice: itself, or an excerpt if it is long."""
    return text if len(text) <= EXCERPT_CHARS else excerpt(text)


def csv_line(*cells: str) -> str:
    """One registry CSV line, quoted where a cell needs it."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(cells)
    return buffer.getvalue()


@dataclass(frozen=True)
class NewName:
    """A spelling no registered athlete has: the athlete it would be registered as."""

    athlete_id: str
    name: str
    key: str  # folded
    noc: str | None
    where: str  # page:line of its first printing


@dataclass
class Ledger:
    """The registry as it grows during one `pipeline add`, and the athletes it adds."""

    registry: Registry
    next_line: int  # the line of athletes.csv the next new athlete takes
    new: list[NewName] = field(default_factory=list)
    rows: list[AthleteRow] = field(default_factory=list)
    # Folded names and aliases of the athletes registered before this add, folded once: each
    # new name is compared with those of them the index offers.
    spellings: list[tuple[str, AthleteRow]] = field(init=False, default_factory=list)
    # The spellings, and the keys of `new` as it grows, indexed for the near-match search.
    near_spellings: NearIndex = field(init=False, default_factory=NearIndex)
    near_new: NearIndex = field(init=False, default_factory=NearIndex)
    # The ids of `new` as it grows (unique: each was free when given).
    new_ids: set[str] = field(init=False, default_factory=set)

    def __post_init__(self) -> None:
        registry = self.registry
        self.spellings = [(fold(athlete.name), athlete) for athlete in registry.athletes]
        self.spellings += [
            (fold(alias.alias), registry.by_id[alias.athlete_id]) for alias in registry.aliases
        ]
        for spelling, _ in self.spellings:
            self.near_spellings.add(spelling)

    @property
    def athletes_file(self) -> str:
        return f"{self.registry.folder}/athletes.csv"

    @property
    def aliases_file(self) -> str:
        return f"{self.registry.folder}/aliases.csv"

    def free_id(self, name: str, noc: str | None) -> str:
        """A slug of the name no athlete has: the NOC, then a number, added on a collision."""
        self.new_ids.update(new.athlete_id for new in self.new[len(self.new_ids) :])
        base = slug(name)
        last = f"{base}-{noc.lower()}" if noc else base
        tries = chain(dict.fromkeys([base, last]), (f"{last}-{number}" for number in count(2)))
        return next(
            candidate
            for candidate in tries
            if candidate not in self.registry.by_id and candidate not in self.new_ids
        )


def _known(registry: Registry, name: str) -> bool:
    key = fold(name)
    return name in registry.by_exact or key in registry.by_fold or key in registry.by_alias


def _spelling(printings: list[Printed]) -> str:
    """The spelling a page uses most for one athlete (the first, on a tie)."""
    counts = Counter(printed.name for printed in printings)
    first: dict[str, int] = {}
    for index, printed in enumerate(printings):
        first.setdefault(printed.name, index)
    return max(counts, key=lambda name: (counts[name], -first[name]))


def _near_registered(ledger: Ledger, key: str, noc: str | None) -> list[AthleteRow]:
    """Registered athletes (of that NOC, if known) whose name or an alias is near `key`."""
    found: dict[str, AthleteRow] = {}
    for position in ledger.near_spellings.near(key):
        athlete = ledger.spellings[position][1]
        if noc is None or athlete.noc == noc:
            found.setdefault(athlete.athlete_id, athlete)
    return list(found.values())


def _near_new(ledger: Ledger, key: str, noc: str | None) -> list[NewName]:
    """Names new in this run (this page's or an earlier page's) near `key`, of that NOC."""
    for new in ledger.new[len(ledger.near_new) :]:  # named since the last search
        ledger.near_new.add(new.key)
    near = [ledger.new[position] for position in ledger.near_new.near(key)]
    return [new for new in near if noc is None or new.noc is None or new.noc == noc]


def _near_advice(ledger: Ledger, printed: str, noc: str | None, key: str) -> str | None:
    """What to add if `printed` is an athlete already known or just named: one clause each."""
    clauses = []
    printed = _short(printed)
    for athlete in _near_registered(ledger, key, noc):
        alias = csv_line(printed, _short(athlete.athlete_id), REASON)
        clauses.append(
            f"if it is {_short(athlete.name)} ({athlete.noc}, {athlete.source_file}:"
            f"{athlete.source_line}), add to {ledger.aliases_file}: {alias}"
        )
    for new in _near_new(ledger, key, noc):
        athlete_id, name = _short(new.athlete_id), _short(new.name)
        row = csv_line(athlete_id, name, new.noc or NOC_PLACEHOLDER)
        alias = csv_line(printed, athlete_id, REASON)
        clauses.append(
            f"if it is {name} ({new.noc or 'no NOC'}, {new.where}, new), add to "
            f"{ledger.athletes_file}: {row} and to {ledger.aliases_file}: {alias}"
        )
    if not clauses:
        return None
    if len(clauses) > NEAR_SHOWN:
        unlisted = len(clauses) - NEAR_SHOWN
        clauses[NEAR_SHOWN:] = [f"{unlisted:,} more near athlete{'s' * (unlisted > 1)} not listed"]
    other = f"if it is another athlete, add them to {ledger.athletes_file}"
    return "; ".join([*clauses, other])


def _noc(path: str, name: str, printings: list[Printed]) -> tuple[str | None, SourceError | None]:
    """The one NOC the page gives an athlete; a second one is a problem at its line."""
    first = next((printed for printed in printings if printed.noc is not None), None)
    if first is None:
        return None, None
    for printed in printings:
        if printed.noc is not None and printed.noc != first.noc:
            expected = f"{first.noc} for {name} as at line {first.line}"
            return first.noc, SourceError(path, printed.line, expected, printed.said or "")
    return first.noc, None


def _problem(ledger: Ledger, path: str, name: str, printings: list[Printed]) -> SourceError | None:
    """Why the athlete of these printings cannot be registered without a person, if so."""
    key, line = fold(name), printings[0].line
    noc, disagreement = _noc(path, name, printings)
    if disagreement is not None:
        return disagreement
    advice = _near_advice(ledger, name, noc, key)
    if advice is not None:
        expected = (
            f"a registered athlete, or a new name more than {NEAR} edits from every other of "
            "its NOC"
        )
        return SourceError(path, line, expected, name, advice)
    if noc is None:
        expected = "a NOC for a new athlete (a Country cell, a bracketed (KOR) or a medal NOC)"
        advice = f"no NOC for {name}: add it to {ledger.athletes_file}"
        return SourceError(path, line, expected, name, advice)
    return None


def _known_problem(ledger: Ledger, path: str, printed: Printed) -> SourceError | None:
    """Why a registered name cannot stand at this line: two athletes answer to it, or the page
    gives it a NOC its athlete does not have (as the parser would refuse it)."""
    try:
        athlete_id, _ = ledger.registry.resolve(path, printed.line, printed.name)
    except SourceError as ambiguous:
        return ambiguous
    athlete = ledger.registry.by_id[athlete_id]
    if not printed.checked or printed.noc == athlete.noc:
        return None
    expected = f"{athlete.noc} for {athlete.name} ({athlete.source_file}:{athlete.source_line})"
    return SourceError(path, printed.line, expected, printed.said or "")


def register_names(ledger: Ledger, path: str, names: list[Printed]) -> list[PipelineError]:
    """Register, in the ledger, one athlete per new folded spelling of `names` (in line order);
    return the problems of the names that need a person instead."""
    problems: list[PipelineError] = []
    groups: dict[str, list[Printed]] = {}
    for printed in names:
        if not _known(ledger.registry, printed.name):
            groups.setdefault(fold(printed.name), []).append(printed)
        elif (problem := _known_problem(ledger, path, printed)) is not None:
            problems.append(problem)
    for key, printings in groups.items():
        name = _spelling(printings)
        problem = _problem(ledger, path, name, printings)
        noc = _noc(path, name, printings)[0]
        # A refused name is remembered too: a later spelling near it is the same question.
        new = NewName(ledger.free_id(name, noc), name, key, noc, f"{path}:{printings[0].line}")
        if problem is not None:
            problems.append(problem)
        else:
            assert noc is not None
            row = AthleteRow(new.athlete_id, name, noc, ledger.athletes_file, ledger.next_line)
            add_athlete(ledger.registry, row)
            ledger.rows.append(row)
            ledger.next_line += 1
        ledger.new.append(new)
    return problems
