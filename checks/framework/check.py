"""What a check is (declared once) and what a failure is (located at a raw file's line)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from core.errors import EXCERPT_CHARS, bounded
from core.timefmt import format_time

Severity = Literal["error", "warn"]


@dataclass(frozen=True)
class Check:
    """A data-quality rule: a stable id, a severity, and how its failures read.

    `message`, `expected` and `found` are str.format templates over the failing row's columns.
    """

    id: str
    severity: Severity
    description: str
    message: str
    expected: str
    found: str
    line_column: str = "source_line"  # the frame column that holds the line to blame
    # The other side of a mismatch, as a compiler's `note: see …`: the frame's file and line
    # columns and what stands there (the race a record names, the rule a note breaks).
    related: tuple[str, str, str] | None = None

    @property
    def family(self) -> str:
        return self.id.split(".", 1)[0]

    def failure(self, row: dict[str, Any]) -> Failure:
        """The failure this check reports for one failing row (which carries its source).

        Every `x_ms` column also reads as `x`, formatted m:ss.fff (`time` with the row's
        `time_decimals`): frames carry integers, and only failing rows are formatted."""
        values = {key: _show(value) for key, value in row.items()}
        for key, value in row.items():
            if key.endswith("_ms") and key[:-3] not in row:
                decimals = row.get("time_decimals") if key == "time_ms" else None
                values[key[:-3]] = "–" if value is None else format_time(value, decimals or 3)
        return Failure(
            check_id=self.id,
            severity=self.severity,
            path=str(row["source_file"]),
            line=int(row[self.line_column]),
            message=self.message.format(**values),
            expected=self.expected.format(**values),
            found=self.found.format(**values),
            note=self._note(row),
        )

    def _note(self, row: dict[str, Any]) -> str | None:
        """`path:line: note: see what stands there` of the related row, if the check names
        one: a compiler's note under its error."""
        if self.related is None:
            return None
        file, line, what = self.related
        if row.get(file) is None or row.get(line) is None:
            return None
        return f"{row[file]}:{row[line]}: note: see {what}"


@dataclass(frozen=True)
class Failure:
    """One failing row, pointing at the raw line responsible, like a compiler diagnostic."""

    check_id: str
    severity: Severity
    path: str
    line: int
    message: str
    expected: str
    found: str
    waiver: str | None = None  # the reviewed reason, when a waiver accepts this failure
    note: str | None = None  # `path:line: note: see …`, the other side of a mismatch

    def as_dict(self) -> dict[str, object]:
        """The fields by name, for JSON (dataclasses.asdict copies deeply: 5x slower, and
        builds save thousands of failures)."""
        return dict(vars(self))

    def __str__(self) -> str:
        return (
            f"{self.path}:{self.line}: {self.check_id}: {self.message} "
            f"(expected {self.expected}, found {self.found})"
        )


def _show(value: object) -> object:
    """Null reads as – in messages; text is cut to an excerpt (a 50,000-character name makes
    no 200 KB report line: every part of every message is bounded); the rest as itself."""
    if value is None:
        return "–"
    return bounded(value, EXCERPT_CHARS) if isinstance(value, str) else value
