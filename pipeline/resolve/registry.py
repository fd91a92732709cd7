"""The athlete and NOC registry in raw/registry/, and resolving printed names to athletes."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from core.codes import ALIAS_REASON_PLACEHOLDER
from core.errors import SourceError
from core.rows import AliasRow, AthleteRow, NationalityRow, NationRow
from pipeline.read.registry_files import read_registry_csv
from pipeline.read.snapshot import Snapshot
from pipeline.resolve.lookalike import invisible, latin_look, lookalike_letters
from pipeline.resolve.nearmatch import NearIndex

NOC_CODE = re.compile(r"[A-Z]{3}")
ALIAS_HEADERS = (["alias", "athlete_id", "reason"], ["alias", "athlete_id", "reason", "since"])
NATIONALITIES_FILE = "nationalities.csv"
NATION_NAMES_FILE = "nation_names.csv"
NATION_NAMES_HEADER = ["noc", "name", "reason"]
NATIONALITY_HEADER = ["athlete_id", "noc", "since", "reason"]
ATHLETE_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# Namesakes exist; the registry still gives each athlete a name of their own, so that a page's
# spelling never resolves to whichever of two came last.
DISAMBIGUATE = "disambiguate namesakes with distinct registry names and aliases.csv"
NEAR_SHOWN = 3  # near athletes a "did you mean" names


def fold(name: str) -> str:
    """Case- and diacritic-insensitive key: `Éric  Bédard` and `eric bedard` fold alike."""
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.casefold().split())


@dataclass
class Registry:
    """Nations, athletes and aliases, indexed for name resolution."""

    folder: str = "raw/registry"
    nations: list[NationRow] = field(default_factory=list)
    athletes: list[AthleteRow] = field(default_factory=list)
    aliases: list[AliasRow] = field(default_factory=list)
    by_id: dict[str, AthleteRow] = field(default_factory=dict)
    by_exact: dict[str, str] = field(default_factory=dict)
    by_fold: dict[str, set[str]] = field(default_factory=dict)
    by_alias: dict[str, set[str]] = field(default_factory=dict)
    # how a name looks (folded, look-alike letters made Latin) -> each fold of it -> its athlete
    by_look: dict[str, dict[str, AthleteRow]] = field(default_factory=dict)
    noc_by_key: dict[str, str] = field(default_factory=dict)
    # (folded alias, athlete) -> the alias row, for dated aliases (a name taken on a day)
    renamed: dict[tuple[str, str], AliasRow] = field(default_factory=dict)
    nationalities: list[NationalityRow] = field(default_factory=list)
    # Indexes for the per-row look-ups: nation name by NOC, each athlete's changes in date order.
    name_by_noc: dict[str, str] = field(default_factory=dict)
    changes_of: dict[str, list[NationalityRow]] = field(default_factory=dict)
    # Folded spellings of nocs.csv's nations from nation_names.csv (matched as an alias).
    nation_spellings: set[str] = field(default_factory=set)
    # The near-name index of names and aliases, and the athlete of each (built when needed).
    _near: tuple[NearIndex, list[str]] | None = field(default=None, repr=False)

    def resolve(
        self, path: str, line: int, printed: str, on: dt.date | None = None
    ) -> tuple[str, str]:
        """Return (athlete_id, how) for a printed name; how is exact, folded, alias (a reviewed
        misspelling) or renamed (a name the athlete took on a date, valid from then: `on` is the
        event's first day).

        An exact name is unique (the registry refuses two athletes of one name); a folded or
        aliased spelling must lead to one athlete through both indexes together, else the page
        line is refused rather than one of the candidates chosen."""
        exact = self.by_exact.get(printed)
        if exact is not None:
            return exact, "exact"
        key = fold(printed)
        folded = self.by_fold.get(key, set())
        aliased = self.by_alias.get(key, set())
        found = folded | aliased
        if len(found) == 1:
            athlete_id = next(iter(found))
            if folded:
                return athlete_id, "folded"
            dated = self.renamed.get((key, athlete_id))
            if dated is None:
                return athlete_id, "alias"
            if on is not None and dated.since is not None and on < dated.since:
                raise SourceError(
                    path,
                    line,
                    f"a name its athlete carried on {on.isoformat()} ({printed} is "
                    f"{athlete_id}'s name from {dated.since.isoformat()}, "
                    f"{dated.source_file}:{dated.source_line})",
                    printed,
                )
            return athlete_id, "renamed"
        if found:
            raise SourceError(
                path,
                line,
                f"a name that matches one athlete ({DISAMBIGUATE})",
                f"{printed} (matches {', '.join(sorted(found))})",
            )
        raise SourceError(
            path,
            line,
            f"an athlete in {self.folder}/athletes.csv or aliases.csv",
            printed,
            self._did_you_mean(key),
        )

    def athletes_named(self, name: str) -> set[str]:
        """Every athlete a name names: exactly, case and accents aside, or by a reviewed alias
        (a reference's spelling is matched so, never by a near match)."""
        exact = self.by_exact.get(name)
        if exact is not None:
            return {exact}
        key = fold(name)
        return self.by_fold.get(key, set()) | self.by_alias.get(key, set())

    def lookup(self, name: str) -> str | None:
        """The one athlete a name names, or None when it names nobody or several."""
        found = self.athletes_named(name)
        return next(iter(found)) if len(found) == 1 else None

    def _did_you_mean(self, key: str) -> str:
        """`did you mean …?` with the registered athletes whose name or an alias is a few
        edits from the folded name (the index is built at the first unknown name)."""
        if self._near is None:
            spellings = [(fold(a.name), a.athlete_id) for a in self.athletes]
            spellings += [(fold(a.alias), a.athlete_id) for a in self.aliases]
            self._near = (NearIndex(), [athlete_id for _, athlete_id in spellings])
            for spelling, _ in spellings:
                self._near[0].add(spelling)
        index, ids = self._near
        found = sorted({ids[position] for position in index.near(key)})
        if not found:
            return ""
        named = ", ".join(f"{self.by_id[i].name} ({i})" for i in found[:NEAR_SHOWN])
        return (
            f"did you mean {named}? A misspelling of the page is declared in "
            f"{self.folder}/aliases.csv (alias,athlete_id,reason)"
        )

    def noc_of(self, printed: str) -> str | None:
        """NOC code for a printed country: a code (`KOR`) or a nation name (`South Korea`)."""
        return self.noc_by_key.get(fold(printed))

    def noc_on(self, athlete_id: str, on: dt.date | None) -> str:
        """The NOC an athlete skated for on a day: the registered one, or the latest change of
        sporting nationality (nationalities.csv) in effect by then."""
        noc = self.by_id[athlete_id].noc
        for change in self.changes_of.get(athlete_id, ()):  # in date order
            if on is None or change.since <= on:
                noc = change.noc
        return noc

    @property
    def nation_expected(self) -> str:
        """What a country cell must be, for messages."""
        return (
            f"a NOC code or nation name from {self.folder}/nocs.csv, or a spelling from "
            f"{NATION_NAMES_FILE}"
        )

    def has_noc(self, noc: str) -> bool:
        """Whether nocs.csv lists this code."""
        return noc in self.name_by_noc

    def nation_name(self, noc: str) -> str:
        """The registered name of a listed NOC."""
        return self.name_by_noc[noc]


def add_athlete(registry: Registry, row: AthleteRow) -> None:
    """Index one athlete, refusing a malformed or repeated id, an unknown NOC, a blank name and
    a name another athlete has."""
    athletes_file, line = row.source_file, row.source_line
    if not ATHLETE_ID.fullmatch(row.athlete_id):
        raise SourceError(
            athletes_file, line, "an id of lowercase words joined by -", row.athlete_id
        )
    if row.athlete_id in registry.by_id:
        raise SourceError(athletes_file, line, "each athlete_id once", row.athlete_id)
    if not registry.has_noc(row.noc):
        raise SourceError(
            athletes_file, line, f"a NOC listed in {registry.folder}/nocs.csv", row.noc
        )
    # A blank page cell would resolve to this athlete; a zero-width space is as blank.
    if invisible(row.name):
        raise SourceError(athletes_file, line, "a non-blank name", row.name)
    if row.name in registry.by_exact:
        first = registry.by_id[registry.by_exact[row.name]].source_line
        raise SourceError(
            athletes_file,
            line,
            f"a name no other athlete has (line {first} has it; {DISAMBIGUATE})",
            row.name,
        )
    folded = fold(row.name)
    look = folded if row.name.isascii() else fold(latin_look(row.name))
    _refuse_lookalike(registry.by_look.get(look, {}), folded, row)
    registry.athletes.append(row)
    registry.by_id[row.athlete_id] = row
    registry.by_exact[row.name] = row.athlete_id
    registry.by_fold.setdefault(folded, set()).add(row.athlete_id)
    registry.by_look.setdefault(look, {}).setdefault(folded, row)


def _refuse_lookalike(same_look: dict[str, AthleteRow], folded: str, row: AthleteRow) -> None:
    """Refuse a name that looks like another athlete's but is spelt with other letters (a
    Cyrillic `а`, a zero-width space): pages would print one, and who could tell which?
    Names that fold alike (`Eric Bedard`, `Éric Bédard`) differ to the eye and stay allowed."""
    other = next((seen for key, seen in same_look.items() if key != folded), None)
    if other is None:
        return
    letters = lookalike_letters(row.name) or lookalike_letters(other.name)
    raise SourceError(
        row.source_file,
        row.source_line,
        f"a name that does not look like another athlete's ({other.name} at line "
        f"{other.source_line} looks the same; they differ by {', '.join(letters[:3])}; "
        f"{DISAMBIGUATE})",
        row.name,
    )


def load_registry(
    folder: Path, shown_as: str, *, new_registry: bool = False, files: Snapshot | None = None
) -> Registry:
    """Load nocs.csv, athletes.csv and aliases.csv, refusing duplicates and unknown references.
    With `new_registry`, a missing athletes.csv or aliases.csv is an empty one (`pipeline add`
    creates them)."""
    files = Snapshot() if files is None else files
    registry = Registry(folder=shown_as)
    nocs_file = f"{shown_as}/nocs.csv"
    nocs = read_registry_csv(folder / "nocs.csv", nocs_file, ["noc", "name"], files=files)
    for line, (noc, name) in nocs:
        if not NOC_CODE.fullmatch(noc):
            raise SourceError(nocs_file, line, "a three-letter NOC code", noc)
        if registry.has_noc(noc):
            raise SourceError(nocs_file, line, "each NOC once", noc)
        registry.nations.append(NationRow(noc, name, nocs_file, line))
        registry.name_by_noc[noc] = name
        registry.noc_by_key[fold(noc)] = noc
        registry.noc_by_key[fold(name)] = noc

    athletes_file = f"{shown_as}/athletes.csv"
    columns = ["athlete_id", "name", "noc"]
    for line, (athlete_id, name, noc) in read_registry_csv(
        folder / "athletes.csv", athletes_file, columns, missing_ok=new_registry, files=files
    ):
        add_athlete(registry, AthleteRow(athlete_id, name, noc, athletes_file, line))

    _load_aliases(registry, folder, shown_as, new_registry, files)
    _load_nation_names(registry, folder, shown_as, files)
    _load_nationalities(registry, folder, shown_as, files)
    return registry


def _day(path: str, line: int, text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise SourceError(path, line, "a date such as 2011-12-28", text) from None


def _load_aliases(
    registry: Registry, folder: Path, shown_as: str, missing_ok: bool, files: Snapshot
) -> None:
    """aliases.csv: misspellings (no date), or names an athlete took on a date (`since`)."""
    aliases_file, athletes_file = f"{shown_as}/aliases.csv", f"{shown_as}/athletes.csv"
    for line, cells in read_registry_csv(
        folder / "aliases.csv", aliases_file, *ALIAS_HEADERS, missing_ok=missing_ok, files=files
    ):
        alias, athlete_id, reason = cells[:3]
        since = _day(aliases_file, line, cells[3]) if len(cells) > 3 and cells[3] else None
        if athlete_id not in registry.by_id:
            raise SourceError(aliases_file, line, f"an athlete_id from {athletes_file}", athlete_id)
        if not reason or reason == ALIAS_REASON_PLACEHOLDER:  # a proposal pasted unreviewed
            raise SourceError(aliases_file, line, "a reason for the alias", reason)
        if invisible(alias):  # a blank page cell would resolve to this athlete
            raise SourceError(aliases_file, line, "a non-blank alias", alias)
        namesakes = registry.by_fold.get(fold(alias), set()) - {athlete_id}
        if namesakes:
            other = registry.by_id[min(namesakes)]
            raise SourceError(
                aliases_file,
                line,
                f"an alias that is not another athlete's name ({other.name} at "
                f"{athletes_file}:{other.source_line}; {DISAMBIGUATE})",
                alias,
            )
        row = AliasRow(alias, athlete_id, reason, since, aliases_file, line)
        registry.aliases.append(row)
        registry.by_alias.setdefault(fold(alias), set()).add(athlete_id)
        if since is not None:
            registry.renamed[(fold(alias), athlete_id)] = row


def _load_nation_names(registry: Registry, folder: Path, shown_as: str, files: Snapshot) -> None:
    """nation_names.csv (optional): other spellings of a nation that pages print (`Korea`,
    `Czech Republic`), each with a reason; a spelling may name one nation only."""
    path, shown = folder / NATION_NAMES_FILE, f"{shown_as}/{NATION_NAMES_FILE}"
    rows = read_registry_csv(path, shown, NATION_NAMES_HEADER, missing_ok=True, files=files)
    for line, (noc, name, reason) in rows:
        if not registry.has_noc(noc):
            raise SourceError(shown, line, f"a NOC listed in {shown_as}/nocs.csv", noc)
        if invisible(name):
            raise SourceError(shown, line, "a non-blank nation name", name)
        if not reason:
            raise SourceError(shown, line, "a reason for the spelling", reason)
        other = registry.noc_by_key.get(fold(name))
        if other is not None and other != noc:
            raise SourceError(
                shown, line, f"a spelling no other nation has ({other} is {name})", name
            )
        registry.noc_by_key[fold(name)] = noc
        registry.nation_spellings.add(fold(name))


def _load_nationalities(registry: Registry, folder: Path, shown_as: str, files: Snapshot) -> None:
    """nationalities.csv (optional): the NOC an athlete skated for from a date on."""
    path, shown = folder / NATIONALITIES_FILE, f"{shown_as}/{NATIONALITIES_FILE}"
    nocs = {nation.noc for nation in registry.nations}
    changes = read_registry_csv(path, shown, NATIONALITY_HEADER, missing_ok=True, files=files)
    for line, (athlete_id, noc, since, reason) in changes:
        if athlete_id not in registry.by_id:
            raise SourceError(
                shown, line, f"an athlete_id from {shown_as}/athletes.csv", athlete_id
            )
        if noc not in nocs:
            raise SourceError(shown, line, f"a NOC listed in {shown_as}/nocs.csv", noc)
        if not reason:
            raise SourceError(shown, line, "a reason for the change", reason)
        registry.nationalities.append(
            NationalityRow(athlete_id, noc, _day(shown, line, since), reason, shown, line)
        )
    registry.nationalities.sort(key=lambda change: change.since)
    for change in registry.nationalities:
        registry.changes_of.setdefault(change.athlete_id, []).append(change)
