"""TOML input files (event.toml, waivers.toml): parsed, validated by a pydantic model, and every
problem reported at its line."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

import rtoml
from pydantic import BaseModel, ValidationError

from core.errors import InputError, SourceError
from pipeline.read.problems import raise_all

Model = TypeVar("Model", bound=BaseModel)
Location = tuple[str | int, ...]


def decode_toml(data: bytes, shown_as: str) -> str:
    """The text of a TOML file; bytes that are not UTF-8 are an input error."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(shown_as, "expected UTF-8 text, found undecodable bytes") from None


def parse_toml(text: str, shown_as: str) -> dict[str, object]:
    """The TOML document; a syntax error is reported at the line the parser names."""
    try:
        # rtoml (Rust) parses in a fifth of tomllib's time: it matters over thousands of events.
        document: dict[str, object] = rtoml.loads(text)
    except rtoml.TomlParsingError as error:
        text = str(error)
        # No leading \s* in the pattern: searched at every offset, it would be quadratic.
        position = re.search(r"at line (\d+)(?: column \d+)?", text)
        if position is None:
            raise SourceError(shown_as, 1, "valid TOML", text) from None
        message = text[: position.start()].rstrip() + text[position.end() :]
        raise SourceError(shown_as, int(position.group(1)), "valid TOML", message) from None
    return document


def validate_toml(
    model: type[Model], document: dict[str, object], shown_as: str, line: Callable[[Location], int]
) -> Model:
    """The document as `model`; every validation error is reported at `line(location)`, in
    line order."""
    try:
        return model.model_validate(document)
    except ValidationError as error:
        found = []
        for each in error.errors():
            # pydantic marks a bad dict key with an extra "[key]" step; the key is the place.
            location = tuple(part for part in each["loc"] if part != "[key]")
            where = ".".join(str(part) for part in location)
            found.append(
                SourceError(
                    shown_as, line(location), f"{where}: {each['msg']}", str(each.get("input", ""))
                )
            )
        raise_all(found)
        raise AssertionError("pydantic reported a validation error without errors") from None


# TOML's lexical layer: strings and comments are single tokens (so `[[waiver]]` inside a
# multi-line string or after `#` is no header), each bracket, brace, `=` and line break is one,
# and anything else runs up to the next of these. Possessive quantifiers: no backtracking.
_TOKEN = re.compile(
    r'"""(?:[^"\\]++|\\.|"(?!""))*+"""(?:"{1,2}+)?+'  # multi-line basic string, `""""` ends too
    r"|'''(?:[^']++|'(?!''))*+'''(?:'{1,2}+)?+"  # multi-line literal string
    r'|"(?:[^"\\\n]++|\\.)*+"'  # basic string
    r"|'[^'\n]*+'"  # literal string
    r"|#[^\n]*+"  # comment
    r"|[\n\[\]{}=]"
    r"|[^\n\[\]{}=\"'#]++",
    re.DOTALL,
)
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _key_path(text: str) -> tuple[str, ...]:
    """The key path a key is spelt as: `waiver`, `"waiver"`, `a . 'b'` (quoted keys as the
    parser reads them)."""
    parts = [part.strip() for part in text.split(".")]
    if all(_BARE_KEY.fullmatch(part) for part in parts):
        return tuple(parts)
    path: list[str] = []
    try:
        document: object = rtoml.loads(f"{text} = 0")
    except rtoml.TomlParsingError:  # not a key (the parser read the document otherwise)
        return ()
    while isinstance(document, dict) and len(document) == 1:
        ((key, document),) = document.items()
        path.append(key)
    return tuple(path)


class _ArrayItems:
    """Reads a document token by token, noting where each element of the root array `key`
    starts: at each `[[key]]` header, or at each `{` directly inside `key = [ … ]`."""

    def __init__(self, text: str, key: str) -> None:
        self.text, self.key = text, key
        self.lines: list[int] = []
        self.line = 1
        self.mode = "start"  # start | header | key | value | rest (of a header line)
        self.begun = 0  # where the header or key being read starts
        self.array_header = False
        self.at_root = True  # no table header yet: keys belong to the root table
        self.watching = False  # inside the value of `key = …` at the root
        self.nesting: list[str] = []  # the brackets and braces open in a value

    def feed(self, token: str, start: int, end: int) -> None:
        """Take the next token, found at text[start:end]."""
        if self.mode == "start":
            self._start(token, start, end)
        elif self.mode == "header":
            self._header(token, start, end)
        elif self.mode == "key" and token == "=":
            self.watching = self.at_root and self._path(self.begun, start) == (self.key,)
            self.mode = "value"
        elif self.mode == "value":
            self._value(token)
        elif self.mode == "rest" and token == "\n":
            self.mode = "start"
        self.line += token.count("\n")

    def _start(self, token: str, start: int, end: int) -> None:
        if token == "[":
            self.mode, self.begun, self.array_header = "header", end, False
        elif not (token.isspace() or token.startswith("#") or token == "\ufeff"):
            self.mode, self.begun = "key", start

    def _header(self, token: str, start: int, end: int) -> None:
        if token == "[" and start == self.begun:  # `[[`: an array of tables
            self.begun, self.array_header = end, True
        elif token == "]":
            if self.array_header and self._path(self.begun, start) == (self.key,):
                self.lines.append(self.line)
            self.mode, self.at_root = "rest", False

    def _value(self, token: str) -> None:
        if token in ("[", "{"):
            if token == "{" and self.watching and self.nesting == ["["]:
                self.lines.append(self.line)
            self.nesting.append(token)
        elif token in ("]", "}"):
            self.nesting.pop()
        elif token == "\n" and not self.nesting:
            self.mode = "start"

    def _path(self, start: int, end: int) -> tuple[str, ...]:
        return _key_path(self.text[start:end])


def array_item_lines(text: str, key: str) -> list[int]:
    """The line each element of the root array `key` starts on, in order, in a document the
    parser has read: each `[[key]]` header, however spaced, quoted or commented, or each `{` of
    `key = [{…}, …]`. Strings and comments are skipped whole, as the parser skips them."""
    items = _ArrayItems(text, key)
    for match in _TOKEN.finditer(text):
        items.feed(match.group(), match.start(), match.end())
    return items.lines
