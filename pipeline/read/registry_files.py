"""The registry's CSV files (nocs.csv, athletes.csv, aliases.csv, nationalities.csv) read into
rows of cells with their line numbers; what the cells mean is for resolve/registry.py."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TYPE_CHECKING

from core.errors import InputError, SourceError
from pipeline.read.snapshot import Snapshot

if TYPE_CHECKING:
    from _csv import Reader


def read_registry_csv(
    path: Path,
    shown_as: str,
    columns: list[str],
    *other_headers: list[str],
    missing_ok: bool = False,
    files: Snapshot,
) -> list[tuple[int, list[str]]]:
    """Rows of a registry CSV with their line numbers, after checking the header (`columns`,
    or one of the other accepted headers); a missing file is refused unless `missing_ok`
    (then it has no rows)."""
    try:
        data = files.bytes_of(path)
    except OSError:  # a folder where the file goes
        data, missing_ok = None, False
    if data is None:
        if missing_ok:
            return []
        raise InputError(shown_as, "expected a registry CSV file, found none")
    try:
        # Bytes decoded, not read_text: text mode would turn a lone CR into a line break.
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(shown_as, "expected UTF-8 text, found undecodable bytes") from None
    # LF lines, as for pages: a U+2028 or a lone CR inside a row must not split it in two (a
    # hidden athlete, and every later line number off by one).
    lines = io.StringIO(text, newline="\n")
    reader = csv.reader(lines)
    try:
        return _rows(reader, shown_as, [columns, *other_headers])
    except csv.Error as error:  # a field over csv's limit, a stray CR: the line read last
        line = reader.line_num
        found = text.split("\n", line)[line - 1] if line else ""
        raise SourceError(shown_as, max(line, 1), csv_expectation(error), found) from None


def csv_expectation(error: csv.Error) -> str:
    if "field larger than field limit" in str(error):
        return f"fields of at most {csv.field_size_limit():,} characters"
    if "new-line character seen in unquoted field" in str(error):
        return "a carriage return only at the end of a line or inside a quoted field"
    return f"a CSV row ({error})"


def _rows(reader: Reader, shown_as: str, accepted: list[list[str]]) -> list[tuple[int, list[str]]]:
    header = next(reader, [])
    if header not in accepted:
        expected = " or ".join(",".join(names) for names in accepted)
        raise SourceError(shown_as, 1, f"the header {expected}", ",".join(header))
    found = []
    for cells in reader:
        if not cells:
            continue
        if len(cells) != len(header):
            raise SourceError(
                shown_as, reader.line_num, f"{len(header)} fields", f"{len(cells)} fields"
            )
        found.append((reader.line_num, [cell.strip() for cell in cells]))
    return found
