"""Decoding pages saved by other systems: BOM, CRLF, trailing and non-breaking spaces."""

from __future__ import annotations

import pytest

from core.errors import SourceError
from pipeline.read.lines import Line, decode_page


def test_bom_crlf_and_spaces_are_normalised() -> None:
    data = "\ufeff= T =\r\n| 1 |\u00a0Li Ye\u00a0| \r\n\r\nlast".encode()
    assert decode_page("p", data) == [
        Line(1, "= T ="),
        Line(2, "| 1 | Li Ye |"),
        Line(3, ""),
        Line(4, "last"),
    ]


def test_line_numbers_count_only_line_feeds() -> None:
    # A form feed or a Unicode line separator inside a line must not shift later numbers.
    lines = decode_page("p", "a\x0cb\nc\u2028d\ne".encode())
    assert [line.number for line in lines] == [1, 2, 3]
    assert lines[2].text == "e"


def test_invalid_utf8_names_its_line() -> None:
    with pytest.raises(SourceError) as caught:
        decode_page("raw/p.txt", b"ok\nstill ok\nbad \xff byte\n")
    assert str(caught.value) == "raw/p.txt:3: expected UTF-8 text, found 'ff 20 62 79'"


def test_an_absurdly_long_line_is_refused() -> None:
    with pytest.raises(SourceError) as caught:
        decode_page("p", b"ok\n" + b"x" * 100_001)
    assert (caught.value.line, caught.value.expected) == (2, "a line of at most 100000 characters")
