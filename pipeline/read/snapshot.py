"""Files read once: the bytes a build parses are the bytes its manifest hashes.

The registry and waivers.toml used to be read for parsing and again for the manifest's digest:
an edit saved between the two reads published rows of the old file under the new file's hash,
and every later run called that build up to date. A Snapshot holds each file's bytes (or that it
was absent) as read once, and both the parsers and the digest take them from it."""

from __future__ import annotations

import os
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path


def read_or_none(path: Path) -> bytes | None:
    """The file's bytes, or None when nothing is there (anything else there is an error)."""
    if not os.path.lexists(path):
        return None
    return path.read_bytes()


@dataclass(frozen=True)
class Snapshot:
    """Bytes of files read once, keyed by path; a file not in it is read when asked for."""

    contents: dict[Path, bytes | None] = field(default_factory=dict)

    @classmethod
    def take(cls, paths: Iterable[Path]) -> Snapshot:
        """The files read now; one that cannot be read (a folder there) is left to its
        parser, which refuses it in its own words when it asks for it."""
        contents: dict[Path, bytes | None] = {}
        for path in paths:
            with suppress(OSError):
                contents[path] = read_or_none(path)
        return cls(contents)

    def bytes_of(self, path: Path) -> bytes | None:
        """The file's bytes as read once, or None if it was absent."""
        return self.contents[path] if path in self.contents else read_or_none(path)
