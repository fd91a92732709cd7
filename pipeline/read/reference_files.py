"""The reference files of raw/reference/: CSV exports of an independent source (Olympedia's event
tallies, a medals table) read into rows of cells with their line numbers. Each file opens with
`#` comment lines, one of them `# SOURCE: …` (where it comes from: a reviewed input names its
origin), then a header that says which of the two formats it is. What the cells mean is for
resolve/reference.py."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from core.errors import SourceError
from pipeline.read.problems import raise_all
from pipeline.read.registry_files import csv_expectation
from pipeline.read.snapshot import Snapshot

if TYPE_CHECKING:
    from _csv import Reader

Kind = Literal["tallies", "medals"]
HEADERS: dict[Kind, list[str]] = {
    "tallies": [
        "games",
        "host",
        "event",
        "dates",
        "participants",
        "countries",
        "gold",
        "gold_noc",
        "silver",
        "silver_noc",
        "bronze",
        "bronze_noc",
    ],
    "medals": [
        "Year",
        "City",
        "Sport",
        "Discipline",
        "Athlete",
        "Country",
        "Gender",
        "Event",
        "Medal",
    ],
}
SOURCE_MARK = "# SOURCE:"
FOLDER = "reference"


def reference_names(raw: Path) -> list[str]:
    """The reference files of raw/ (raw/reference/*.csv), as names under raw/, sorted (the
    layout of raw/, checked first, refuses anything else there)."""
    folder = raw / FOLDER
    if not folder.is_dir():
        return []
    return sorted(f"{FOLDER}/{path.name}" for path in folder.glob("*.csv"))


@dataclass(frozen=True)
class ReferenceFile:
    """One reference file: its format and its rows, each cell by its column's name."""

    shown: str
    kind: Kind
    rows: list[tuple[int, dict[str, str]]]


def read_reference_file(path: Path, shown: str, files: Snapshot) -> ReferenceFile:
    """The rows of a reference CSV, after its `#` comment lines (one naming its SOURCE) and
    a header of one of the formats: every row of the wrong width refused in one go."""
    data = files.bytes_of(path)
    if data is None:
        raise SourceError(shown, 1, "a reference CSV file", "nothing")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SourceError(shown, 1, "UTF-8 text", "undecodable bytes") from None
    lines = text.split("\n")
    comments = 0
    while comments < len(lines) and lines[comments].startswith("#"):
        comments += 1
    if not any(
        line.startswith(SOURCE_MARK) and line[len(SOURCE_MARK) :].strip()
        for line in lines[:comments]
    ):
        raise SourceError(
            shown,
            1,
            f"a comment line `{SOURCE_MARK} …` naming where the file comes from, before the header",
            lines[0],
        )
    body = io.StringIO("\n".join(lines[comments:]), newline="\n")
    reader = csv.reader(body)
    try:
        return _rows(reader, shown, comments)
    except csv.Error as error:
        line = comments + reader.line_num
        raise SourceError(shown, line, csv_expectation(error), lines[line - 1]) from None


def _rows(reader: Reader, shown: str, offset: int) -> ReferenceFile:
    header = next(reader, [])
    kind = next((kind for kind, names in HEADERS.items() if header == names), None)
    if kind is None:
        expected = " or ".join(
            f"the {kind} header {','.join(names)}" for kind, names in HEADERS.items()
        )
        raise SourceError(shown, offset + 1, expected, ",".join(header))
    rows, errors, end = [], [], reader.line_num
    for cells in reader:
        line, end = offset + end + 1, reader.line_num
        if not cells:
            continue
        if offset + end != line:  # a quoted line break: the row's line would be its last
            errors.append(SourceError(shown, line, "a row on one line", ",".join(cells)))
        elif len(cells) != len(header):
            errors.append(SourceError(shown, line, f"{len(header)} fields", f"{len(cells)} fields"))
        else:
            rows.append((line, dict(zip(header, (cell.strip() for cell in cells), strict=True))))
    raise_all(errors)
    if not rows:
        raise SourceError(shown, offset + 1, "a row after the header", "none")
    return ReferenceFile(shown, kind, rows)
