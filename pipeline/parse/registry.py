"""The athlete and NOC registry in raw/registry/, and resolving printed names to athletes."""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import InputError, SourceError
from pipeline.rows import AliasRow, AthleteRow, NationRow

NOC_CODE = re.compile(r"[A-Z]{3}")
ATHLETE_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# Namesakes exist; the registry still gives each athlete a name of their own, so that a page's
# spelling never resolves to whichever of two came last.
DISAMBIGUATE = "disambiguate namesakes with distinct registry names and aliases.csv"


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
    noc_by_key: dict[str, str] = field(default_factory=dict)

    def resolve(self, path: str, line: int, printed: str) -> tuple[str, str]:
        """Return (athlete_id, how) for a printed name; how is exact, folded or alias.

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
            return next(iter(found)), "folded" if folded else "alias"
        if found:
            raise SourceError(
                path,
                line,
                f"a name that matches one athlete ({DISAMBIGUATE})",
                f"{printed} (matches {', '.join(sorted(found))})",
            )
        raise SourceError(
            path, line, f"an athlete in {self.folder}/athletes.csv or aliases.csv", printed
        )

    def noc_of(self, printed: str) -> str | None:
        """NOC code for a printed country: a code (`KOR`) or a nation name (`South Korea`)."""
        return self.noc_by_key.get(fold(printed))

    def has_noc(self, noc: str) -> bool:
        """Whether nocs.csv lists this code."""
        return any(nation.noc == noc for nation in self.nations)

    def nation_name(self, noc: str) -> str:
        """The registered name of a listed NOC."""
        return next(nation.name for nation in self.nations if nation.noc == noc)


def _read_csv(
    path: Path, shown_as: str, columns: list[str], missing_ok: bool = False
) -> list[tuple[int, list[str]]]:
    """Rows of a registry CSV with their line numbers, after checking the header; a missing
    file is refused unless `missing_ok` (then it has no rows)."""
    if missing_ok and not path.exists():
        return []
    if not path.is_file():
        raise InputError(shown_as, "expected a registry CSV file, found none")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(shown_as, "expected UTF-8 text, found undecodable bytes") from None
    reader = csv.reader(text.splitlines())
    header = next(reader, [])
    if header != columns:
        raise SourceError(shown_as, 1, f"the header {','.join(columns)}", ",".join(header))
    found = []
    for cells in reader:
        if not cells:
            continue
        if len(cells) != len(columns):
            raise SourceError(
                shown_as, reader.line_num, f"{len(columns)} fields", f"{len(cells)} fields"
            )
        found.append((reader.line_num, [cell.strip() for cell in cells]))
    return found


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
    if row.noc not in registry.noc_by_key.values():
        raise SourceError(
            athletes_file, line, f"a NOC listed in {registry.folder}/nocs.csv", row.noc
        )
    if not fold(row.name):  # a blank page cell would resolve to this athlete
        raise SourceError(athletes_file, line, "a non-blank name", row.name)
    if row.name in registry.by_exact:
        first = registry.by_id[registry.by_exact[row.name]].source_line
        raise SourceError(
            athletes_file,
            line,
            f"a name no other athlete has (line {first} has it; {DISAMBIGUATE})",
            row.name,
        )
    registry.athletes.append(row)
    registry.by_id[row.athlete_id] = row
    registry.by_exact[row.name] = row.athlete_id
    registry.by_fold.setdefault(fold(row.name), set()).add(row.athlete_id)


def load_registry(folder: Path, shown_as: str, *, new_registry: bool = False) -> Registry:
    """Load nocs.csv, athletes.csv and aliases.csv, refusing duplicates and unknown references.
    With `new_registry`, a missing athletes.csv or aliases.csv is an empty one (`pipeline add`
    creates them)."""
    registry = Registry(folder=shown_as)
    nocs_file = f"{shown_as}/nocs.csv"
    for line, (noc, name) in _read_csv(folder / "nocs.csv", nocs_file, ["noc", "name"]):
        if not NOC_CODE.fullmatch(noc):
            raise SourceError(nocs_file, line, "a three-letter NOC code", noc)
        if noc in registry.noc_by_key.values():
            raise SourceError(nocs_file, line, "each NOC once", noc)
        registry.nations.append(NationRow(noc, name, nocs_file, line))
        registry.noc_by_key[fold(noc)] = noc
        registry.noc_by_key[fold(name)] = noc

    athletes_file = f"{shown_as}/athletes.csv"
    columns = ["athlete_id", "name", "noc"]
    for line, (athlete_id, name, noc) in _read_csv(
        folder / "athletes.csv", athletes_file, columns, missing_ok=new_registry
    ):
        add_athlete(registry, AthleteRow(athlete_id, name, noc, athletes_file, line))

    aliases_file = f"{shown_as}/aliases.csv"
    columns = ["alias", "athlete_id", "reason"]
    for line, (alias, athlete_id, reason) in _read_csv(
        folder / "aliases.csv", aliases_file, columns, missing_ok=new_registry
    ):
        if athlete_id not in registry.by_id:
            raise SourceError(aliases_file, line, f"an athlete_id from {athletes_file}", athlete_id)
        if not reason:
            raise SourceError(aliases_file, line, "a reason for the alias", reason)
        if not fold(alias):  # a blank page cell would resolve to this athlete
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
        registry.aliases.append(AliasRow(alias, athlete_id, reason, aliases_file, line))
        registry.by_alias.setdefault(fold(alias), set()).add(athlete_id)
    return registry
