"""Where a planned add writes, checked before anything is written: each target is absent or of
the kind written there (a file, a folder), and never a link, which an add does not write
through. Every problem is reported, in path order."""

from __future__ import annotations

import os
from pathlib import Path

from pipeline.errors import InputError
from pipeline.parse.rawtree import EVENT_FILES


def _found(path: Path) -> str | None:
    """What is at `path`, as a message says it; None if nothing is."""
    if path.is_symlink():
        return "a link (pipeline add writes nothing through a link)"
    if not os.path.lexists(path):
        return None
    return "a folder" if path.is_dir() else "a file"


def _check(path: Path, shown: str, kind: str) -> InputError | None:
    """A problem if something other than a `kind` ("a file" or "a folder") is at `path`."""
    found = _found(path)
    if found is None or found == kind:
        return None
    return InputError(shown, f"expected {kind} or nothing here for pipeline add, found {found}")


def check_targets(
    registry: tuple[Path, str, list[str]], folders: list[tuple[Path, str]]
) -> list[InputError]:
    """The problems with the places an add writes: the registry folder (shown) and the names
    of its files written, and the event folders (shown) written whole."""
    folder, shown, names = registry
    places = [(folder, shown, "a folder")] if names else []
    places += [(folder / name, f"{shown}/{name}", "a file") for name in names]
    if folders:
        events, events_shown = folders[0][0].parent, folders[0][1].rsplit("/", 1)[0]
        places.append((events, events_shown, "a folder"))
    for event, event_shown in folders:
        places.append((event, event_shown, "a folder"))
        if event.is_dir() and not event.is_symlink():
            places += [(event / name, f"{event_shown}/{name}", "a file") for name in EVENT_FILES]
    problems = [_check(path, where, kind) for path, where, kind in places]
    return sorted((problem for problem in problems if problem), key=lambda problem: problem.path)
