"""raw/waivers.toml: reviewed exceptions, each accepting one check failure at one raw line."""

from __future__ import annotations

from pathlib import Path

import rtoml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pipeline.errors import InputError, SourceError
from pipeline.eventfile import toml_error_line
from pipeline.rows import WaiverRow

WAIVERS_FILE = "waivers.toml"


class Waiver(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    check: str = Field(pattern=r"^[a-z]+\.[a-z0-9-]+$")
    file: str = Field(min_length=1)
    line: int = Field(ge=1)
    reason: str = Field(min_length=10)


class WaiverFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    waiver: list[Waiver] = []


def load_waivers(raw: Path, raw_shown: str) -> list[WaiverRow]:
    """Waivers of raw/waivers.toml (none if absent); each must point at an existing line."""
    path, shown = raw / WAIVERS_FILE, f"{raw_shown}/{WAIVERS_FILE}"
    if not path.exists():
        return []
    try:
        text = path.read_text(encoding="utf-8")
        data = rtoml.loads(text)
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(shown, f"expected a readable UTF-8 TOML file ({error})") from None
    except rtoml.TomlParsingError as error:
        line, message = toml_error_line(str(error))
        raise SourceError(shown, line, "valid TOML", message) from None
    lines = text.splitlines()
    starts = [n for n, line in enumerate(lines, 1) if line.strip() == "[[waiver]]"]
    try:
        waivers = WaiverFile.model_validate(data).waiver
    except ValidationError as error:
        first = error.errors()[0]
        index = next((part for part in first["loc"] if isinstance(part, int)), 0)
        where = ".".join(str(part) for part in first["loc"])
        line = starts[index] if index < len(starts) else 1
        raise SourceError(
            shown, line, f"{where}: {first['msg']}", str(first.get("input", ""))
        ) from None
    rows = []
    for waiver, start in zip(waivers, starts, strict=True):
        target = raw / waiver.file
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
