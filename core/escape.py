"""Raw values written out: one function per output kind, so that a name, note, path or folder
name read from raw/ is shown as data, never run as markup, a terminal control sequence or a
GitHub workflow command. Light imports only: the CLI's error printing uses it."""

from __future__ import annotations

import html as html_module
import re

# What a terminal or a log acts on instead of showing: C0 and C1 controls (ESC, NUL, CR, LF,
# NEL, …), DEL, the Unicode line and paragraph separators, the bidirectional overrides and
# isolates that reorder what is shown ("Trojan Source"), and lone surrogates (a path's
# undecodable bytes), which no UTF-8 stream can even encode.
_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
# Characters XML 1.0 forbids (its Char production), lone surrogates included.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_LINE_BREAKS = re.compile("[\n\r\x85\u2028\u2029]")
REPLACEMENT = "\ufffd"


def _shown(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal(text: str) -> str:
    """Plain text for a terminal or a log: control characters shown as `\\x1b`-style escapes.
    Print it without markup (print(), or rich with markup=False or as a Text)."""
    return _INVISIBLE.sub(_shown, text)


def terminal_markup(text: str) -> str:
    """Text to place inside rich markup: shown as written, `[bold]` included."""
    from rich.markup import escape  # rich only where markup is drawn

    return escape(terminal(text))


def _github_data(text: str) -> str:
    # As the Actions toolkit's escapeData: a newline would end the command and start another.
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_message(text: str) -> str:
    """The message of a workflow command (`::error …::message`): one line, no controls."""
    return terminal(_github_data(text))  # other controls as in a terminal


def github_property(text: str) -> str:
    """A property of a workflow command (`file=`, `title=`): also no `:` or `,` left bare."""
    return github_message(text).replace(":", "%3A").replace(",", "%2C")


def xml(text: str, *, one_line: bool = False) -> str:
    """Text for an XML document (JUnit): characters XML 1.0 forbids become U+FFFD; with
    `one_line`, line breaks are shown as `\\x0a`-style escapes too (a report printed to stdout
    must not start a line with a raw value). The XML library escapes `<`, `&` and quotes."""
    if one_line:
        text = _LINE_BREAKS.sub(_shown, text)
    return _NOT_XML.sub(REPLACEMENT, text)


def html(text: str) -> str:
    """Text for HTML: `<`, `>`, `&` and quotes escaped, control characters shown as escapes."""
    return html_module.escape(terminal(text), quote=True)


# Mid-line (a cell, a list item after its marker) these are all Markdown acts on; `(` only
# after a `]`, which is escaped.
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]#|~>])")


def markdown(text: str) -> str:
    """Text for a Markdown table cell or list item (a pull-request comment): HTML's `<` and
    `&` escaped, every character Markdown acts on backslash-escaped, controls shown as escapes
    and line breaks among them (a cell is one line)."""
    escaped = html_module.escape(terminal(text), quote=False)
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", escaped)


def markdown_code(text: str) -> str:
    """Text as a Markdown code span, shown exactly: fenced by one more backtick than its
    longest run of them (escapes do not work inside a span), controls shown as escapes."""
    text = terminal(text)
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    fence = "`" * (longest + 1)
    padded = f" {text} " if text.startswith("`") or text.endswith("`") else text
    return f"{fence}{padded}{fence}"


def utf8(text: str) -> str:
    """Text any UTF-8 output can hold: a path's undecodable bytes (lone surrogates) as
    `\\udcff`-style escapes, everything else as it is."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def toml_string(text: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped."""
    escaped = []
    for char in text:
        if char in '"\\':
            escaped.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            escaped.append(f"\\u{ord(char):04x}")
        else:
            escaped.append(char)
    return '"' + "".join(escaped) + '"'


def sql_text(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def sql_identifier(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'
