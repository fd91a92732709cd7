"""The reference files' rows as warehouse rows: each event keyed as the warehouse's Olympic
events are matched to it (Games year, gender, distance, relay), each medalist resolved through
the registry (a name, or a reviewed alias of Olympedia's spelling; never a near match)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from core.codes import MEDALS
from core.errors import InputErrors, SourceError
from core.rows import ReferenceEventRow, ReferenceMedalRow, ReferencePodiumRow
from pipeline.read.problems import raise_all
from pipeline.read.reference_files import ReferenceFile, read_reference_file
from pipeline.read.snapshot import Snapshot
from pipeline.resolve.registry import Registry

# ASCII digits only (\d would take ٣ or ２ for a digit), numbers of the sizes the tables hold.
GAMES = re.compile(r"[IVXLC]+ / (?P<year>[0-9]{4})")
TALLY_EVENT = re.compile(
    r"(?P<distance>[0-9]{1,2}(?:,[0-9]{3})?|[0-9]{3}) metres(?P<relay> Relay)?, "
    r"(?P<gender>Men|Women|Mixed)"
)
MEDAL_EVENT = re.compile(r"(?P<distance>[0-9]{3,5})M(?P<relay> Relay)?")
COUNT = re.compile(r"[0-9]{1,4}")
YEAR = re.compile(r"[0-9]{4}")
MEDALS_PRINTED = {"Gold": "gold", "Silver": "silver", "Bronze": "bronze"}
MAX_DISTANCE = 10_000  # metres: the longest relay is 5000 m
MEDAL_GENDERS = {"Men": "men", "Women": "women", "Mixed": "mixed"}
DISCIPLINE = "Short Track Speed Skating"
NOC = re.compile(r"[A-Z]{3}")


@dataclass
class References:
    """Every reference file's rows, as the tables reference_events, reference_podiums and
    reference_medals."""

    events: list[ReferenceEventRow] = field(default_factory=list)
    podiums: list[ReferencePodiumRow] = field(default_factory=list)
    medals: list[ReferenceMedalRow] = field(default_factory=list)


def event_id_for(lead: str | int, gender: str, distance_m: int, is_relay: bool) -> str:
    """`2006-men-1000m`, `2010-men-5000m-relay`: the id `pipeline add` files an Olympic event
    under (its Games year leading; off the Olympics the competition's name), and so the key a
    reference event shares with it."""
    return f"{lead}-{gender}-{distance_m}m" + ("-relay" if is_relay else "")


def athletes_named_by(registry: Registry, spellings: Iterable[str]) -> set[str]:
    """Every athlete one of a name's spellings names (a medals file's name orders)."""
    found: set[str] = set()
    for name in spellings:
        found |= registry.athletes_named(name)
    return found


class _Row:
    """One row's cells, read with the errors kept for the whole file."""

    def __init__(self, file: ReferenceFile, line: int, cells: dict[str, str]) -> None:
        self.file, self.line, self.cells = file, line, cells
        self.errors: list[SourceError] = []

    def fail(self, expected: str, found: str) -> None:
        self.errors.append(SourceError(self.file.shown, self.line, expected, found))

    def match(self, column: str, pattern: re.Pattern[str], expected: str) -> re.Match[str] | None:
        found = pattern.fullmatch(self.cells[column])
        if found is None:
            self.fail(f"{column}: {expected}", self.cells[column])
        return found

    def count(self, column: str) -> int:
        text = self.cells[column]
        if not COUNT.fullmatch(text):
            self.fail(f"{column}: a count such as 26", text)
            return 0
        return int(text)

    def distance(self, column: str, printed: str) -> int:
        metres = int(printed.replace(",", ""))
        if not 0 < metres <= MAX_DISTANCE:
            self.fail(f"{column}: a distance of at most {MAX_DISTANCE:,} metres", printed)
        return metres

    def noc(self, column: str) -> str:
        text = self.cells[column]
        if not NOC.fullmatch(text):
            self.fail(f"{column}: a three-letter NOC code", text)
        return text


def _tallies(file: ReferenceFile, registry: Registry, into: References) -> list[SourceError]:
    errors: list[SourceError] = []
    for line, cells in file.rows:
        row = _Row(file, line, cells)
        games = row.match("games", GAMES, "the Games as Roman numeral / year, e.g. XX / 2006")
        event = row.match(
            "event",
            TALLY_EVENT,
            "an event such as 1,000 metres, Men or 5,000 metres Relay, Men",
        )
        participants, countries = row.count("participants"), row.count("countries")
        nocs = [row.noc(f"{medal}_noc") for medal in MEDALS]
        distance = row.distance("event", event["distance"]) if event is not None else 0
        if games is None or event is None or row.errors:
            errors += row.errors
            continue
        gender = MEDAL_GENDERS[event["gender"]]
        relay = event["relay"] is not None
        key = event_id_for(int(games["year"]), gender, distance, relay)
        into.events.append(
            ReferenceEventRow(
                key,
                cells["games"],
                int(games["year"]),
                cells["host"],
                cells["event"],
                gender,
                distance,
                relay,
                cells["dates"],
                participants,
                countries,
                file.shown,
                line,
            )
        )
        for place, (medal, noc) in enumerate(zip(MEDALS, nocs, strict=True), start=1):
            name = cells[medal]
            found = set() if relay else registry.athletes_named(name)
            into.podiums.append(
                ReferencePodiumRow(
                    key, medal, place, name, noc, *_matched(found, relay), file.shown, line
                )
            )
    return errors


def name_orders(printed: str) -> list[str]:
    """A medals-file name, `SURNAME, Given names`, as a page may print it: given names first
    (`Apolo Anton Ohno`) or surname first (`Ahn Hyun-Soo`); the printed form too."""
    surname, comma, given = printed.partition(",")
    if not comma:
        return [printed]
    surname, given = surname.strip(), given.strip()
    return [f"{given} {surname}", f"{surname} {given}", printed]


def _matched(found: set[str], team: bool = False) -> tuple[str | None, str]:
    """(athlete_id, name_match) of a reference name that names `found`: matched (one
    athlete), unknown (none), ambiguous (several: never one of them chosen), or team."""
    if team:
        return None, "team"
    if len(found) == 1:
        return next(iter(found)), "matched"
    return None, "ambiguous" if found else "unknown"


def _medalist(registry: Registry, printed: str) -> tuple[str | None, str]:
    """The athlete the orders of a medals-file name name, as _matched tells it."""
    return _matched(athletes_named_by(registry, name_orders(printed)))


def _medals(file: ReferenceFile, registry: Registry, into: References) -> list[SourceError]:
    errors: list[SourceError] = []
    for line, cells in file.rows:
        row = _Row(file, line, cells)
        year = row.match("Year", YEAR, "a year such as 2006")
        event = row.match("Event", MEDAL_EVENT, "an event such as 1000M or 5000M Relay")
        gender = MEDAL_GENDERS.get(cells["Gender"])
        if gender is None:
            row.fail("Gender: Men, Women or Mixed", cells["Gender"])
        medal = MEDALS_PRINTED.get(cells["Medal"], "")
        if not medal:
            row.fail("Medal: Gold, Silver or Bronze", cells["Medal"])
        if cells["Discipline"] != DISCIPLINE:
            row.fail(f"Discipline: {DISCIPLINE}", cells["Discipline"])
        noc = row.noc("Country")
        distance = row.distance("Event", event["distance"]) if event is not None else 0
        if year is None or event is None or gender is None or row.errors:
            errors += row.errors
            continue
        relay = event["relay"] is not None
        into.medals.append(
            ReferenceMedalRow(
                event_id_for(int(year[0]), gender, distance, relay),
                int(year[0]),
                cells["City"],
                cells["Athlete"],
                noc,
                gender,
                cells["Event"],
                distance,
                relay,
                medal,
                *_medalist(registry, cells["Athlete"]),
                file.shown,
                line,
            )
        )
    return errors


def load_references(
    paths: Iterable[tuple[Path, str]], registry: Registry, files: Snapshot
) -> References:
    """Every reference file (path, shown as) read and resolved; every malformed row of every
    file refused in one run."""
    found, errors = References(), []
    for path, shown in paths:
        try:
            file = read_reference_file(path, shown, files)
        except SourceError as error:
            errors.append(error)
            continue
        except InputErrors as found_several:  # every wrong row of the file
            errors += [e for e in found_several.errors if isinstance(e, SourceError)]
            continue
        read = _tallies if file.kind == "tallies" else _medals
        errors += read(file, registry, found)
    raise_all(errors)
    return found
