"""Flushing to disk: what a rename-based write (a build published, an add's folder moved into
raw/) needs before it can be trusted to survive a power loss."""

from __future__ import annotations

import os
from pathlib import Path


def sync_path(path: Path) -> None:
    """fsync a file or a folder (a folder: so that the renames in it survive a power loss)."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def current_umask() -> int:
    """The process's umask (reading it means setting it: it is put straight back)."""
    umask = os.umask(0)
    os.umask(umask)
    return umask
