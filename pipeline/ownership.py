"""What the pipeline may delete: only what it made. A warehouse folder it made holds a marker
file; it writes (and removes old builds) only in such a folder, or in an empty one it then marks.

A warehouse made before the marker existed is recognised by holding nothing but what the
pipeline makes (builds/, rejected/, .lock, the current, previous, skating.duckdb and parquet
links, and the temporary links of a killed run), each build in builds/ and rejected/ down to
its last file (pipeline.buildmark), and is marked on its next run. In a marked warehouse each
build proves itself (pipeline.publish.check_builds). A report file (--output) is never
written inside a warehouse, nor inside the raw folder a build reads (check_paths).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from core.errors import InputError, excerpt
from core.escape import utf8
from pipeline.buildmark import BUILD_NAME, STALE_REJECTED, holds_only_build_files
from pipeline.publish import (
    BUILDS,
    CURRENT,
    DUCKDB_FILE,
    LINK_TARGETS,
    LOCK,
    PARQUET_DIR,
    REJECTED,
    TEMPORARY_LINK,
    check_entries,
    remove_own_builds,
    writer_lock,
)

MARKER = ".skating-warehouse"
MARKER_TEXT = (
    "This folder is a warehouse made by `pipeline run`. The pipeline writes, and deletes old\n"
    "builds, only in folders holding this file (or empty ones, which it then marks).\n"
)


def _is_pipelines(entry: Path) -> bool:
    """`entry` (in a folder with no marker) is one the pipeline makes, of the kind it makes."""
    name = entry.name
    if name == MARKER:  # another run, claiming the same new folder, marked it meanwhile
        return entry.is_file() and not entry.is_symlink()
    if name in LINK_TARGETS:
        return entry.is_symlink() and LINK_TARGETS[name].fullmatch(os.readlink(entry)) is not None
    if TEMPORARY_LINK.fullmatch(name):
        return entry.is_symlink()
    if name == LOCK:
        return entry.is_file() and not entry.is_symlink()
    if name == REJECTED:
        return holds_only_build_files(entry)
    if name == BUILDS:
        return entry.is_dir() and not entry.is_symlink() and all(map(_old_build, entry.iterdir()))
    return False


def _old_build(folder: Path) -> bool:
    """A folder of builds/ in a folder with no marker: named as the pipeline names builds and
    holding nothing but what a build holds, down to the last file (a build's own mark is not
    enough here: it would vouch for the folder, not for what a user put beside it)."""
    named = BUILD_NAME.fullmatch(folder.name) or STALE_REJECTED.fullmatch(folder.name)
    return named is not None and holds_only_build_files(folder)


def _looks_pipelines(entry: Path) -> bool:
    try:
        return _is_pipelines(entry)
    except OSError:  # gone meanwhile (another run is cleaning): not proven the pipeline's
        return False


def _foreign(entries: list[Path]) -> list[Path]:
    """The entries the pipeline does not make (or not of that kind, or not pointing there)."""
    return [entry for entry in entries if not _looks_pipelines(entry)]


def _create(warehouse: Path) -> list[Path]:
    """Create the warehouse folder and any missing parent; the folders made, outermost first."""
    missing = []
    folder = warehouse
    while not os.path.lexists(folder) and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    created = []
    for folder in reversed(missing):
        try:
            folder.mkdir()
        except FileExistsError:  # another run made it meanwhile: it is not ours to remove
            continue
        except OSError as error:
            raise InputError(
                warehouse.as_posix(), f"expected a writable folder ({error.strerror})"
            ) from None
        created.append(folder)
    return created


def claim(warehouse: Path) -> list[Path]:
    """Make sure the pipeline may write and delete builds in `warehouse`, creating it if it is
    missing; refuse a folder holding anything else. Returns the folders it created."""
    created = _create(warehouse)
    try:
        _claim_existing(warehouse)
    except BaseException:
        _remove_empty(created)
        raise
    return created


def _claim_existing(warehouse: Path) -> None:
    if not warehouse.is_dir():
        raise InputError(warehouse.as_posix(), "expected a writable folder (File exists)")
    if not (warehouse / MARKER).is_file():
        foreign = _foreign(sorted(warehouse.iterdir()))
        if foreign and (warehouse / MARKER).is_file():
            foreign = []  # another run marked it meanwhile, its entries changing as we looked
        if {entry.name for entry in foreign} <= {DUCKDB_FILE, PARQUET_DIR}:
            check_entries(warehouse)  # the user's own file where a link goes: says which
        if foreign:
            others = f" and {len(foreign) - 1} more entries" if len(foreign) > 1 else ""
            raise InputError(
                warehouse.as_posix(),
                "expected an empty folder or a warehouse made by the pipeline (it deletes old "
                f"builds in its warehouses, so it writes only into empty folders or ones marked "
                f"by {MARKER}), found {excerpt(foreign[0].name)}{others}",
            )
        (warehouse / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
    for name in (BUILDS, REJECTED):
        if (warehouse / name).is_symlink():
            raise InputError(
                (warehouse / name).as_posix(),
                "expected the folder the pipeline made (it deletes old builds in it), found a link",
            )


def _unmake(warehouse: Path, created: list[Path]) -> None:
    """Remove a warehouse folder this run created and published nothing into; only while holding
    its writer lock, as another run may have started building in the folder this one made."""
    if not created or os.path.lexists(warehouse / CURRENT):
        return
    remove_own_builds(warehouse, keep=set())
    for name in (LOCK, MARKER):
        (warehouse / name).unlink(missing_ok=True)
    _remove_empty([*created, warehouse / BUILDS])


def _remove_empty(created: list[Path]) -> None:
    """Remove the folders this run created, innermost first, as long as they are empty (without
    the writer lock, anything found in them may be another run's)."""
    for folder in reversed(created):
        try:
            folder.rmdir()  # not rmtree: anything else found in it is not ours
        except FileNotFoundError:  # never made (builds/ before any build), or gone already
            continue
        except OSError:
            return


@contextmanager
def writing(warehouse: Path) -> Iterator[None]:
    """Claim the warehouse and hold its writer lock; a warehouse folder created here is removed
    again if the block fails, so a refused run into a new path leaves nothing behind."""
    created = claim(warehouse)
    locked = False
    try:
        with writer_lock(warehouse):
            locked = True
            try:
                yield
            except BaseException:
                _unmake(warehouse, created)  # the lock still held: no other writer is in it
                raise
    except BaseException:
        if not locked:  # refused the lock: another run is writing here, so leave its files be
            _remove_empty(created)
        raise


def _holds_a_warehouse(folder: Path) -> bool:
    """A warehouse folder: marked, or made before the marker (a current link and builds/)."""
    return (folder / MARKER).is_file() or (
        (folder / CURRENT).is_symlink() and (folder / BUILDS).is_dir()
    )


def check_output(output: Path, warehouse: Path) -> None:
    """Refuse a report file inside the warehouse, a build of it, or any pipeline warehouse."""
    resolved = output.resolve()
    folders = [warehouse.resolve(), (warehouse / DUCKDB_FILE).resolve().parent]
    inside = next((folder for folder in folders if resolved.is_relative_to(folder)), None)
    if inside is None:
        ancestors = {*resolved.parents, *output.absolute().parents}
        inside = next((f for f in sorted(ancestors) if _holds_a_warehouse(f)), None)
    if inside is not None:
        raise InputError(
            output.as_posix(),
            "expected a report file outside the warehouse (the pipeline writes only its builds "
            f"there), found a path inside {inside.as_posix()}",
        )


def check_paths(raws: list[Path], warehouse: Path, output: Path | None) -> None:
    """Paths the tables and reports can hold (UTF-8: they are written into source_file), and
    a report file outside the warehouse and the raw folders (`raws`) it was built from."""
    for path in (*raws, warehouse, output):
        if path is not None and undecodable(path):
            raise InputError(utf8(str(path)), "expected a path in UTF-8, found bytes that are not")
    if output is not None:
        check_output(output, warehouse)
        for raw in raws:
            if output.resolve().is_relative_to(raw.resolve()):
                raise InputError(
                    output.as_posix(),
                    "expected a report file outside the raw folder (every file in it is an "
                    f"input, read or refused), found a path inside {raw.as_posix()}",
                )


def raw_folders(warehouse: Path) -> list[Path]:
    """The raw folders `pipeline check` must not write a report into: the default raw/, and
    the one the checked build was built from (its manifest says)."""
    from pipeline.manifest import Manifest

    built = Manifest.load((warehouse / DUCKDB_FILE).resolve().parent)
    return [Path("raw"), *([Path(built.raw)] if built is not None else [])]


def undecodable(path: Path) -> bool:
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False
