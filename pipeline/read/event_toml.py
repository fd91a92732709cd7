"""The per-event declarative file (event.toml): what the page does not say in machine form."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, field_validator, model_validator

from core.codes import RoundName
from core.timefmt import parse_time
from pipeline.read.toml import decode_toml, parse_toml, validate_toml

# Every integer is bounded by the Arrow column it is written to (advancement_rules.rank_min,
# rank_max and fastest are int8): a larger one is refused at its line, not by Arrow later.
INT8_MAX = 127
Rank = Annotated[int, Field(ge=1, le=INT8_MAX)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AdvanceRule(_Strict):
    # No note: the rule sends those of its ranks whom the page gives no advancing note (the
    # heats' others, to the repechage quarterfinals).
    note: str | None = Field(default=None, min_length=1)
    ranks: list[Rank] = Field(min_length=1)
    fastest: Rank | None = None
    # A round (`quarterfinals`, `repechage_quarterfinals`) or a race (`Final A`); none: the
    # event's next round.
    to: str | None = None

    @model_validator(mode="after")
    def _noteless_to_a_round(self) -> AdvanceRule:
        if self.note is None and (self.to is None or self.fastest is not None):
            raise ValueError(
                "a rule without a note needs `to` (the round it sends to) and no `fastest`"
            )
        return self

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
    # Entrants who skated no earlier round of the event enter this one directly (the World
    # Tour's seeded skaters join the heats beside the preliminaries' qualifiers).
    seeded: StrictBool = False
    advance: list[AdvanceRule] = Field(default_factory=list)
    uncontested: list[Uncontested] = Field(default_factory=list)


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


class AwardedPlace(_Strict):
    entrant: str = Field(min_length=1)  # an athlete_id, or a team's NOC in a relay
    position: Rank
    reason: str = Field(min_length=1)


class ClassificationSpec(_Strict):
    # "unranked" (the default) or "last": a disqualification in a final ranks last of it.
    disqualified_in_final: Literal["unranked", "last"] = "unranked"
    awarded: list[AwardedPlace] = Field(default_factory=list)


class EventFile(_Strict):
    prior_record: PriorRecord | None = None
    rounds: dict[RoundName, RoundSpec]
    classification: ClassificationSpec = Field(default_factory=ClassificationSpec)


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
    if value is None and keys and isinstance(keys[-1], int):
        # A last index points into an array of values (ranks = [3, 4]), which stands on the
        # line of its key; counting `{` is for arrays of inline tables.
        keys = keys[:-1]
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


TABLE_NAME = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.- ")
KEY = re.compile(r"([A-Za-z0-9_\-]+)\s*=")  # one run, then `=`: linear
QUOTED = re.compile(r'"([^"]*)"')


def table_header(line: str) -> tuple[str, ...] | None:
    """`[rounds.heats]  # comment` -> ("rounds", "heats"); None for any other line. Sliced, not
    matched: a lazy name between two runs of white space backtracked cubically on spaces."""
    close = line.find("]")
    if line[:1] != "[" or close < 0:
        return None
    name, after = line[1:close].strip(), line[close + 1 :].lstrip()
    if not name or not TABLE_NAME.issuperset(name) or after[:1] not in ("", "#"):
        return None
    return tuple(name.replace(" ", "").split("."))


_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'')


def _code(text: str) -> str:
    """A TOML line without its comment and with its strings blanked (a `{` or `#` inside a
    string is text, not syntax)."""
    if '"' in text or "'" in text:
        text = _STRING.sub(lambda match: " " * len(match.group()), text)
    cut = text.find("#")
    return text if cut < 0 else text[:cut]


def array_items(lines: list[str], key: str) -> dict[tuple[str, ...], list[int]]:
    """For each table, the line each item of its array `key` starts on: each inline table of
    `key = [{ … }, …]`, or each `[[table.key]]` header. One pass over the file."""
    found: dict[tuple[str, ...], list[int]] = {}
    current: tuple[str, ...] = ()
    depth = 0  # inside `key = [`: its bracket depth
    for number, text in enumerate(lines, start=1):
        code = _code(text).strip()
        if depth == 0 and code.startswith("[[") and "]]" in code:
            path = tuple(code[2 : code.index("]]")].replace(" ", "").split("."))
            current = path
            if path[-1:] == (key,):
                found.setdefault(path[:-1], []).append(number)
            continue
        header = table_header(code) if depth == 0 else None
        if header is not None:
            current = header
            continue
        if depth == 0:
            assigned = KEY.match(code)
            if assigned is None or assigned.group(1) != key:
                continue
            code = code[code.index("=") + 1 :]
        for char in code:
            if char == "[":
                depth += 1
            elif char == "]":
                depth -= 1
            elif char == "{" and depth == 1:
                found.setdefault(current, []).append(number)
    return found


class TomlLines:
    """Where each key (and each quoted value inside a key's array) stands, found in one pass;
    anything the index lacks falls back to the search of `line_of`."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self._items: dict[str, dict[tuple[str, ...], list[int]]] = {}
        self.index: dict[tuple[str, ...], int] = {}
        table: tuple[str, ...] = ()
        key = ""
        for number, text in enumerate(lines, start=1):
            stripped = text.strip()
            if not stripped or stripped.startswith("#"):
                continue
            header = table_header(stripped)
            if header is not None:
                table, key = header, ""
                self.index.setdefault(table, number)
                continue
            assigned = KEY.match(stripped)
            if assigned:
                key = assigned.group(1)
                self.index.setdefault((*table, key), number)
            for value in QUOTED.findall(stripped):
                self.index.setdefault((*table, key, value), number)

    def items(self, table: tuple[str, ...], key: str) -> list[int]:
        """The line each item of the array `key` in `[table]` starts on (found once)."""
        if key not in self._items:
            self._items[key] = array_items(self.lines, key)
        return self._items[key].get(table, [])

    def of(self, keys: tuple[str | int, ...], value: str | None = None) -> int:
        """Line of a key path (indexes ignored) or of a quoted value under it."""
        path = tuple(k for k in keys if isinstance(k, str)) + ((value,) if value else ())
        found = self.index.get(path)
        return found if found is not None else line_of(self.lines, keys, value)


def load_event_file(data: bytes, shown_as: str) -> tuple[EventFile, TomlLines]:
    """Parse and validate event.toml; also return its lines for locating declarations."""
    text = decode_toml(data, shown_as)
    lines = text.split("\n")  # LF lines, as for pages: a U+2028 in a string ends no line
    document = parse_toml(text, shown_as)
    return (
        validate_toml(
            EventFile, document, shown_as, lambda loc: line_of(lines, _into(document, loc))
        ),
        TomlLines(lines),
    )


def _into(document: dict[str, object], loc: tuple[str | int, ...]) -> tuple[str | int, ...]:
    """An error's location, led into an inline table it names as a whole (`advance.1`: the
    second rule, found by its first key), so that the line is the table's, not its array's."""
    value: object = document
    for key in loc:
        if isinstance(value, dict) and key in value:
            value = value[key]
        elif isinstance(value, list) and isinstance(key, int) and 0 <= key < len(value):
            value = value[key]
        else:
            return loc
    if loc and isinstance(loc[-1], int) and isinstance(value, dict) and value:
        return (*loc, str(next(iter(value))))
    return loc
