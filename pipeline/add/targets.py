"""Where a planned add writes, checked before anything is written: each place is absent or of
the kind written there (a file, a folder), and never a link, which an add does not write
through. Every problem is reported, in path order."""

from __future__ import annotations

import os
from pathlib import Path

from core.errors import InputError
from pipeline.read.rawtree import EVENT_FILES

Place = tuple[Path, str, str]  # a path, as messages show it, and what may be there


def registry_places(folder: Path, shown: str, names: list[str]) -> list[Place]:
    """The registry folder (shown as `shown`) and the files of it named, if any is written."""
    places = [(folder / name, f"{shown}/{name}", "a file") for name in names]
    return [(folder, shown, "a folder"), *places] if places else []


def event_places(folder: Path, shown: str) -> list[Place]:
    """raw/events/, an event folder written whole (shown as `shown`) and the files in it."""
    places = [(folder.parent, shown.rsplit("/", 1)[0], "a folder"), (folder, shown, "a folder")]
    if not folder.is_dir() or folder.is_symlink():
        return places  # nothing to look inside: the folder itself is refused, or is new
    return places + [(folder / name, f"{shown}/{name}", "a file") for name in EVENT_FILES]


def _found(path: Path) -> str | None:
    """What is at `path`, as a message says it; None if nothing is."""
    if path.is_symlink():
        return "a link (pipeline add writes nothing through a link)"
    if not os.path.lexists(path):
        return None
    return "a folder" if path.is_dir() else "a file"


def _unwritable(path: Path, staged_in: Path) -> str | None:
    """Why an add could not create, rename or replace entries in the folder `path`, which
    exists: no write permission, or another file system than raw/, where it stages what it
    renames in (a rename cannot cross one). None when it can."""
    if not os.access(path, os.W_OK | os.X_OK):
        return "one it may not write in (permission denied)"
    if os.stat(path).st_dev != os.stat(staged_in).st_dev:
        return f"one on another file system than {staged_in.name}/, where it stages its files"
    return None


def check_places(places: list[Place], raw: Path) -> list[InputError]:
    """A problem for each place holding something other than what an add writes there, and
    for each folder it writes in that it could not write in (all known before a write)."""
    problems = {}
    for path, shown, kind in [(raw, raw.as_posix(), "a folder"), *places]:
        found = _found(path)
        if found is not None and found != kind:
            message = f"expected {kind} or nothing here for pipeline add, found {found}"
            problems[shown] = InputError(shown, message)
        elif found == "a folder" and (why := _unwritable(path, raw)) is not None:
            problems[shown] = InputError(
                shown, f"expected a folder pipeline add can write in, found {why}"
            )
    return [problems[shown] for shown in sorted(problems)]
