"""What the kernel's stamps vouch for without reading: an event's two files by their size,
times and inode (pipeline.read.folder.event_stamp), an event folder's listing by the folder's
own times and inode (pipeline.read.rawtree), a published build's files (pipeline.seal).

Any write to a file sets a later change time on it, and any entry made, removed or renamed in a
folder sets one on the folder; no user can set a change time back, and a copy has new inodes.
But the kernel stamps times from a coarse clock, and some file systems keep whole seconds: a
stamp taken less than SETTLED_NS after the change time it records vouches for nothing, since a
change in the same tick could go unseen.

That holds on the file systems of TRUSTED_FILE_SYSTEMS only. FAT and exFAT (a USB stick) keep
no change time (theirs is the modification time, kept to 2 s and set back by `touch -d`,
`rsync -t` or `tar`); a network or FUSE file system reports what its server or daemon says,
perhaps from a cache. Under any other file system, or where the kernel's mount table cannot be
read (off Linux), stamps vouch for nothing, and every file is read and hashed.
"""

from __future__ import annotations

import os
import re
import stat
import time
from pathlib import Path

SETTLED_NS = 2_000_000_000  # whole seconds (ext2, ext3) and the kernel clock's lag, with room
# The kernel's mount table of this process (the second name where the first cannot be opened).
MOUNT_TABLES = ("/proc/self/mountinfo", f"/proc/{os.getpid()}/mountinfo")
# Linux file systems that set a change time on every change of a file or of a folder's
# entries, to the second or finer, which no user can set back (as /proc/self/mountinfo names
# them; overlay reports its upper layer's, one of these in practice).
TRUSTED_FILE_SYSTEMS = frozenset(
    {"ext2", "ext3", "ext4", "xfs", "btrfs", "tmpfs", "zfs", "f2fs", "overlay", "bcachefs"}
)
_OCTAL = re.compile(rb"\\([0-7]{3})")  # the table writes a space in a path as \040


def stamps_vouch(root: Path | str) -> bool:
    """Whether the kernel's stamps vouch for what lies under `root`: the file system holding
    it, and that of every mount inside it, is one of TRUSTED_FILE_SYSTEMS."""
    table = _mount_table()
    if table is None:
        return False
    where = os.fsencode(os.path.realpath(root))
    mounts = [mount for line in table.split(b"\n") if (mount := _mount(line)) is not None]
    holding = None  # the last of the deepest: a later mount on the same place hides the earlier
    for mount in mounts:
        if _within(where, mount[0]) and (holding is None or len(mount[0]) >= len(holding[0])):
            holding = mount
    if holding is None:
        return False
    inside = [mount for mount in mounts if _within(mount[0], where) and mount[0] != where]
    return all(kind in TRUSTED_FILE_SYSTEMS for _, kind in [holding, *inside])


def _mount_table() -> bytes | None:
    for name in MOUNT_TABLES:
        try:
            return Path(name).read_bytes()
        except OSError:
            continue
    return None


def _mount(line: bytes) -> tuple[bytes, str] | None:
    """A mount table line's mount point (as bytes: a name need not be UTF-8) and file system
    type (after the `-`)."""
    fields = line.split(b" ")
    if b"-" not in fields[6:]:
        return None
    kind = fields[fields.index(b"-", 6) + 1].decode("ascii", "replace")
    return _OCTAL.sub(lambda code: bytes([int(code.group(1), 8)]), fields[4]), kind


def _within(path: bytes, folder: bytes) -> bool:
    return path == folder or path.startswith(folder.rstrip(b"/") + b"/")


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
