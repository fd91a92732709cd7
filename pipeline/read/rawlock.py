"""The lock on raw/: `pipeline add` writes it alone, and a reader (`pipeline run`) may share it
with other readers. The lock is a `flock` on the raw/ folder itself, not a file in it: raw/ holds
only the files the pipeline reads (pipeline.read.rawtree). A busy lock is refused, not waited
for, as the warehouse's writer lock is (pipeline.publish.writer_lock)."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from core.errors import InputError
from pipeline.read.rawtree import RAW_MISSING


@contextmanager
def raw_lock(raw: Path, shared: bool) -> Iterator[None]:
    """Hold raw/'s lock for the block: shared to read it, exclusive to write it. Refused at once
    (an InputError naming raw/) while another holder excludes it."""
    shown = raw.as_posix()
    try:
        descriptor = os.open(raw, os.O_RDONLY | os.O_DIRECTORY)
    except (FileNotFoundError, NotADirectoryError):
        raise InputError(shown, RAW_MISSING) from None
    except OSError as error:
        raise InputError(shown, f"expected a readable raw folder ({error.strerror})") from None
    try:
        try:
            fcntl.flock(descriptor, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
        except BlockingIOError:
            raise InputError(
                shown,
                "another pipeline add or run holds the lock on this raw folder; try again when "
                "it has finished",
            ) from None
        yield
    finally:
        os.close(descriptor)  # closing the only descriptor releases the lock
