"""The layout of a page: title, infobox, headings and the tables under them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from core.errors import SourceError
from pipeline.read.lines import Line
from pipeline.read.problems import raise_all
from pipeline.read.tables import Table, split_cells

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
    splitter = _Splitter(path, lines)
    splitter.split()
    raise_all(splitter.problems)
    return splitter.page


class _Splitter:
    """One pass over a page's lines: where each table stands, and every problem of layout."""

    def __init__(self, path: str, lines: list[Line]) -> None:
        self.path, self.lines = path, lines
        self.page = Page(path, first=lines[0].text if lines else None)
        self.page.last_line = next((line.number for line in reversed(lines) if line.text), 1)
        self.problems: list[SourceError] = []
        self.section = ""
        self.subsection: Line | None = None
        self.in_infobox = False

    def split(self) -> None:
        lines, index, count = self.lines, 0, len(self.lines)
        while index < count:
            if lines[index].text[:1] == "|":
                end = index + 1
                while end < count and lines[end].text[:1] == "|":
                    end += 1
                table = _table(lines, index, end, self.section, self.subsection)
                self.page.tables.append(table)
                index = end
                continue
            self._line(index)
            index += 1

    def _refuse(self, line: Line, expected: str) -> None:
        self.problems.append(SourceError(self.path, line.number, expected, line.text))

    def _line(self, index: int) -> None:
        """A line outside the tables: a heading, the infobox, prose, or a layout refused."""
        line = self.lines[index]
        text, first = line.text, line.text[:1]
        heading = parse_heading(text) if first == "=" else None
        if heading:
            self._heading(line, *heading)
        elif text.casefold() == "infobox":
            self.in_infobox = True
        elif self.in_infobox and first == "-":
            parsed = parse_infobox_field(text)
            if parsed is None:
                self._refuse(line, "an infobox field '- Key: Value'")
            else:
                self.page.infobox.append(InfoboxField(line.number, *parsed))
        elif not text:
            self.in_infobox = False
        elif first == ";" and not _table_follows(self.lines, index):
            self._refuse(line, LABEL_WITHOUT_TABLE)
        elif (expected := _other_layout(self.lines, index)) is not None:
            # A table without its `|`s is one problem, at its first row, not one per row.
            continued = index > 0 and _other_layout(self.lines, index - 1) == TABLE_ROW
            if not (expected == TABLE_ROW and continued):
                self._refuse(line, expected)

    def _heading(self, line: Line, level: int, title: str, closing: int) -> None:
        if level != closing:
            self._refuse(line, f"a heading closed by {'=' * level}")
        elif level == 1:
            self.page.title = Line(line.number, title)
        elif level == 2:
            self.section, self.subsection = title, None
            self.page.sections.setdefault(title.casefold(), line.number)
        else:
            self.subsection = Line(line.number, title)
        self.in_infobox = False


def _table(lines: list[Line], start: int, end: int, section: str, subsection: Line | None) -> Table:
    """Table from lines[start:end]; a non-blank, non-heading line right above is its caption."""
    caption = None
    if start > 0:
        above = lines[start - 1]
        if above.text and not (above.text[0] == "=" and parse_heading(above.text)):
            caption = Line(above.number, above.text.removeprefix(";").strip())
    return Table(
        section=section,
        subsection=subsection,
        caption=caption,
        header_line=lines[start].number,
        header=split_cells(lines[start].text),
        lines=tuple(lines[start + 1 : end]),
    )
