"""A published build's seal: its files made read-only, and what each file was when it was
published (size, modification and change times, inode), kept in seal.json beside them.

A build whose files no longer match their seal was changed after its checks ran (the stock
DuckDB CLI opened without -readonly, say): its report no longer speaks for its data, so a rerun
is never "up to date" over it, and its Parquet is not reused. The change time (ctime) is set by
the kernel on every write or chmod and cannot be set back by a user, so even a write that
restores the size and the modification time breaks the seal."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

SEAL_FILE = "seal.json"
READ_ONLY = ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)


def _files(build: Path) -> list[Path]:
    """Every file in the build, the seal itself apart, in a stable order."""
    found = (p for p in build.rglob("*") if not p.is_dir() or p.is_symlink())
    return sorted((p for p in found if p.name != SEAL_FILE or p.parent != build), key=str)


def _state(path: Path) -> list[int]:
    info = os.lstat(path)
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]


def _fingerprint(build: Path) -> dict[str, list[int]]:
    return {path.relative_to(build).as_posix(): _state(path) for path in _files(build)}


def seal(build: Path) -> None:
    """Make every file of a build read-only, then record what each is (call before publish's
    fsync, which then flushes the seal too)."""
    for path in _files(build):
        if path.is_file() and not path.is_symlink():
            os.chmod(path, stat.S_IMODE(os.lstat(path).st_mode) & READ_ONLY)
    text = json.dumps(_fingerprint(build), indent=0, sort_keys=True)
    (build / SEAL_FILE).write_text(text + "\n", encoding="utf-8")
    os.chmod(build / SEAL_FILE, 0o444)


def broken_seal(build: Path) -> str | None:
    """What changed in a build since it was sealed (a file changed, added or gone, or no seal
    at all), or None when every file is as it was published."""
    try:
        sealed = json.loads((build / SEAL_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return f"{SEAL_FILE} is missing or unreadable"
    if not isinstance(sealed, dict):
        return f"{SEAL_FILE} is unreadable"
    now = _fingerprint(build)
    for name in sorted(set(sealed) | set(now)):
        if name not in now:
            return f"{name} is gone"
        if name not in sealed:
            return f"{name} appeared"
        if sealed[name] != now[name]:
            return f"{name} changed"
    return None
