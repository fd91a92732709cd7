"""The raw lines around each failure, read from the file it blames, for reports that show them.

Paths are as the warehouse stores them (relative to the folder the pipeline ran in), so they are
read relative to the current folder. A file that is missing, unreadable or not a regular file
(a FIFO would block the report) is said so, never guessed at."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from checks.framework.check import Failure

CONTEXT_LINES = 2  # shown above and below the blamed line
MAX_SHOWN_CHARS = 1_000  # a longer line is cut: a report stays readable whatever raw/ holds


@dataclass(frozen=True)
class SourceLine:
    number: int
    text: str
    blamed: bool


@dataclass(frozen=True)
class Excerpt:
    """The lines around a failure, or why there are none (`lines` empty, `problem` set)."""

    lines: tuple[SourceLine, ...]
    problem: str | None = None


def shown_line(text: str) -> str:
    """A line as the report shows it: without its line ending, cut past MAX_SHOWN_CHARS."""
    text = text.removesuffix("\r")
    if len(text) <= MAX_SHOWN_CHARS:
        return text
    return f"{text[:MAX_SHOWN_CHARS]}… ({len(text):,} characters)"


def _read_lines(path: Path, wanted: set[int]) -> tuple[dict[int, str], int]:
    """The wanted lines of a file (streamed once, stopping after the last one) and the number
    of lines read. Lines are split on LF, as the parser numbers them."""
    found: dict[int, str] = {}
    last_wanted, count = max(wanted), 0
    with path.open("rb") as handle:
        for count, raw in enumerate(handle, start=1):
            if count in wanted:
                text = raw.rstrip(b"\n").decode("utf-8", errors="replace")
                found[count] = text.removeprefix("\ufeff") if count == 1 else text
            if count >= last_wanted:
                break
    return found, count


def _window(line: int) -> range:
    return range(max(1, line - CONTEXT_LINES), line + CONTEXT_LINES + 1)


def excerpts(failures: Iterable[Failure]) -> dict[tuple[str, int], Excerpt]:
    """The excerpt of every (path, line) the failures blame; each file is read once."""
    by_path: dict[str, set[int]] = defaultdict(set)
    for failure in failures:
        by_path[failure.path].add(failure.line)
    shown: dict[tuple[str, int], Excerpt] = {}
    for name, blamed in by_path.items():
        path = Path(name)
        problem: str | None = None
        lines: dict[int, str] = {}
        count = 0
        if not path.is_file():
            problem = (
                "the raw file is not here (its path is relative to the folder the pipeline ran in)"
            )
        else:
            try:
                lines, count = _read_lines(path, {n for line in blamed for n in _window(line)})
            except OSError as error:
                problem = f"the raw file is not readable here ({error.strerror or error})"
        for line in blamed:
            if problem is not None:
                shown[(name, line)] = Excerpt((), problem)
            elif line < 1:
                shown[(name, line)] = Excerpt((), "the failure names no line of the file")
            elif line not in lines:
                shown[(name, line)] = Excerpt((), f"the file has no line {line} ({count} lines)")
            else:
                shown[(name, line)] = Excerpt(
                    tuple(
                        SourceLine(n, shown_line(lines[n]), n == line)
                        for n in _window(line)
                        if n in lines
                    )
                )
    return shown
