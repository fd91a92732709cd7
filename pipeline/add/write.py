"""Writing a planned add: each file replaced whole by one rename, registry first and page last,
so that a page in raw/events/ means its add finished (a new add of it completes one that did
not)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from pipeline.add.athletes import csv_line
from pipeline.add.plan import AddPlan

HEADERS = {"athletes.csv": "athlete_id,name,noc", "aliases.csv": "alias,athlete_id,reason"}


def _mode(path: Path) -> int:
    """The permissions the file has, or a new file's (mkstemp would make it private)."""
    if path.exists():
        return path.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def replace_file(path: Path, data: bytes) -> None:
    """Write `data` to `path` by a rename of a synced temporary file beside it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = _mode(path)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        os.fchmod(handle, mode)
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


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


def write_plan(plan: AddPlan) -> list[Path]:
    """Write what the plan says; return the files written, in order."""
    written = []
    rows = [csv_line(row.athlete_id, row.name, row.noc) for row in plan.athletes]
    for name, new_rows in (("athletes.csv", rows), ("aliases.csv", [])):
        path = plan.registry_folder / name
        data = _registry_file(path, new_rows)
        if data is not None:
            replace_file(path, data)
            written.append(path)
    for page in plan.pages:
        if page.toml is not None:
            replace_file(page.folder / "event.toml", page.toml.encode())
            written.append(page.folder / "event.toml")
        if page.page_action:
            replace_file(page.folder / "page.txt", page.data)
            written.append(page.folder / "page.txt")
    return written
