"""Problems of one kind gathered over a whole file, so that one run reports all of them."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from core.errors import SourceError, raise_problems

Value = TypeVar("Value")


class Problems:
    """Source errors collected while reading on; `raise_found` reports them in file order."""

    def __init__(self) -> None:
        self.found: list[SourceError] = []

    def attempt(self, read: Callable[[], Value]) -> Value | None:
        """`read()`, or None after keeping the error it raised."""
        try:
            return read()
        except SourceError as error:
            self.keep(error)
            return None

    def keep(self, error: SourceError) -> None:
        """Keep an error (once: a heading over four tables is one problem, not four)."""
        if error not in self.found:
            self.found.append(error)

    def raise_found(self) -> None:
        """Raise what was found: one error as itself, several together, in file order."""
        raise_all(self.found)


def raise_all(errors: list[SourceError]) -> None:
    """Raise nothing, one error, or every error in (path, line) order."""
    ordered = sorted(errors, key=lambda error: (error.path, error.line))
    raise_problems(ordered)
