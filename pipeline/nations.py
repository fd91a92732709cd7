"""The nations of the registry, drawn from a maintained library: `python -m pipeline.nations`
writes raw/registry/nocs.csv (every IOC code with the name the registry gives it) and
raw/registry/nation_names.csv (the other spellings pages print), for review before commit.

Current codes and names come from country_converter's data (its IOC column, short and official
names). What the library lacks is declared below with its source: the names results pages print
where they differ from the library's, the historical codes, and the other spellings sources use.
`tests/test_nations.py` fails when the files in raw/ and this drawing part ways (a library
update, a hand edit): run this module and review the diff."""

from __future__ import annotations

import csv
import importlib.util
import io
import sys
from pathlib import Path

from pipeline.resolve.registry import fold

LIBRARY = "country_converter"
SOURCE = "https://en.wikipedia.org/wiki/List_of_IOC_country_codes"

# The registered name where results pages print another than the library's short name.
PRINTED_NAMES = {
    "GBR": "Great Britain",  # the Olympic team's name (library: United Kingdom)
    "TPE": "Chinese Taipei",  # the name under which Taiwan competes (library: Taiwan)
}

# Codes of past teams and NOCs, not in the library (SOURCE: "Historic NOCs and teams", and the
# Olympedia tallies in the project's reference data for EUN and ROC).
HISTORICAL = {
    "EUN": "Unified Team",
    "URS": "Soviet Union",
    "FRG": "West Germany",
    "GDR": "East Germany",
    "TCH": "Czechoslovakia",
    "YUG": "Yugoslavia",
    "SCG": "Serbia and Montenegro",
    "ROC": "ROC",
    "OAR": "Olympic Athletes from Russia",
    "AIN": "Individual Neutral Athletes",
}

# Other spellings results pages print (issue 23 names them), each with why it means that NOC.
PRINTED = "a spelling results pages print"
SPELLINGS = (
    ("KOR", "Korea", PRINTED),
    ("CZE", "Czech Republic", PRINTED),
    ("TUR", "Turkey", PRINTED),
    ("HKG", "Hong Kong, China", PRINTED),
    ("GBR", "United Kingdom", "the country_converter short name"),
    ("TPE", "Taiwan", "the country_converter short name"),
)
OFFICIAL = "the official name in country_converter"


def _library_folder() -> Path:
    """Where the library is installed, found without importing it: its package imports
    pandas, which the commands keep out of their process (pipeline.unused_imports)."""
    spec = importlib.util.find_spec(LIBRARY)  # a top-level package: found, not imported
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"No module named {LIBRARY!r}", name=LIBRARY)
    return Path(next(iter(spec.submodule_search_locations)))


def _library_rows() -> list[dict[str, str]]:
    """The library's country table, read as the data file it ships (its own reader needs an
    older pandas)."""
    data = (_library_folder() / "country_data.tsv").read_text(encoding="utf-8")
    return [row for row in csv.DictReader(io.StringIO(data), delimiter="\t") if row["IOC"]]


def nations() -> tuple[list[tuple[str, str]], list[tuple[str, str, str]]]:
    """(nocs.csv rows: NOC and name, by code; nation_names.csv rows: NOC, name, reason)."""
    names = {
        row["IOC"]: PRINTED_NAMES.get(row["IOC"], row["name_short"]) for row in _library_rows()
    }
    names.update(HISTORICAL)
    taken = {fold(code): code for code in names} | {
        fold(name): code for code, name in names.items()
    }
    spellings = []
    for code, name, reason in SPELLINGS:
        taken[fold(name)] = code
        spellings.append((code, name, reason))
    for row in _library_rows():
        code, official = row["IOC"], row["name_official"]
        if fold(official) not in taken:  # neither a name nor another nation's spelling
            taken[fold(official)] = code
            spellings.append((code, official, OFFICIAL))
    return sorted(names.items()), sorted(spellings)


def _csv(header: list[str], rows: list[tuple[str, ...]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def registry_texts() -> dict[str, str]:
    """The two registry files' text, by file name."""
    nocs, spellings = nations()
    return {
        "nocs.csv": _csv(["noc", "name"], list(nocs)),
        "nation_names.csv": _csv(["noc", "name", "reason"], list(spellings)),
    }


USAGE = "usage: python -m pipeline.nations [REGISTRY_FOLDER]  (default raw/registry)"


def main(argv: list[str]) -> int:
    """Write the files into raw/registry/ (or the registry folder given)."""
    if len(argv) > 1 or (argv and argv[0].startswith("-")):
        print(USAGE, file=sys.stderr if argv[0] not in ("-h", "--help") else sys.stdout)
        return 0 if argv[0] in ("-h", "--help") else 2
    folder = Path(argv[0] if argv else "raw/registry")
    if not folder.is_dir():
        print(f"error: {folder}: expected a registry folder, found none", file=sys.stderr)
        return 2
    for name, text in registry_texts().items():
        (folder / name).write_text(text, encoding="utf-8")
        print(f"wrote {folder / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
