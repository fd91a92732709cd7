"""raw/waivers.toml: reviewed exceptions, each accepting one check failure at one raw line."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from core.codes import WAIVER_REASON_PLACEHOLDER
from core.errors import SourceError
from core.rows import WaiverRow
from pipeline.read.snapshot import Snapshot
from pipeline.read.toml import (
    Location,
    array_item_lines,
    decode_toml,
    parse_toml,
    validate_toml,
)

WAIVERS_FILE = "waivers.toml"


class Waiver(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    check: str = Field(pattern=r"^[a-z]+\.[a-z0-9-]+$")
    file: str = Field(min_length=1)
    line: int = Field(ge=1, strict=True)  # `line = "87"` is a mistake, not a number
    reason: str = Field(min_length=10)

    @field_validator("reason")
    @classmethod
    def _reviewed(cls, reason: str) -> str:
        if reason.startswith(WAIVER_REASON_PLACEHOLDER):
            raise ValueError("the reason a person reviewed, not the placeholder the report prints")
        return reason


class WaiverFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    waiver: list[Waiver] = []


def load_waivers(raw: Path, raw_shown: str, files: Snapshot | None = None) -> list[WaiverRow]:
    """Waivers of raw/waivers.toml (none if absent); each must point at an existing line."""
    path, shown = raw / WAIVERS_FILE, f"{raw_shown}/{WAIVERS_FILE}"
    data = (files or Snapshot()).bytes_of(path)
    if data is None:
        return []
    text = decode_toml(data, shown)
    document = parse_toml(text, shown)
    # Found in the document as the parser read it, whatever the spelling (`[[ waiver ]]`,
    # `waiver = [{…}]`, a comment after the header), never in a string or a comment.
    starts = array_item_lines(text, "waiver")

    def start_of(index: int) -> int:
        return starts[index] if index < len(starts) else 1

    def block_of(location: Location) -> int:
        """The line of the waiver a location points into."""
        return start_of(next((part for part in location if isinstance(part, int)), 0))

    waivers = validate_toml(WaiverFile, document, shown, block_of).waiver
    rows = []
    inside = raw.resolve()
    for index, waiver in enumerate(waivers):
        start = start_of(index)
        target = raw / waiver.file
        # Refused before the file is looked at: nothing about a file outside raw/ (whether it
        # exists, how long it is) may show in the message.
        if (
            "\0" in waiver.file  # no path holds one: the system refuses it (a ValueError)
            or Path(waiver.file).is_absolute()
            or ".." in Path(waiver.file).parts
            or not target.resolve().is_relative_to(inside)
        ):
            expected = f"file = a path relative to {raw_shown}/ that stays inside it"
            raise SourceError(shown, start, expected, waiver.file)
        if not target.is_file():
            raise SourceError(shown, start, f"file = a file under {raw_shown}/", waiver.file)
        with target.open("rb") as handle:
            length = sum(1 for _ in handle)
        if waiver.line > length:
            raise SourceError(
                shown, start, f"line = a line of {waiver.file} (1 to {length})", str(waiver.line)
            )
        rows.append(
            WaiverRow(
                waiver.check, f"{raw_shown}/{waiver.file}", waiver.line, waiver.reason, shown, start
            )
        )
    return rows
