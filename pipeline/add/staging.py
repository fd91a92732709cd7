"""The temporary names `pipeline add` writes raw/ under, and clearing what a killed add left.

An add writes nothing in place. A registry file is written whole as
`registry/.<name>.XXXXXXXX` and renamed over the file; an event folder is written whole as
`raw/.add-new-XXXXXXXX.<event-id>/` and renamed into `events/`. A folder it replaces is first
renamed to `raw/.add-old-XXXXXXXX.<event-id>/`, and deleted once the new one is in place. So a
page in `raw/events/` is always a finished add's, beside its own event.toml.

Anything so named is the debris of a killed add (the writer lock, pipeline.read.rawlock, keeps out
a live one): the next add or run clears it, and puts an old event folder back where its new one
never arrived. Only what is provably an add's is touched: the exact name, a real file or folder
(not a link), a folder holding nothing but page.txt and event.toml files. Anything else is left
for the scan of raw/ to refuse.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from core.durable import current_umask, sync_path
from pipeline.read.rawlock import raw_lock
from pipeline.read.rawtree import EVENT_FILES, SLUG

RANDOM = "[a-z0-9_]{8}"  # what tempfile puts between a prefix and a suffix
REGISTRY_TEMPORARY = re.compile(rf"\.(?:athletes|aliases)\.csv\.{RANDOM}")
STAGED_FOLDER = re.compile(rf"\.add-(new|old)-({RANDOM})\.({SLUG.pattern})")
# Earlier versions of `pipeline add` wrote an event's files in place, each through a temporary
# `.page.txt.XXXXXXXX` / `.event.toml.XXXXXXXX` beside it: a killed one left those in the event
# folder, and the scan of raw/ refused them until someone removed them by hand.
EVENT_FILE_TEMPORARY = re.compile(rf"\.(?:page\.txt|event\.toml)\.{RANDOM}")


def new_mode(path: Path) -> int:
    """The permissions `path` has, or those a new file gets (tempfile's would be private)."""
    if path.exists():
        return path.stat().st_mode & 0o777
    return 0o666 & ~current_umask()


def registry_temporary(target: Path) -> tuple[int, Path]:
    """An open new file beside the registry file `target`, named as clear_debris knows it."""
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    return handle, Path(name)


def staged_folder(raw: Path, event_id: str) -> Path:
    """A new empty folder in raw/ to write an event folder in, named as clear_debris knows it."""
    folder = Path(tempfile.mkdtemp(dir=raw, prefix=".add-new-", suffix=f".{event_id}"))
    os.chmod(folder, 0o777 & ~current_umask())  # as mkdir makes it; mkdtemp's is private
    return folder


def old_folder(staged: Path) -> Path:
    """Where the event folder a staged one replaces waits until it is deleted."""
    return staged.with_name(staged.name.replace(".add-new-", ".add-old-", 1))


def _is_event_folder_debris(entry: os.DirEntry[str]) -> bool:
    """A real folder holding nothing but page.txt and event.toml files (not links)."""
    if not entry.is_dir(follow_symlinks=False):
        return False
    try:
        with os.scandir(entry.path) as listing:
            return all(
                file.name in EVENT_FILES and file.is_file(follow_symlinks=False) for file in listing
            )
    except FileNotFoundError:  # another reader cleared it meanwhile
        return False


def remove_event_folder(folder: Path) -> None:
    """Delete an event folder of an add's (its two files, then the folder); a folder something
    else has appeared in is left for the scan of raw/ to refuse."""
    for name in EVENT_FILES:
        (folder / name).unlink(missing_ok=True)
    with contextlib.suppress(OSError):  # gone (another reader), or not only ours any more
        os.rmdir(folder)


def _clear_registry(registry: Path) -> None:
    """Remove the registry files a killed add was writing (an add writes through no link)."""
    if registry.is_symlink():
        return
    try:
        listing = os.scandir(registry)
    except (FileNotFoundError, NotADirectoryError):
        return
    with listing:
        for entry in listing:
            if REGISTRY_TEMPORARY.fullmatch(entry.name) and entry.is_file(follow_symlinks=False):
                Path(entry.path).unlink(missing_ok=True)


def clear_event_file(entry: os.DirEntry[str]) -> bool:
    """Remove a temporary page or event.toml an earlier version's add, killed, left in an
    event folder (a regular file of exactly such a name; never through a link): True if the
    entry was one. What `pipeline run`'s scan of raw/ calls on each file it would refuse."""
    if not EVENT_FILE_TEMPORARY.fullmatch(entry.name) or not entry.is_file(follow_symlinks=False):
        return False
    Path(entry.path).unlink(missing_ok=True)
    return True


def _clear_event_files(events: Path) -> None:
    """Remove the temporary page and event.toml files an earlier add, killed, left in event
    folders (regular files of exactly those names; never through a link)."""
    if events.is_symlink() or not events.is_dir():
        return
    with os.scandir(events) as folders:
        listed = [folder.path for folder in folders if folder.is_dir(follow_symlinks=False)]
    gone = (FileNotFoundError, NotADirectoryError)  # removed or replaced meanwhile
    for folder in sorted(listed):
        with contextlib.suppress(*gone), os.scandir(folder) as files:
            for file in files:
                clear_event_file(file)


def clear_debris(raw: Path, event_files: bool = True) -> None:
    """Clear what killed adds left in raw/: their temporary registry files and staged event
    folders, putting back an old event folder whose new one never arrived, and (unless the
    caller's own walk of the event folders does it, with clear_event_file) the temporary
    files of earlier versions' adds. Safe for several readers at once (each step tolerates
    another having done it); never while an add writes."""
    _clear_registry(raw / "registry")
    if event_files:
        _clear_event_files(raw / "events")
    try:
        listing = os.scandir(raw)
    except (FileNotFoundError, NotADirectoryError):
        return
    with listing:
        found = [(entry, STAGED_FOLDER.fullmatch(entry.name)) for entry in listing]
    for entry, match in sorted(found, key=lambda pair: pair[0].name):
        if match is None or not _is_event_folder_debris(entry):
            continue
        kind, event_id = match.group(1), match.group(3)
        target = raw / "events" / event_id
        if target.parent.is_symlink():
            continue  # an add writes through no link: not its own
        if kind == "old" and not os.path.lexists(target):
            try:
                os.rename(entry.path, target)  # the swap was cut between its two renames
            except FileNotFoundError:
                continue
            sync_path(raw)
            sync_path(target.parent)
        else:
            remove_event_folder(Path(entry.path))


@contextmanager
def reading_raw(raw: Path) -> Iterator[None]:
    """Hold raw/ for reading (shared with other readers, refused while an add writes it), with
    the debris of killed adds cleared first: what `pipeline run` reads raw/ within. The files
    earlier versions' adds left in event folders are cleared by the reader's scan of raw/
    (pipeline.read.folder.walk_events with clear_event_file): one walk of 10,000 event
    folders instead of two (a folder it knows by its stamp holds none: one made since would
    have changed the stamp)."""
    with raw_lock(raw, shared=True):
        clear_debris(raw, event_files=False)
        yield
