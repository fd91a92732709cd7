"""A published build's seal: its files made read-only, and what each file was when it was
published (size, modification and change times, inode, content hash), kept in seal.json.

A build whose files no longer match their seal was changed after its checks ran (the stock
DuckDB CLI opened without -readonly, say): its report no longer speaks for its data, so a rerun
is never "up to date" over it, and its Parquet is not reused. Checking is a stat per file: a
file whose size or modification time differs has changed; one whose change time or inode
differs (the kernel sets ctime on every write, and a user cannot set it back; a copy of the
warehouse has new inodes) is hashed again, so a copy stays sealed and a write that restores the
modification time does not. Where stamps vouch for nothing (FAT, a network file system: see
pipeline.read.stamps), every file whose size and modification time match is hashed again."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Mapping
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

from pipeline.read.stamps import stamps_vouch

SEAL_FILE = "seal.json"
READ_ONLY = ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)


def _files(build: Path) -> list[Path]:
    """Every file in the build, the seal itself apart, in a stable order."""
    found = (p for p in build.rglob("*") if not p.is_dir() or p.is_symlink())
    return sorted((p for p in found if p.name != SEAL_FILE or p.parent != build), key=str)


def _stat(path: Path) -> list[int]:
    """Size, modification time, change time and inode: what a write changes."""
    info = os.lstat(path)
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]


def _hash(path: Path) -> str:
    if path.is_symlink():
        return "link:" + os.readlink(path)
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _unchanged(path: Path, sealed: object, vouch: bool) -> bool:
    """Whether the file is as sealed: its stat alike (where stamps vouch for anything: see
    pipeline.read.stamps), else its content."""
    if not (isinstance(sealed, list) and len(sealed) == 5):
        return False
    now = _stat(path)
    if now[:2] != sealed[:2]:
        return False
    return (vouch and now[2:] == sealed[2:4]) or _hash(path) == sealed[4]


@dataclass(frozen=True)
class Hashed:
    """A file hashed before its seal: what it was just before (already read-only), and its
    hash."""

    before: list[int]
    digest: str


def _read_only(path: Path) -> None:
    """Make a file read-only; one that already is keeps its change time (a chmod sets it)."""
    mode = stat.S_IMODE(os.lstat(path).st_mode)
    if mode & ~READ_ONLY:
        os.chmod(path, mode & READ_ONLY)


def hash_ahead(path: Path) -> Hashed:
    """Make a finished file read-only and hash it, beside the work that follows (the build's
    database, while its reports are written): the seal takes the hash only if the file's
    size, times and inode are still those taken before it was read. Any write since, which
    sets its change time, has it hashed again."""
    _read_only(path)
    before = _stat(path)
    return Hashed(before, _hash(path))


def seal(build: Path, ahead: Mapping[str, Future[Hashed]] | None = None) -> None:
    """Make every file of a build read-only, then record what each is (call before publish's
    fsync, which then flushes the seal too). `ahead` holds files hashed already
    (`hash_ahead`), by their path in the build."""
    for path in _files(build):
        if path.is_file() and not path.is_symlink():
            _read_only(path)
    files = {}
    for path in _files(build):
        name, now = path.relative_to(build).as_posix(), _stat(path)
        early = None if ahead is None or name not in ahead else ahead[name].result()
        files[name] = [*now, early.digest if early and early.before == now else _hash(path)]
    text = json.dumps(files, indent=0, sort_keys=True)
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
    now = {path.relative_to(build).as_posix(): path for path in _files(build)}
    vouch = stamps_vouch(build)
    for name in sorted(set(sealed) | set(now)):
        if name not in now:
            return f"{name} is gone"
        if name not in sealed:
            return f"{name} appeared"
        if not _unchanged(now[name], sealed[name], vouch):
            return f"{name} changed"
    return None
