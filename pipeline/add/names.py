"""The athlete names a page prints, each with the NOC the page gives it there: a Country cell,
a bracketed `(KOR)`, a relay team's nation, or the infobox medal NOC. These are the names the
parser resolves (results, records holders, medalists), read the way it reads them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from pipeline.add.source import SourcePage
from pipeline.errors import PipelineError, SourceError
from pipeline.parse.athletes import split_noc_suffix
from pipeline.parse.infobox import MEDALS
from pipeline.parse.records import is_prior_table
from pipeline.parse.registry import Registry
from pipeline.parse.tables import RECORD_TABLE, RESULT_TABLE, check_width, map_columns
from pipeline.parse.teams import split_skaters, team_noc


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
        expected = f"a NOC code or nation name from {self.registry.folder}/nocs.csv"
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


def _cell(cells: tuple[str, ...], columns: dict[str, int], name: str) -> str | None:
    return cells[columns[name]] or None if name in columns else None


def _medalists(reader: _Reader, source: SourcePage) -> None:
    relay = source.event.is_relay
    for _, _, name_key, noc_key in MEDALS:
        holder = source.fields.get(name_key.casefold())
        if holder is None:
            continue
        noc = source.fields.get(noc_key.casefold())
        if relay and noc is not None:
            reader.team(holder.line, holder.value, noc.value, noc.line)
        elif relay:
            continue  # the parser refuses a relay medal without its NOC field
        elif noc is not None and reader.registry.noc_of(noc.value) is None:
            reader.unknown_nation(noc.line, noc.value)
        else:
            code = reader.registry.noc_of(noc.value) if noc is not None else None
            said = noc.value if noc is not None else None
            reader.found.names.append(Printed(holder.value, holder.line, code, said))


def _records(reader: _Reader, source: SourcePage) -> None:
    for table in source.tables["records"]:
        if is_prior_table(table):
            continue  # its holders are printed, not resolved
        columns = map_columns(source.path, table, RECORD_TABLE)
        for row in table.rows:
            check_width(source.path, table, row)
            holder = _cell(row.cells, columns, "holder")
            country = _cell(row.cells, columns, "country")
            if holder is None:
                continue
            if not source.event.is_relay:
                reader.athlete(row.line, holder, country)
            elif country is not None:
                reader.team(row.line, holder, country, row.line)


def _results(reader: _Reader, source: SourcePage) -> None:
    relay = source.event.is_relay
    for table in source.tables["results"]:
        columns = map_columns(source.path, table, RESULT_TABLE)
        for row in table.rows:
            check_width(source.path, table, row)
            country = _cell(row.cells, columns, "country")
            if relay and country is not None and "athletes" in columns:
                reader.team(row.line, row.cells[columns["athletes"]], country, row.line)
            elif not relay and "athlete" in columns:
                reader.athlete(row.line, row.cells[columns["athlete"]], country)


def printed_names(source: SourcePage, registry: Registry) -> PrintedNames:
    """Every name the parser will resolve on this page, in line order, with its NOC there; and
    every printed nation nocs.csv lacks. A table the parser cannot read is refused at once."""
    reader = _Reader(source, registry)
    _medalists(reader, source)
    _records(reader, source)
    _results(reader, source)
    reader.found.names.sort(key=lambda printed: printed.line)
    reader.found.problems.sort(key=lambda problem: getattr(problem, "line", 0))
    return reader.found
