"""The layout of a page: title, infobox, headings and the tables under them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from pipeline.errors import SourceError
from pipeline.parse.lines import Line
from pipeline.parse.tables import Table, TableRow, split_cells

HEADING = re.compile(r"(=+)\s*(.*?)\s*(=+)")
INFOBOX_FIELD = re.compile(r"-\s*([A-Za-z][A-Za-z ]*?)\s*:\s*(.*)")


class InfoboxField(NamedTuple):
    """One `- Key: Value` line of the infobox."""

    line: int
    key: str
    value: str


@dataclass
class Page:
    """A page split into the parts the parsers read; prose is not kept."""

    path: str
    title: Line | None = None
    infobox: list[InfoboxField] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


def split_page(path: str, lines: list[Line]) -> Page:
    """Find the title, the infobox fields and every table with its section and caption."""
    page = Page(path)
    section = ""
    subsection: Line | None = None
    in_infobox = False
    index, count = 0, len(lines)
    while index < count:
        line = lines[index]
        text = line.text
        first = text[:1]
        if first == "|":
            end = index + 1
            while end < count and lines[end].text[:1] == "|":
                end += 1
            page.tables.append(_table(lines, index, end, section, subsection))
            index = end
            continue
        heading = HEADING.fullmatch(text) if first == "=" else None
        if heading:
            level, title, closing = heading.groups()
            if len(level) != len(closing):
                raise SourceError(path, line.number, f"a heading closed by {level}", text)
            if len(level) == 1:
                page.title = Line(line.number, title)
            elif len(level) == 2:
                section, subsection = title, None
            else:
                subsection = Line(line.number, title)
            in_infobox = False
        elif text.casefold() == "infobox":
            in_infobox = True
        elif in_infobox and first == "-":
            match = INFOBOX_FIELD.fullmatch(text)
            if match is None:
                raise SourceError(path, line.number, "an infobox field '- Key: Value'", text)
            page.infobox.append(InfoboxField(line.number, match.group(1), match.group(2).strip()))
        elif not text:
            in_infobox = False
        index += 1
    return page


def _table(lines: list[Line], start: int, end: int, section: str, subsection: Line | None) -> Table:
    """Table from lines[start:end]; a non-blank, non-heading line right above is its caption."""
    caption = None
    if start > 0:
        above = lines[start - 1]
        if above.text and not (above.text[0] == "=" and HEADING.fullmatch(above.text)):
            caption = Line(above.number, above.text.removeprefix(";").strip())
    rows = tuple([TableRow(line.number, split_cells(line.text)) for line in lines[start + 1 : end]])
    return Table(
        section=section,
        subsection=subsection,
        caption=caption,
        header_line=lines[start].number,
        header=split_cells(lines[start].text),
        rows=rows,
    )
