"""What the kernel's stamps vouch for without reading: an event's two files by their size,
times and inode (pipeline.read.folder.event_stamp), an event folder's listing by the folder's
own times and inode (pipeline.read.rawtree).

Any write to a file sets a later change time on it, and any entry made, removed or renamed in a
folder sets one on the folder; no user can set a change time back, and a copy has new inodes.
But the kernel stamps times from a coarse clock: a stamp taken less than SETTLED_NS after the
change time it records vouches for nothing, since a change in the same tick could go unseen.
"""

from __future__ import annotations

import os
import stat
import time

SETTLED_NS = 1_000_000_000


def settled(info: os.stat_result, now: int) -> bool:
    """True when what `info` describes last changed long enough before `now` (taken before
    `info`) for any later change to give it a later change time."""
    return info.st_ctime_ns + SETTLED_NS <= now


def folder_stamp(path: str) -> str | None:
    """An event folder's modification time, change time and inode (one line of numbers), taken
    before it is listed; None for a link (its stamp says nothing of the folder it leads to) or a
    folder changed too recently to vouch for its listing."""
    now = time.time_ns()
    try:
        info = os.lstat(path)
    except OSError:  # gone since its folder was listed: listing it says so
        return None
    if stat.S_ISLNK(info.st_mode) or not settled(info, now):
        return None
    return f"{info.st_mtime_ns} {info.st_ctime_ns} {info.st_ino}"
