"""An event folder's two files, read as bytes and hashed: all an incremental build (or a rerun
with nothing to do) needs to know whether an event changed. Light on imports on purpose."""

from __future__ import annotations

import hashlib
import os
import stat
import time
from collections.abc import Mapping
from pathlib import Path

from core.errors import InputError
from pipeline.read.lines import read_file
from pipeline.read.rawtree import Debris, RawLayout, walk_raw
from pipeline.read.stamps import settled


def discover_events(raw: Path, debris: Debris | None = None) -> list[Path]:
    """Event folders under raw/events/, sorted, once raw/ is known to hold only what the
    pipeline reads (pipeline.read.rawtree) and what `debris` clears; an empty or missing raw/
    is an input error."""
    return walk_events(raw, debris).folders


def walk_events(
    raw: Path, debris: Debris | None = None, known: Mapping[str, str] | None = None
) -> RawLayout:
    """discover_events, with the event folders' stamps (pipeline.read.rawtree.walk_raw): an
    event folder stamped as in `known` is not listed again."""
    layout = walk_raw(raw, raw.as_posix(), debris, known)
    if not layout.folders:
        raise InputError((raw / "events").as_posix(), "expected one folder per event, found none")
    return layout


def read_event(folder: Path, shown_as: str) -> tuple[bytes, bytes]:
    """The bytes of an event's page.txt and event.toml."""
    base = os.fspath(folder)  # joined as text: Path's `/` costs more than reading a small file
    return (
        read_file(f"{base}/page.txt", f"{shown_as}/page.txt", "a page file"),
        read_file(f"{base}/event.toml", f"{shown_as}/event.toml", "an event.toml beside the page"),
    )


def event_stamp(folder: Path) -> str | None:
    """What the kernel says of an event's two files (size, modification and change times,
    inode of each, as one line of numbers), taken before they are read, or None when a file
    is missing, is a link (its own stamp says nothing of the file it leads to) or changed too
    recently for its stamp to vouch for its bytes. The same rule as a published build's seal
    (pipeline.seal): no user can set a change time back, and a copy has new inodes."""
    now = time.time_ns()
    base = os.fspath(folder)
    try:
        page, toml = os.lstat(f"{base}/page.txt"), os.lstat(f"{base}/event.toml")
    except OSError:
        return None
    for info in (page, toml):
        if stat.S_ISLNK(info.st_mode) or not settled(info, now):
            return None
    return (
        f"{page.st_size} {page.st_mtime_ns} {page.st_ctime_ns} {page.st_ino} "
        f"{toml.st_size} {toml.st_mtime_ns} {toml.st_ctime_ns} {toml.st_ino}"
    )


def event_digest(page: bytes, toml: bytes) -> str:
    """Content hash of an event's two files: what the incremental build compares."""
    return hashlib.sha256(len(page).to_bytes(8, "big") + page + toml).hexdigest()
