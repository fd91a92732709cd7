"""The athlete names a page prints, each with the NOC the page gives it there: a Country cell,
a bracketed `(KOR)`, a relay team's nation, or the infobox medal NOC. The printed entrants come
from the read layer (results, records holders, medallists), as `pipeline run` reads them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from core.errors import PipelineError, SourceError
from pipeline.add.source import SourcePage
from pipeline.read.infobox import PrintedMedal, read_infobox
from pipeline.read.printed import PrintedEntrant, split_noc_suffix, split_skaters
from pipeline.read.problems import Problems
from pipeline.read.records import read_records
from pipeline.read.results import read_results
from pipeline.resolve.registry import Registry
from pipeline.resolve.teams import team_noc


class Printed(NamedTuple):
    """One printing of a name, and the NOC the page gives it at that place (None: no word)."""

    name: str
    line: int
    noc: str | None
    said: str | None  # the NOC or nation as printed there
    checked: bool = False  # the parser holds a registered athlete to this NOC (a table cell)


@dataclass
class PrintedNames:
    """Every printed name in line order, and the nations the page prints that nocs.csv lacks."""

    names: list[Printed] = field(default_factory=list)
    problems: list[PipelineError] = field(default_factory=list)


class _Reader:
    """Collects names and nation problems from one page."""

    def __init__(self, source: SourcePage, registry: Registry) -> None:
        self.path = source.path
        self.registry = registry
        self.found = PrintedNames()

    def unknown_nation(self, line: int, country: str) -> None:
        expected = self.registry.nation_expected
        self.found.problems.append(SourceError(self.path, line, expected, country))

    def athlete(self, line: int, cell: str, country: str | None) -> None:
        """An individual's cell, `Name` or `Name (KOR)`, with its Country cell if any."""
        name, noc, said = cell, None, None
        bracketed = split_noc_suffix(cell)
        if bracketed is not None:
            name, said = bracketed
            if not self.registry.has_noc(said):
                self.unknown_nation(line, said)
                return
            noc = said
        if country is not None:
            in_cell = self.registry.noc_of(country)
            if in_cell is None:
                self.unknown_nation(line, country)
                return
            if noc is not None and in_cell != noc:
                expected = f"the country cell to agree with the bracketed {noc}"
                self.found.problems.append(SourceError(self.path, line, expected, country))
                return
            noc, said = in_cell, country
        self.found.names.append(Printed(name, line, noc, said, checked=said is not None))

    def team(self, line: int, skaters: str, country: str, country_line: int) -> None:
        """A relay team's skaters, each of the team's nation."""
        try:
            noc, _ = team_noc(self.path, country_line, self.registry, country)
        except SourceError as problem:
            self.found.problems.append(problem)
            return
        for name in split_skaters(skaters):
            self.found.names.append(Printed(name, line, noc, country))

    def entrant(self, printed: PrintedEntrant) -> None:
        """A results row's or records holder's entrant, or a relay medal's team."""
        if printed.relay:
            self.team(printed.line, printed.name, printed.country or "", printed.country_line)
        else:
            self.athlete(printed.line, printed.name, printed.country)

    def medallist(self, medal: PrintedMedal) -> None:
        """An individual medallist, with the medal's NOC field as the page's word on its NOC
        (not held to a registered athlete: the check tallies.medal-nocs judges that)."""
        noc = medal.noc
        code = self.registry.noc_of(noc.value) if noc is not None else None
        if noc is not None and code is None:
            self.unknown_nation(noc.line, noc.value)
            return
        said = noc.value if noc is not None else None
        self.found.names.append(Printed(medal.holder.value, medal.holder.line, code, said))


def printed_names(source: SourcePage, registry: Registry) -> PrintedNames:
    """Every name `pipeline run` will resolve on this page, in line order, with its NOC there;
    every printed nation nocs.csv lacks, and every row that cannot be read. A table that cannot
    be read is refused at once."""
    event, page, tables = source.event, source.page, source.tables
    read_problems = Problems()
    medals = read_infobox(page, event.event_id, read_problems)[2]
    records = read_records(page, event, tables["records"], read_problems)
    results = read_results(page, event, tables["results"], read_problems)
    reader = _Reader(source, registry)
    for medal in medals:
        if medal.entrant.relay:
            reader.entrant(medal.entrant)
        else:
            reader.medallist(medal)
    for record in records:
        if record.holder is not None:
            reader.entrant(record.holder)
    for entrant in results.entrants:  # a printed classification names only these
        reader.entrant(entrant)
    reader.found.names.sort(key=lambda printed: printed.line)
    reader.found.problems += read_problems.found
    reader.found.problems.sort(key=lambda problem: getattr(problem, "line", 0))
    return reader.found
