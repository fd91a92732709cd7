"""One event's raw files read: its page and event.toml, as printed rows with their lines."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from core.errors import SourceError
from core.rows import EventRow, InfoboxRow, PriorRecordRow
from pipeline.read.event_toml import EventFile, TomlLines, load_event_file
from pipeline.read.infobox import PrintedMedal, read_infobox
from pipeline.read.lines import decode_page
from pipeline.read.page import Page, split_page
from pipeline.read.printed import PrintedEntrant
from pipeline.read.problems import Problems
from pipeline.read.records import PrintedRecord, read_prior_records, read_records
from pipeline.read.results import ResultsOnPage, read_results
from pipeline.read.standings import PrintedStanding, read_standings
from pipeline.read.tables import Table

SECTIONS = ("records", "results", "classification")
SECTION_NAMES = {"final classification": "classification"}  # other titles of a section


@dataclass(frozen=True)
class PrintedEvent:
    """What an event's page and event.toml say, read but not yet resolved."""

    page: Page
    toml_path: str
    declared: EventFile
    toml_lines: TomlLines
    event: EventRow
    infobox: list[InfoboxRow]
    medals: list[PrintedMedal]
    results: ResultsOnPage
    records: list[PrintedRecord]
    prior_records: list[PriorRecordRow]  # NOCs as bracketed on the page, if at all
    standings: list[PrintedStanding]  # the classification the page prints, if it does

    def entrants(self) -> list[PrintedEntrant]:
        """Every printed entrant, in reading order: medallists, record holders, results and
        the printed classification."""
        holders = [record.holder for record in self.records if record.holder is not None]
        standings = [standing.entrant for standing in self.standings]
        medallists = [medal.entrant for medal in self.medals]
        return [*medallists, *holders, *self.results.entrants, *standings]


def tables_by_section(page: Page) -> dict[str, list[Table]]:
    """The page's tables under ==Records== and ==Results==; a table elsewhere is refused, and
    so is a page without a results table (at its ==Results== heading, or its last line)."""
    found: dict[str, list[Table]] = {name: [] for name in SECTIONS}
    for table in page.tables:
        section = table.section.casefold()
        section = SECTION_NAMES.get(section, section)
        if section not in found:
            raise SourceError(
                page.path,
                table.header_line,
                "tables only under ==Records==, ==Results== or ==Classification==",
                table.section or "no section heading",
            )
        found[section].append(table)
    if not found["results"]:
        heading = page.sections.get("results")
        line = page.last_line if heading is None else heading
        where = "no ==Results== section" if heading is None else "none"
        raise SourceError(page.path, line, "a results table under ==Results==", where)
    return found


# Reads the results tables' rows: the row reader (read_results), or a stand-in that leaves them
# to the columnar reader, which reads a whole chunk of pages at once.
ResultsReader = Callable[[Page, EventRow, list[Table], Problems], ResultsOnPage]


def read_event_files(
    event_id: str,
    shown_as: str,
    page_bytes: bytes,
    toml_bytes: bytes,
    problems: Problems,
    read_rows: ResultsReader = read_results,
) -> PrintedEvent:
    """Read an event's page and event.toml, given as bytes. A problem of a row is kept in
    `problems` and reading goes on; one that leaves the page unreadable is raised."""
    page_path, toml_path = f"{shown_as}/page.txt", f"{shown_as}/event.toml"
    page = split_page(page_path, decode_page(page_path, page_bytes))
    declared, toml_lines = load_event_file(toml_bytes, toml_path)
    event, infobox, medals = read_infobox(page, event_id, problems)
    tables = tables_by_section(page)
    results = read_rows(page, event, tables["results"], problems)
    records = read_records(page, event, tables["records"], problems)
    prior = problems.attempt(partial(read_prior_records, page, event_id, tables["records"]))
    standings = read_standings(page, event, tables["classification"], problems)
    return PrintedEvent(
        page,
        toml_path,
        declared,
        toml_lines,
        event,
        infobox,
        medals,
        results,
        records,
        prior or [],
        standings,
    )
