"""The layout of a page: title, infobox, headings and the tables under them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from core.errors import SourceError
from pipeline.read.lines import Line
from pipeline.read.problems import raise_all
from pipeline.read.tables import Table, TableRow, split_cells

# Lines are read with str methods, not regexes: `(=+)\s*(.*?)\s*(=+)` backtracked cubically on
# a line of `=` (4,000 took a minute), and every line kind must parse in linear time.


def parse_heading(text: str) -> tuple[int, str, int] | None:
    """`== Results ==` -> (2, "Results", 2): the opening `=` run, the title, the closing run;
    None if the line is not a heading. A line of `=` only opens with all but its last."""
    opening = len(text) - len(text.lstrip("="))
    if opening == len(text):
        return (opening - 1, "", 1) if opening >= 2 else None
    if opening == 0:
        return None
    body = text[opening:]
    closing = len(body) - len(body.rstrip("="))
    if closing == 0:
        return None
    return opening, body[:-closing].strip(), closing


def parse_infobox_field(text: str) -> tuple[str, str] | None:
    """`- Key: Value` -> ("Key", "Value"); the key is ASCII letters and spaces, starting with a
    letter. None if the line is not such a field."""
    if text[:1] != "-":
        return None
    rest = text[1:].lstrip()
    colon = rest.find(":")
    key = rest[:colon].rstrip()
    if colon < 0 or not key.isascii() or not key[:1].isalpha():
        return None
    if not key.replace(" ", "").isalpha():
        return None
    return key, rest[colon + 1 :].strip()


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
    first: str | None = None  # the text of line 1, where the title belongs (None: empty page)
    infobox: list[InfoboxField] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    sections: dict[str, int] = field(default_factory=dict)  # casefolded title -> its line
    last_line: int = 1  # the last line with text


# Layouts other converters write, which this reader does not accept: said at their lines.
OTHER_INFOBOX = ("[infobox", "{{infobox")
TABLE_ROW = "a table row with a leading |"
INFOBOX_LAYOUT = "an infobox in this layout: a line 'Infobox', then '- Key: Value' lines"


LABEL_WITHOUT_TABLE = "a table right below the label"


def _table_follows(lines: list[Line], index: int) -> bool:
    """Whether a `;Label` line stands right above a table, as a label does."""
    return index + 1 < len(lines) and lines[index + 1].text[:1] == "|"


def _piped(text: str) -> bool:
    """A line with two or more cell separators that does not start as a table row does."""
    return text.count("|") >= 2 and text[:1] not in "|="


def _other_layout(lines: list[Line], index: int) -> str | None:
    """What a line in another converter's layout should have been, if it is one: a table row
    that lost its leading `|` (it ends in `|`, or it stands beside a table or another such line:
    one such line of prose is prose), or an infobox opened another way."""
    text = lines[index].text
    if text.casefold().startswith(OTHER_INFOBOX):
        return INFOBOX_LAYOUT
    if not _piped(text):
        return None
    beside = [lines[at].text for at in (index - 1, index + 1) if 0 <= at < len(lines)]
    in_a_table = any(_piped(line) or line[:1] == "|" for line in beside)
    return TABLE_ROW if text.rstrip().endswith("|") or in_a_table else None


def split_page(path: str, lines: list[Line]) -> Page:
    """Find the title, the infobox fields and every table with its section and caption. Every
    line in a layout this reader does not accept is reported, all in one run."""
    problems: list[SourceError] = []
    page = _split(path, lines, problems)
    raise_all(problems)
    return page


def _split(path: str, lines: list[Line], problems: list[SourceError]) -> Page:  # noqa: C901
    page = Page(path, first=lines[0].text if lines else None)
    page.last_line = next((line.number for line in reversed(lines) if line.text), 1)
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
        heading = parse_heading(text) if first == "=" else None
        if heading:
            level, title, closing = heading
            if level != closing:
                problems.append(
                    SourceError(path, line.number, f"a heading closed by {'=' * level}", text)
                )
            elif level == 1:
                page.title = Line(line.number, title)
            elif level == 2:
                section, subsection = title, None
                page.sections.setdefault(title.casefold(), line.number)
            else:
                subsection = Line(line.number, title)
            in_infobox = False
        elif text.casefold() == "infobox":
            in_infobox = True
        elif in_infobox and first == "-":
            parsed = parse_infobox_field(text)
            if parsed is None:
                problems.append(
                    SourceError(path, line.number, "an infobox field '- Key: Value'", text)
                )
            else:
                page.infobox.append(InfoboxField(line.number, *parsed))
        elif not text:
            in_infobox = False
        elif first == ";" and not _table_follows(lines, index):
            problems.append(SourceError(path, line.number, LABEL_WITHOUT_TABLE, text))
        elif (expected := _other_layout(lines, index)) is not None:
            # A table without its `|`s is one problem, at its first row, not one per row.
            continued = index > 0 and _other_layout(lines, index - 1) == TABLE_ROW
            if not (expected == TABLE_ROW and continued):
                problems.append(SourceError(path, line.number, expected, text))
        index += 1
    return page


def _table(lines: list[Line], start: int, end: int, section: str, subsection: Line | None) -> Table:
    """Table from lines[start:end]; a non-blank, non-heading line right above is its caption."""
    caption = None
    if start > 0:
        above = lines[start - 1]
        if above.text and not (above.text[0] == "=" and parse_heading(above.text)):
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
