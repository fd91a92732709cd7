"""Builds live in warehouse/builds/<id>/; one symlink swap makes a complete build current.

warehouse/skating.duckdb -> current/skating.duckdb and warehouse/parquet -> current/parquet
never change; `current -> builds/<id>` is replaced by a rename, which is atomic, so a reader
sees the old build or the new one, never a mix.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import time
from collections.abc import Iterator, Mapping
from concurrent.futures import Future
from contextlib import contextmanager
from pathlib import Path

from core.durable import sync_path
from core.errors import InputError, InputErrors, PipelineError, excerpt, raise_problems
from pipeline.buildmark import is_own_build, mark_build
from pipeline.seal import SEAL_FILE, Hashed, broken_seal, seal

# What a build holds (and the warehouse links to). Named here, not in pipeline.warehouse, so
# that a rerun with nothing to do never imports DuckDB or Arrow.
DUCKDB_FILE = "skating.duckdb"
PARQUET_DIR = "parquet"
BUILDS = "builds"
CURRENT = "current"
PREVIOUS = "previous"
LOCK = ".lock"
REJECTED = "rejected"
# Where each link of a warehouse points, as publish writes them.
LINK_TARGETS = {
    CURRENT: re.compile(rf"{BUILDS}/[^/]+"),
    PREVIOUS: re.compile(rf"{BUILDS}/[^/]+"),
    DUCKDB_FILE: re.compile(rf"{CURRENT}/{re.escape(DUCKDB_FILE)}"),
    PARQUET_DIR: re.compile(rf"{CURRENT}/{PARQUET_DIR}"),
}
# _swap_link's temporary link (.current.<pid>), left behind by a killed run.
TEMPORARY_LINK = re.compile(r"\.(current|previous|skating\.duckdb|parquet)\.\d+")
LINK_SHOWN = {
    CURRENT: f"{BUILDS}/<build>",
    PREVIOUS: f"{BUILDS}/<build>",
    DUCKDB_FILE: f"{CURRENT}/{DUCKDB_FILE}",
    PARQUET_DIR: f"{CURRENT}/{PARQUET_DIR}",
}


@contextmanager
def writer_lock(warehouse: Path) -> Iterator[None]:
    """Hold the warehouse's writer lock (the folder exists: see pipeline.ownership.claim); a
    second writer is refused, not queued."""
    try:
        handle = open(warehouse / LOCK, "a+")  # held for the whole block
    except OSError as error:
        raise InputError(
            warehouse.as_posix(), f"expected a writable folder ({error.strerror})"
        ) from None
    busy = InputError(
        (warehouse / LOCK).as_posix(),
        "another pipeline run is writing this warehouse; try again when it has finished",
    )
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise busy from None
        # A run that made this folder and failed removes its lock file while holding it: a
        # lock taken on that file since is no lock on the folder's lock file now.
        if not _same_file(handle.fileno(), warehouse / LOCK):
            raise busy
        yield


def _same_file(descriptor: int, path: Path) -> bool:
    """Whether `path` is still the file open as `descriptor`."""
    try:
        found = os.stat(path)
    except FileNotFoundError:
        return False
    held = os.fstat(descriptor)
    return (found.st_dev, found.st_ino) == (held.st_dev, held.st_ino)


def check_entries(warehouse: Path) -> None:
    """The warehouse's links are the ones publish makes, pointing where it points them (or
    absent): a file or a link of the user's there would be read as the published build."""
    problems: list[PipelineError] = []
    for name, target in LINK_TARGETS.items():
        entry = warehouse / name
        if not os.path.lexists(entry):
            continue
        if not entry.is_symlink():
            found = f"a {'folder' if entry.is_dir() else 'file'}"
        elif not target.fullmatch(os.readlink(entry)):
            found = f"a link to {excerpt(os.readlink(entry))}"
        else:
            continue
        problems.append(
            InputError(
                entry.as_posix(),
                f"expected a link made by pipeline run (to {LINK_SHOWN[name]}), found {found}; "
                "move it away",
            )
        )
    raise_problems(problems)


def foreign_builds(warehouse: Path) -> list[Path]:
    """What builds/ and rejected/ hold that the pipeline cannot prove it wrote."""
    builds = warehouse / BUILDS
    found = sorted(builds.iterdir()) if builds.is_dir() else []
    if os.path.lexists(warehouse / REJECTED):
        found.append(warehouse / REJECTED)
    return [folder for folder in found if not is_own_build(folder)]


def _kind(entry: Path) -> str:
    return "link" if entry.is_symlink() else "folder" if entry.is_dir() else "file"


def check_builds(warehouse: Path) -> None:
    """Refuse a warehouse whose builds/ (or rejected/) holds a folder or file the pipeline did
    not write: it deletes old builds there, and a user's file is not one; every such entry on
    its own line, before anything is deleted."""
    foreign = foreign_builds(warehouse)
    if foreign:
        raise InputErrors(
            [
                InputError(
                    entry.as_posix(),
                    "expected only builds the pipeline wrote (it deletes old builds there), "
                    f"found a {_kind(entry)} it did not write; move it out of the warehouse",
                )
                for entry in foreign
            ]
        )


def remove_own_builds(warehouse: Path, keep: set[str]) -> None:
    """Delete the folders of builds/ the pipeline wrote, except those in `keep`; anything else
    found there (a user's folder appearing during the run) is left alone."""
    builds = warehouse / BUILDS
    for stale in builds.iterdir() if builds.is_dir() else ():
        if stale.name not in keep and is_own_build(stale):
            shutil.rmtree(stale, ignore_errors=True)


def clean_debris(warehouse: Path) -> None:
    """Remove what a killed writer left: unpublished builds and half-made links; refuse a
    warehouse whose builds/ holds what the pipeline did not write. Call it holding the lock."""
    check_builds(warehouse)
    keep = {link.name for link in (current_build(warehouse), previous_build(warehouse)) if link}
    remove_own_builds(warehouse, keep)
    for temporary in warehouse.iterdir():
        if TEMPORARY_LINK.fullmatch(temporary.name) and temporary.is_symlink():
            temporary.unlink()  # only _swap_link's own names: a link of the user's stays


def new_build(warehouse: Path) -> Path:
    """A fresh, empty build folder under warehouse/builds/ (debris of killed runs removed).

    Call it holding the writer lock."""
    check_entries(warehouse)
    clean_debris(warehouse)
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
    build = warehouse / BUILDS / f"{stamp}-{time.monotonic_ns() % 10**9:09d}-{os.getpid()}"
    build.mkdir(parents=True)
    mark_build(build)  # first thing: a build killed after this is provably the pipeline's
    return build


def _linked_build(warehouse: Path, name: str) -> Path | None:
    link = warehouse / name
    return warehouse / os.readlink(link) if link.is_symlink() else None


def current_build(warehouse: Path) -> Path | None:
    """The build `current` points at, if any."""
    return _linked_build(warehouse, CURRENT)


def previous_build(warehouse: Path) -> Path | None:
    """The build that was current before it, kept for readers still using it."""
    return _linked_build(warehouse, PREVIOUS)


def _swap_link(warehouse: Path, name: str, target: str) -> None:
    """Point warehouse/name at target with one atomic rename."""
    temporary = warehouse / f".{name}.{os.getpid()}"  # clean_debris knows this pattern
    temporary.unlink(missing_ok=True)
    os.symlink(target, temporary)
    os.replace(temporary, warehouse / name)


def _fsync_tree(folder: Path) -> None:
    """Flush every file of a build to disk before it can become current."""
    for path in folder.rglob("*"):
        if path.is_file():
            sync_path(path)


def publish(
    warehouse: Path, build: Path, hashed: Mapping[str, Future[Hashed]] | None = None
) -> None:
    """Make `build` current atomically, keep the one before as `previous`, drop older builds.
    Its files are sealed read-only first (pipeline.seal; `hashed`: those hashed already),
    then flushed to disk."""
    seal(build, hashed)
    _fsync_tree(build)
    for name in (DUCKDB_FILE, PARQUET_DIR):
        if not (warehouse / name).is_symlink():
            _swap_link(warehouse, name, f"{CURRENT}/{name}")
    old = current_build(warehouse)
    _swap_link(warehouse, CURRENT, f"{BUILDS}/{build.name}")
    sync_path(warehouse)
    if old is not None and old.name != build.name:
        _swap_link(warehouse, PREVIOUS, f"{BUILDS}/{old.name}")
    discard_rejected(warehouse)  # its failures are fixed or gone: never report them as today's
    remove_own_builds(warehouse, {build.name, old.name if old else ""})


def discard_rejected(warehouse: Path) -> None:
    """Remove warehouse/rejected/: a publish makes its failures yesterday's news, and a new
    rejection replaces it. Renamed aside first, so that it vanishes at once, whole."""
    rejected = warehouse / REJECTED
    if os.path.lexists(rejected):
        if not is_own_build(rejected):  # checked before the build, but made meanwhile
            check_builds(warehouse)
        stale = warehouse / BUILDS / f".stale-rejected-{os.getpid()}"
        os.rename(rejected, stale)
        shutil.rmtree(stale, ignore_errors=True)


def reject(warehouse: Path, build: Path) -> Path:
    """Keep a build whose checks failed as warehouse/rejected/ (replacing the last one)."""
    discard_rejected(warehouse)
    rejected = warehouse / REJECTED
    os.rename(build, rejected)
    return rejected


def unpublished_change(folder: Path) -> str | None:
    """Why the database `pipeline check --warehouse folder` reads is not the one a published
    build's checks passed, or None: a published build (or a warehouse's current one) whose
    files changed since, or a file or link of someone's where the warehouse links its
    database. A rejected or pre-seal build has no seal to hold it to: None."""
    if (folder / SEAL_FILE).is_file():  # a build folder itself (builds/<id>, current)
        return _changed(folder)
    link = folder / DUCKDB_FILE
    if not (folder / CURRENT).is_symlink():
        return None  # not a warehouse folder: a rejected build, or a database of one's own
    if not link.is_symlink() or not LINK_TARGETS[DUCKDB_FILE].fullmatch(os.readlink(link)):
        return f"{DUCKDB_FILE} is not the link to the published build"
    current = current_build(folder)
    if current is None or not (current / SEAL_FILE).is_file():
        return None
    return _changed(current)


def _changed(build: Path) -> str | None:
    """What of a sealed build changed since it was published, said for a warning."""
    changed = broken_seal(build)
    return None if changed is None else f"the build {build.name} changed ({changed})"
