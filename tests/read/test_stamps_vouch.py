"""The kernel's stamps vouch for files and listings only on file systems that keep a change time
no user can set back; on FAT, a network file system, or where the mount table cannot be read,
every file is read and hashed, every event folder listed, and a seal checked by content."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline import seal
from pipeline.manifest import Manifest
from pipeline.publish import current_build
from pipeline.read import folder as folder_module
from pipeline.read import rawtree, stamps
from tests.conftest import SEED, CliResult
from tests.scale.test_incremental import first_arguments

Cli = Callable[..., CliResult]

MOUNTS = rb"""22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
30 22 8:17 / /media/usb\040stick rw,nosuid - vfat /dev/sdb1 rw,fmask=0022
31 22 0:50 / /srv/raw/events/remote rw - nfs4 host:/pages rw
32 22 0:51 / /srv/scratch rw master:3 shared:7 - tmpfs tmpfs rw
33 22 0:52 / /srv/hidden rw - ramfs ramfs rw
34 22 0:53 / /srv/hidden rw - tmpfs tmpfs rw
35 22 0:54 / /srv/shown rw - tmpfs tmpfs rw
36 22 0:55 / /srv/shown rw - ramfs ramfs rw
37 22 0:56 / /srv/caf\351 rw - ramfs ramfs rw
38 22 0:57 / /srv/fs\034sep rw - ramfs ramfs rw
"""


@pytest.mark.parametrize(
    ("root", "vouch"),
    [
        ("/home/me/raw", True),  # on the ext4 root
        ("/srv/scratch/raw", True),  # tmpfs, past its optional fields
        ("/media/usb stick/raw", False),  # FAT: its change time is its modification time
        ("/srv/raw", False),  # an NFS mount inside it
        ("/srv/raw/registry", True),  # beside that mount, not over it
        ("/srv/hidden/raw", True),  # the later of two mounts on one place is the one seen
        ("/srv/shown/raw", False),
        (os.fsdecode(b"/srv/caf\xe9/raw"), False),  # a mount point that is not UTF-8
        ("/srv/fs\x1csep/raw", False),  # a byte Python's splitlines() would split on
    ],
)
def test_stamps_vouch_where_the_file_system_keeps_a_change_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, root: str, vouch: bool
) -> None:
    table = tmp_path / "mountinfo"
    table.write_bytes(MOUNTS)
    monkeypatch.setattr(stamps, "MOUNT_TABLES", (str(tmp_path / "unreadable"), str(table)))
    assert stamps.stamps_vouch(root) is vouch


def test_without_a_mount_table_stamps_vouch_for_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stamps, "MOUNT_TABLES", (str(tmp_path / "none"),))
    assert stamps.stamps_vouch(tmp_path) is False


def published_manifest(warehouse: Path) -> tuple[Path, Manifest]:
    build = current_build(warehouse)
    manifest = None if build is None else Manifest.load(build)
    assert build is not None and manifest is not None
    return build, manifest


def test_where_stamps_vouch_for_nothing_a_rerun_reads_lists_and_hashes_everything(
    cli: Cli, raw_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stamps, "SETTLED_NS", 0)  # else the copies would not count yet
    assert stamps.stamps_vouch(raw_copy)  # the machine the tests run on keeps change times
    warehouse = tmp_path / "wh"
    run = ("run", "--raw", str(raw_copy), "--warehouse", str(warehouse))
    assert cli(*run).code == 0
    build, manifest = published_manifest(warehouse)
    assert list(manifest.stamps) == list(manifest.listed) == [SEED]
    # The same files, now where the kernel's mount table cannot be read (off Linux, say).
    monkeypatch.setattr(stamps, "MOUNT_TABLES", (str(tmp_path / "no mount table"),))
    read = first_arguments(monkeypatch, folder_module, "read_event")
    listed = first_arguments(monkeypatch, rawtree, "_entries")
    hashed = first_arguments(monkeypatch, seal, "_hash")
    rerun = cli(*run)
    assert rerun.code == 0 and "up to date" in rerun.out
    assert [folder.name for folder in read] == [SEED]
    assert f"{raw_copy}/events/{SEED}" in map(os.fspath, listed)
    assert build / "skating.duckdb" in hashed
    assert cli(*run, "--full").code == 0  # and a build there keeps no stamp
    assert published_manifest(warehouse)[1].stamps == published_manifest(warehouse)[1].listed == {}
