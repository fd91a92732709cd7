"""TOML input files (event.toml, waivers.toml): parsed, validated by a pydantic model, and every
problem reported at its line."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

import rtoml
from pydantic import BaseModel, ValidationError

from pipeline.errors import InputError, SourceError
from pipeline.parse.problems import raise_all

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
