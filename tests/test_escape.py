"""core.escape: each output kind shows raw values as data, and leaves plain text alone."""

from __future__ import annotations

import io
import re
from xml.etree import ElementTree

import pytest
from rich.console import Console

from core import escape

HOSTILE = "Li\n::error::x\r\x1b[31m\x00 100% [bold] [/x] a:b,c\u2028\u202e\udcff"
PLAIN = "raw/events/2006-men-1000m/page.txt:84: Éric Bédard – 1:27.048, 'Li Juajun' [waived: ok]"
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


@pytest.mark.parametrize(
    "render",
    [
        escape.terminal,
        escape.github_message,
        escape.xml,
        lambda text: escape.xml(text, one_line=True),
    ],
)
def test_plain_text_is_left_as_it_is(render: object) -> None:
    assert render(PLAIN) == PLAIN  # type: ignore[operator]


def test_terminal_shows_controls_as_escapes() -> None:
    assert escape.terminal(HOSTILE) == (
        "Li\\x0a::error::x\\x0d\\x1b[31m\\x00 100% [bold] [/x] a:b,c\\u2028\\u202e\\udcff"
    )


def test_terminal_markup_prints_literally() -> None:
    out = io.StringIO()
    raw = "[bold]x[/bold] [/x] \x1b \\"
    Console(file=out, width=300).print(f"[italic]{escape.terminal_markup(raw)}[/italic]")
    assert out.getvalue() == "[bold]x[/bold] [/x] \\x1b \\\n"


def test_github_message_and_property() -> None:
    message = escape.github_message(HOSTILE)
    assert (
        message == "Li%0A::error::x%0D\\x1b[31m\\x00 100%25 [bold] [/x] a:b,c\\u2028\\u202e\\udcff"
    )
    prop = escape.github_property(HOSTILE)
    assert prop == message.replace(":", "%3A").replace(",", "%2C")
    for text in (message, prop):
        assert not CONTROL.search(text)


def test_xml_replaces_what_xml_forbids() -> None:
    text = escape.xml(HOSTILE)
    assert "\x1b" not in text and "\x00" not in text and "\udcff" not in text
    assert text.count("\ufffd") == 3
    element = ElementTree.Element("failure", message=text)
    element.text = text
    parsed = ElementTree.fromstring(ElementTree.tostring(element, encoding="unicode"))
    assert parsed.text == text.replace("\r", "\n")  # XML parsers normalise line ends
    one_line = escape.xml(HOSTILE, one_line=True)
    assert "\n" not in one_line and "\r" not in one_line and "\\x0a::error" in one_line


def test_html() -> None:
    assert escape.html('<b>"Li" & \x1b</b>') == "&lt;b&gt;&quot;Li&quot; &amp; \\x1b&lt;/b&gt;"
