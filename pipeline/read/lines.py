"""Reading a raw page into numbered lines, whatever system saved it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from core.errors import InputError, SourceError

# A line longer than this is not a results page line; refuse it rather than hold it in memory twice.
MAX_LINE_CHARS = 100_000


class Line(NamedTuple):
    """One line of a page: its 1-based number and its text with outer white space removed."""

    number: int
    text: str


def decode_page(path: str, data: bytes) -> list[Line]:
    """Decode UTF-8 (with or without a byte order mark, LF or CRLF) into numbered, trimmed lines."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise SourceError(
            path, line, "UTF-8 text", data[error.start : error.start + 4].hex(" ")
        ) from None
    # Non-breaking spaces come from pages copied out of browsers; they are plain spaces here.
    # Split on LF only (CRLF leaves a `\r` that strip() drops), so numbers match any editor's.
    raws = text.replace("\u00a0", " ").split("\n")
    if len(text) > MAX_LINE_CHARS:  # only a page this long can hold a line this long
        for number, raw in enumerate(raws, start=1):
            if len(raw) > MAX_LINE_CHARS:
                raise SourceError(
                    path, number, f"a line of at most {MAX_LINE_CHARS} characters", raw[:40] + "…"
                )
    return [Line(number, raw.strip()) for number, raw in enumerate(raws, start=1)]


def read_file(path: Path | str, shown_as: str, what: str) -> bytes:
    """The bytes of an input file; a missing file or a folder in its place is an input error.
    (os, not pathlib: a rerun reads 20,000 of these to learn that nothing changed.)"""
    if not os.path.isfile(path):
        raise InputError(shown_as, f"expected {what}, found none (or a directory)")
    with open(path, "rb") as handle:
        return handle.read()
