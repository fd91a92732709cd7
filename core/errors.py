"""Errors the pipeline reports to the user: each names where, what was expected, what was found."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

# Echoes of what was found are cut to this many characters: a message stays one short line
# even when the input is a 50 MB line or a whole file read by mistake.
EXCERPT_CHARS = 100
# The other parts of a message (a path, what was expected, advice) are the pipeline's words, but
# they may quote input too (a heading of 99,000 `=`, a DuckDB message echoing the query): each
# is cut at this many characters, by the errors themselves, so that no caller can forget it.
# Room for advice naming two absolute paths and a registry row; a 99 KB input stays out.
PART_CHARS = 1_000
# Advice spells out a fix: `pipeline add` names up to five near athletes, each with its line and
# the registry rows to add (names themselves excerpted), which with absolute paths runs past
# 1,000 characters. It is the pipeline's own words around bounded quotes: a larger bound.
ADVICE_CHARS = 4_000


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """`text` quoted as Python does, control characters escaped (ESC as \\x1b, a newline as
    \\n); longer than `limit`, its start and its length: `'Li Ye      …' (40,012 characters)`."""
    if len(text) <= limit:
        return repr(text)
    return f"{text[:limit] + '…'!r} ({len(text):,} characters)"


def bounded(text: str, limit: int = PART_CHARS) -> str:
    """`text` as it is, or, longer than `limit`, its start and its length, unquoted:
    `a heading closed by =====…` (99,019 characters)."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text):,} characters)"


class PipelineError(Exception):
    """An input or usage problem: the CLI prints it and exits 2."""

    def __reduce__(self) -> tuple[object, ...]:
        # Rebuild from the dataclass fields, so an error crosses from a parsing worker intact.
        return (type(self), tuple(vars(self).values()))


@dataclass  # not frozen: contextlib assigns __traceback__
class SourceError(PipelineError):
    """A problem at one line of one input file."""

    path: str
    line: int
    expected: str
    found: str
    advice: str = ""  # what to do about it, when the fix can be spelled out (an aliases.csv line)

    def __str__(self) -> str:
        where, expected = bounded(self.path), bounded(self.expected)
        said = f"{where}:{self.line}: expected {expected}, found {excerpt(self.found)}"
        return f"{said}; {bounded(self.advice, ADVICE_CHARS)}" if self.advice else said


@dataclass
class InputError(PipelineError):
    """A problem with an input that has no line to point at (a missing file, an empty folder)."""

    path: str
    message: str
    # Lines that belong under the message as they are (DuckDB's query and the caret under
    # the mistake), printed after it.
    detail: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"{bounded(self.path)}: {bounded(self.message)}"


@dataclass
class InputErrors(PipelineError):
    """Several input problems found in one pass (every stray file of raw/, say): each is
    reported on a line of its own."""

    errors: list[PipelineError]

    def __str__(self) -> str:
        return "\n".join(str(error) for error in self.errors)


def raise_problems(problems: Sequence[PipelineError]) -> None:
    """Raise nothing, the one problem, or every problem (in the order given) in one error."""
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise InputErrors(list(problems))


def messages(error: PipelineError) -> list[str]:
    """The one-line messages an error is reported as."""
    return [str(one) for one in error.errors] if isinstance(error, InputErrors) else [str(error)]


def require_warehouse(database: Path) -> Path:
    """The warehouse file a command reads; a folder with none is bad input."""
    if not database.is_file():
        raise InputError(
            database.as_posix(), "expected a warehouse built by `pipeline run`, found none"
        )
    return database


def from_os_error(error: OSError, where: str = "warehouse") -> InputError:
    """A disk full, a permission refused, a folder where a file goes: the system's words at the
    file it names (an input problem, exit 2, not a bug)."""
    path = error.filename if error.filename is not None else where
    return InputError(str(path), str(error.strerror or error))
