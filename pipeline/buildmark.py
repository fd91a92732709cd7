"""How the pipeline proves that a folder under builds/ (or rejected/) is a build it wrote, and so
may delete it: `new_build` writes a mark naming the build into it first thing. A build without a
mark (one made before marks existed, or one killed before its mark was written) is the
pipeline's only if its name is a build's and it holds nothing but what a build holds, down to
the last file.
"""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.manifest import MANIFEST_FILE
from pipeline.seal import SEAL_FILE

BUILD_MARK = ".skating-build"
MARK_INTRO = (
    "This folder is a build written by `pipeline run`, which deletes it when it is neither the\n"
    "current nor the previous build. Keep nothing of yours in it.\n"
)
MARK_NAME_PREFIX = "build: "
# Folders under builds/: new_build's <UTC stamp>-…, and reject's .stale-rejected-<pid>.
BUILD_NAME = re.compile(r"\d{8}T\d{6}-.+")
STALE_REJECTED = re.compile(r"\.stale-rejected-\d+")
REJECTED_NAME = "rejected"  # pipeline.publish.REJECTED
# What a build holds besides its mark: pipeline.publish's DUCKDB_FILE (and the WAL and spill
# folder DuckDB keeps beside it while loading) and PARQUET_DIR of one file per table, the
# manifest, the check run saved by checks/saved.py (REPORT_FILE) and checks/carry.py
# (FAILURES_FILE), named here because the pipeline does not import checks/, and the seal a
# publish adds (pipeline.seal).
DUCKDB_NAMES = ("skating.duckdb", "skating.duckdb.wal")
DUCKDB_SPILL = "skating.duckdb.tmp"
PARQUET_NAME = "parquet"
BUILD_FILES = frozenset(
    (BUILD_MARK, MANIFEST_FILE, "report.json", "failures.json", SEAL_FILE, *DUCKDB_NAMES)
)
TABLE_FILE = re.compile(r"[a-z][a-z0-9_]*\.parquet")
SPILL_FILE = re.compile(r"duckdb_temp_[\w.-]+")


def mark_text(name: str) -> str:
    """The mark of build `name`."""
    return f"{MARK_INTRO}{MARK_NAME_PREFIX}{name}\n"


def mark_build(build: Path) -> None:
    """Mark a new, empty build folder as the pipeline's, before anything else is written in it."""
    (build / BUILD_MARK).write_text(mark_text(build.name), encoding="utf-8")


def marked_name(folder: Path) -> str | None:
    """The build name the folder's mark records; None if it has no mark of the pipeline's."""
    mark = folder / BUILD_MARK
    try:
        if mark.is_symlink() or not mark.is_file() or mark.stat().st_size > 4096:
            return None
        text = mark.read_text(encoding="utf-8")
    except (OSError, ValueError):
        return None
    name = text.removeprefix(MARK_INTRO).removeprefix(MARK_NAME_PREFIX).removesuffix("\n")
    return name if text == mark_text(name) and BUILD_NAME.fullmatch(name) else None


def is_moved_build(folder: Path) -> bool:
    """A build that reject moved: rejected/, or its replaced copy on the way to deletion."""
    return folder.name == REJECTED_NAME or STALE_REJECTED.fullmatch(folder.name) is not None


def _regular_file(path: Path) -> bool:
    return path.is_file() and not path.is_symlink()


def _only_files(folder: Path, name: re.Pattern[str]) -> bool:
    """`folder` is a real folder holding only regular files named by `name`."""
    if folder.is_symlink() or not folder.is_dir():
        return False
    return all(name.fullmatch(entry.name) and _regular_file(entry) for entry in folder.iterdir())


def _build_entry(entry: Path) -> bool:
    """`entry` (in a build folder) is a file or folder a build holds, of that kind."""
    if entry.name in BUILD_FILES:
        return _regular_file(entry)
    if entry.name == PARQUET_NAME:
        return _only_files(entry, TABLE_FILE)
    if entry.name == DUCKDB_SPILL:
        return _only_files(entry, SPILL_FILE)
    return False


def holds_only_build_files(folder: Path) -> bool:
    """`folder` is a real folder holding nothing but what a build holds, down to the last file."""
    if folder.is_symlink() or not folder.is_dir():
        return False
    try:
        return all(_build_entry(entry) for entry in folder.iterdir())
    except OSError:  # gone or unreadable meanwhile: nothing proves it is the pipeline's
        return False


def is_own_build(folder: Path) -> bool:
    """The pipeline wrote `folder` (a build, rejected/, or a replaced rejected/ being deleted):
    its mark names it (a moved build keeps the mark of the build it was), or it is named as the
    pipeline names builds and holds nothing but what a build holds."""
    if folder.is_symlink() or not folder.is_dir():
        return False
    marked = marked_name(folder)
    if marked is not None and (marked == folder.name or is_moved_build(folder)):
        return True
    named = BUILD_NAME.fullmatch(folder.name) is not None or is_moved_build(folder)
    return named and holds_only_build_files(folder)
