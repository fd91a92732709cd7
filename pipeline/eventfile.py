"""The per-event declarative file (event.toml): what the page does not say in machine form."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from pipeline.errors import InputError, SourceError
from pipeline.timefmt import parse_time

RoundName = Literal["heats", "quarterfinals", "semifinals", "finals"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AdvanceRule(_Strict):
    note: str = Field(min_length=1)
    ranks: list[int] = Field(min_length=1)
    fastest: int | None = Field(default=None, ge=1)
    to: str | None = None

    @field_validator("ranks")
    @classmethod
    def _consecutive(cls, ranks: list[int]) -> list[int]:
        if ranks[0] < 1 or ranks != list(range(ranks[0], ranks[0] + len(ranks))):
            raise ValueError("ranks must be consecutive and start at 1 or more, e.g. [3, 4]")
        return ranks


class Uncontested(_Strict):
    label: str
    reason: str = Field(min_length=1)


class RoundSpec(_Strict):
    date: dt.date
    advance: list[AdvanceRule] = []
    uncontested: list[Uncontested] = []


class PriorRecord(_Strict):
    kind: Literal["OR", "WR"]
    time: str
    athlete: str
    noc: str = Field(pattern=r"^[A-Z]{3}$")
    date: dt.date

    @field_validator("time")
    @classmethod
    def _time(cls, time: str) -> str:
        if parse_time(time) is None:
            raise ValueError("time must look like 1:27.185 or 41.80")
        return time


class EventFile(_Strict):
    prior_record: PriorRecord | None = None
    rounds: dict[RoundName, RoundSpec]

    @model_validator(mode="after")
    def _notes_unique(self) -> EventFile:
        for name, spec in self.rounds.items():
            notes = [rule.note for rule in spec.advance]
            if len(notes) != len(set(notes)):
                raise ValueError(f"round {name} gives the same note in two advance rules")
        return self


def _pattern(key: str | int, value: bool = False) -> re.Pattern[str] | int:
    """A key as it stands in TOML: `key =`, `[a.key]`, `{ key =`; or a quoted value."""
    if isinstance(key, int):
        return key
    if value:
        return re.compile(re.escape(f'"{key}"'))
    name = re.escape(key)
    return re.compile(rf"(^|[\s.\[{{,]){name}\s*=|[.\[]{name}\]")


def line_of(lines: list[str], keys: tuple[str | int, ...], value: str | None = None) -> int:
    """Best line for a TOML key path such as (rounds, heats, advance, 1, ranks): each name is
    searched for after the previous one's line, an index counts inline tables `{`; then an
    optional quoted `value`."""
    at = 0
    wanted = [_pattern(key) for key in keys]
    if value is not None:
        wanted.append(_pattern(value, value=True))
    for needle in wanted:
        if isinstance(needle, int):
            braces = 0
            for number in range(at, len(lines)):
                braces += lines[number].count("{")
                if braces > needle:
                    at = number
                    break
            continue
        for number in range(at, len(lines)):
            text = lines[number]
            if not text.lstrip().startswith("#") and needle.search(text):
                at = number
                break
    return at + 1


def load_event_file(path: Path, shown_as: str) -> tuple[EventFile, list[str]]:
    """Parse and validate event.toml; also return its lines for locating declarations."""
    if not path.is_file():
        raise InputError(shown_as, "expected an event.toml beside the page, found none")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError(shown_as, "expected UTF-8 text, found undecodable bytes") from None
    lines = text.splitlines()
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        # Python 3.11's TOMLDecodeError only states the position in its message.
        position = re.search(r"at line (\d+)", str(error))
        line = int(position.group(1)) if position else 1
        raise SourceError(shown_as, line, "valid TOML", str(error).split(" (at")[0]) from None
    try:
        return EventFile.model_validate(data), lines
    except ValidationError as error:
        first = error.errors()[0]
        # pydantic marks a bad dict key with an extra "[key]" step; the key itself is the place.
        loc = tuple(part for part in first["loc"] if part != "[key]")
        where = ".".join(str(part) for part in loc)
        raise SourceError(
            shown_as,
            line_of(lines, loc),
            f"{where}: {first['msg']}",
            str(first.get("input", "")),
        ) from None
