"""An event folder's two files, read as bytes and hashed: all an incremental build (or a rerun
with nothing to do) needs to know whether an event changed. Light on imports on purpose."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from core.errors import InputError
from pipeline.read.lines import read_file
from pipeline.read.rawtree import scan_raw


def discover_events(raw: Path) -> list[Path]:
    """Event folders under raw/events/, sorted, once raw/ is known to hold only what the
    pipeline reads (pipeline.read.rawtree); an empty or missing raw/ is an input error."""
    folders = scan_raw(raw, raw.as_posix())
    if not folders:
        raise InputError((raw / "events").as_posix(), "expected one folder per event, found none")
    return folders


def read_event(folder: Path, shown_as: str) -> tuple[bytes, bytes]:
    """The bytes of an event's page.txt and event.toml."""
    base = os.fspath(folder)  # joined as text: Path's `/` costs more than reading a small file
    return (
        read_file(f"{base}/page.txt", f"{shown_as}/page.txt", "a page file"),
        read_file(f"{base}/event.toml", f"{shown_as}/event.toml", "an event.toml beside the page"),
    )


def event_digest(page: bytes, toml: bytes) -> str:
    """Content hash of an event's two files: what the incremental build compares."""
    return hashlib.sha256(len(page).to_bytes(8, "big") + page + toml).hexdigest()
