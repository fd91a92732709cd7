"""Writing a planned add, all or nothing: every file is first written whole under a temporary
name (pipeline.add.staging) and synced, then the registry files are renamed over theirs and each
event folder is renamed into raw/events/, the registry first. A page in raw/events/ therefore
means its add finished, beside the event.toml written with it; a killed add leaves only debris
that the next add or run clears."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from core.durable import sync_path
from core.errors import InputError
from pipeline.add.new_athletes import csv_line
from pipeline.add.plan import AddPlan, PagePlan
from pipeline.add.staging import (
    clear_debris,
    new_mode,
    old_folder,
    registry_temporary,
    remove_event_folder,
    staged_folder,
)

HEADERS = {"athletes.csv": "athlete_id,name,noc", "aliases.csv": "alias,athlete_id,reason"}


@dataclass(frozen=True)
class Staged:
    """A file or folder written under its temporary name, and where it goes."""

    temporary: Path
    target: Path


def _fill(descriptor: int, data: bytes) -> None:
    """Write `data` to a new file open as `descriptor`, sync it and close it."""
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)
        file.flush()
        os.fsync(file.fileno())


def _write_new(path: Path, data: bytes, mode: int) -> None:
    """Write a new file and sync it."""
    _fill(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode), data)


def _registry_file(path: Path, rows: list[str]) -> bytes | None:
    """The file with `rows` appended (and its header if it is new); None if unchanged."""
    if path.is_file():
        if not rows:
            return None
        old = path.read_bytes()
        newline = b"\r\n" if b"\r\n" in old else b"\n"
        lead = b"" if not old or old.endswith(b"\n") else newline
        return old + lead + newline.join(row.encode() for row in rows) + newline
    return "".join(f"{line}\n" for line in [HEADERS[path.name], *rows]).encode()


def _stage_registry(plan: AddPlan, staged: list[Staged]) -> None:
    """Write the registry files that change under temporary names beside them."""
    rows = [csv_line(row.athlete_id, row.name, row.noc) for row in plan.athletes]
    for name, new_rows in (("athletes.csv", rows), ("aliases.csv", [])):
        target = plan.registry_folder / name
        data = _registry_file(target, new_rows)
        if data is None:
            continue
        mode = new_mode(target)
        handle, temporary = registry_temporary(target)
        staged.append(Staged(temporary, target))
        os.fchmod(handle, mode)
        _fill(handle, data)


def _stage_event(raw: Path, page: PagePlan, staged: list[Staged]) -> None:
    """Write the event folder whole under a temporary name in raw/: the page and its
    event.toml (the new draft, or a copy of the one kept)."""
    existing = page.folder / "event.toml"
    toml = page.toml.encode() if page.toml is not None else existing.read_bytes()
    folder = staged_folder(raw, page.event_id)
    staged.append(Staged(folder, page.folder))
    _write_new(folder / "event.toml", toml, new_mode(existing))
    _write_new(folder / "page.txt", page.data, new_mode(page.folder / "page.txt"))
    if page.folder.is_dir():  # a replaced folder keeps its permissions
        os.chmod(folder, page.folder.stat().st_mode & 0o7777)
    sync_path(folder)


def _stage(plan: AddPlan, registry: list[Staged], events: list[Staged]) -> None:
    """Write everything the plan writes under temporary names; an OSError names the file or
    folder it was for (not the temporary one)."""
    target = plan.registry_folder
    try:
        _stage_registry(plan, registry)
        for page in plan.pages:
            if page.writes:
                target = page.folder
                page.folder.parent.mkdir(exist_ok=True)
                _stage_event(plan.raw, page, events)
    except OSError as error:
        reason = error.strerror or str(error)
        raise InputError(target.as_posix(), f"expected a writable place ({reason})") from None


def _swap_in(staged: Path, folder: Path) -> None:
    """Make the staged event folder raw/events/<id>: by one rename, or by two where a folder is
    there already (which waits under an add's name until the new one is in place)."""
    old = old_folder(staged)
    replacing = os.path.lexists(folder)
    if replacing:
        os.rename(folder, old)
    os.rename(staged, folder)
    sync_path(staged.parent)
    sync_path(folder.parent)
    if replacing:
        remove_event_folder(old)


def write_plan(plan: AddPlan) -> list[Path]:
    """Write what the plan says; return the files written, in order. Interrupted, it leaves
    raw/ as it was, or with the registry and some event folders written, never a half-written
    file or folder (what it staged is cleared, here or by the next add or run)."""
    registry: list[Staged] = []
    events: list[Staged] = []
    written: list[Path] = []
    pages = {page.folder: page for page in plan.pages}
    try:
        _stage(plan, registry, events)
        for item in registry:
            os.replace(item.temporary, item.target)
            written.append(item.target)
        if registry:
            sync_path(plan.registry_folder)
        for item in events:
            _swap_in(item.temporary, item.target)
            written += _files_of(pages[item.target])
    except BaseException:
        clear_debris(plan.raw)
        raise
    return written


def _files_of(page: PagePlan) -> list[Path]:
    """The files of an event folder an add changed."""
    toml = [page.folder / "event.toml"] if page.toml is not None else []
    return toml + ([page.folder / "page.txt"] if page.page_action else [])
