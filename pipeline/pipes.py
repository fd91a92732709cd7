"""Output to a reader that went away (`pipeline run | head -1`) is dropped, not an error: the
exit code is the run's verdict whatever the reader does. Without this, Python raises
BrokenPipeError from the next write (exit 2 as an OSError), rich turns it into SystemExit(1)
(read as a failed check), and the interpreter's last flush makes it exit 120."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import TextIO, cast


class _Forgiving:
    """A text stream that, once its reader has closed the pipe, writes to /dev/null."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self.closed_by_reader = False

    def write(self, text: str) -> int:
        if not self.closed_by_reader:
            try:
                self._stream.write(text)
            except BrokenPipeError:
                self._to_devnull()
        return len(text)

    def flush(self) -> None:
        if not self.closed_by_reader:
            try:
                self._stream.flush()
            except BrokenPipeError:
                self._to_devnull()

    def _to_devnull(self) -> None:
        """Point the stream's descriptor at /dev/null, so that what is still buffered (and
        the interpreter's flush at exit) goes nowhere without an error."""
        self.closed_by_reader = True
        with suppress(OSError, ValueError):  # a stream without a descriptor: writes dropped
            descriptor = self._stream.fileno()
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, descriptor)
            os.close(devnull)

    def __getattr__(self, name: str) -> object:  # isatty, fileno, encoding …: the stream's
        return getattr(self._stream, name)


def stdout_gone() -> bool:
    """Whether stdout's reader has gone: a command streaming rows stops producing them."""
    stream = sys.stdout
    return isinstance(stream, _Forgiving) and stream.closed_by_reader


def _forgiving(stream: TextIO | None) -> TextIO:
    """The stream, forgiving; a descriptor closed from the start (`>&-`, sys.stdout None)
    writes to /dev/null. Text it cannot encode (PYTHONIOENCODING=ascii) is escaped."""
    if stream is None:
        stream = open(os.devnull, "w", encoding="utf-8")  # lives as sys.stdout: not closed here
    with suppress(AttributeError, ValueError):
        stream.reconfigure(errors="backslashreplace")  # type: ignore[attr-defined]
    return cast(TextIO, _Forgiving(stream))


@contextmanager
def forgiving_output() -> Iterator[None]:
    """stdout and stderr, for the block, drop what a closed pipe no longer reads."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _forgiving(saved[0]), _forgiving(saved[1])
    try:
        yield
    finally:
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
        sys.stdout, sys.stderr = saved
