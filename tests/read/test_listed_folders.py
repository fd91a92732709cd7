"""An event folder the walk of raw/ found holding page.txt and event.toml alone is stamped, and
the next run's walk knows it by that stamp instead of listing it again; any entry made, removed
or renamed in it since changes the stamp, so a stray is refused all the same."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.manifest import Manifest
from pipeline.publish import current_build
from pipeline.read import rawtree, stamps
from pipeline.read.rawtree import walk_raw
from tests.conftest import SEED, CliResult

Cli = Callable[..., CliResult]


@pytest.fixture
def settled_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Folders just copied count as settled (else none is stamped within a second)."""
    monkeypatch.setattr(stamps, "SETTLED_NS", 0)


def listed_from_now(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The folders each walk from now on lists, as it names them."""
    listed: list[str] = []
    real = rawtree._entries

    def recorded(folder: Path | str) -> list[os.DirEntry[str]]:
        listed.append(os.fspath(folder))
        return real(folder)

    monkeypatch.setattr(rawtree, "_entries", recorded)
    return listed


def run(cli: Cli, raw: Path, tmp_path: Path, *options: str) -> CliResult:
    return cli("run", "--raw", str(raw), "--warehouse", str(tmp_path / "wh"), *options)


def published_listed(tmp_path: Path) -> dict[str, str]:
    build = current_build(tmp_path / "wh")
    manifest = None if build is None else Manifest.load(build)
    assert manifest is not None
    return manifest.listed


@pytest.mark.usefixtures("settled_at_once")
def test_a_rerun_does_not_list_an_event_folder_stamped_clean(
    cli: Cli, raw_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run(cli, raw_copy, tmp_path).code == 0
    stamp = os.lstat(raw_copy / "events" / SEED)
    assert published_listed(tmp_path) == {
        SEED: f"{stamp.st_mtime_ns} {stamp.st_ctime_ns} {stamp.st_ino}"
    }
    listed = listed_from_now(monkeypatch)
    rerun = run(cli, raw_copy, tmp_path)
    assert rerun.code == 0 and "up to date" in rerun.out
    assert sorted(listed) == sorted(
        f"{raw_copy}{under}" for under in ("", "/events", "/registry", "/reference")
    )


def stray_after_a_build(cli: Cli, raw_copy: Path, tmp_path: Path) -> Path:
    """The event folder, a stray made in it once a build has stamped it clean."""
    assert run(cli, raw_copy, tmp_path).code == 0
    folder = raw_copy / "events" / SEED
    before = folder.stat()
    (folder / "page.txt.bak").write_text("old", encoding="utf-8")
    os.utime(folder, ns=(before.st_atime_ns, before.st_mtime_ns))  # its change time moves on
    assert folder.stat().st_mtime_ns == before.st_mtime_ns
    return folder


def assert_stray_refused(result: CliResult, folder: Path) -> None:
    assert result.code == 2
    assert result.err.startswith(f"error: {folder}: expected only page.txt and event.toml here")
    assert result.err.rstrip().endswith("found the file 'page.txt.bak'")


@pytest.mark.usefixtures("settled_at_once")
def test_a_stray_made_in_an_event_folder_known_by_its_stamp_is_refused(
    cli: Cli, raw_copy: Path, tmp_path: Path
) -> None:
    folder = stray_after_a_build(cli, raw_copy, tmp_path)
    assert_stray_refused(run(cli, raw_copy, tmp_path), folder)


@pytest.mark.usefixtures("settled_at_once")
def test_a_full_run_lists_every_event_folder_again(
    cli: Cli, raw_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run(cli, raw_copy, tmp_path).code == 0
    listed = listed_from_now(monkeypatch)
    assert run(cli, raw_copy, tmp_path, "--full").code == 0
    assert f"{raw_copy}/events/{SEED}" in listed
    assert list(published_listed(tmp_path)) == [SEED]


@pytest.mark.usefixtures("settled_at_once")
def test_only_plain_listings_are_stamped_and_a_changed_stamp_is_listed(
    raw_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events = raw_copy / "events"
    for name in ("linked-page", "linked-folder-target", "plain"):
        shutil.copytree(events / SEED, events / name)
    (events / "linked-page" / "page.txt").unlink()
    os.symlink(f"../{SEED}/page.txt", events / "linked-page" / "page.txt")
    os.symlink("linked-folder-target", events / "linked-folder")
    first = walk_raw(raw_copy, "raw", None, {})
    assert sorted(first.listed) == [SEED, "linked-folder-target", "plain"]
    assert walk_raw(raw_copy, "raw").listed == {}  # no stamps asked for: none taken
    known = {**first.listed, "plain": "1 2 3"}  # a stamp the folder no longer has
    listed = listed_from_now(monkeypatch)
    again = walk_raw(raw_copy, "raw", None, known)
    assert again == first
    assert sorted(Path(folder).name for folder in listed if "/events/" in folder) == [
        "linked-folder",
        "linked-page",
        "plain",
    ]


def test_a_folder_changed_within_a_second_or_a_link_has_no_stamp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "2099-men-500m"
    folder.mkdir()
    assert stamps.folder_stamp(os.fspath(folder)) is None  # within the kernel clock's tick
    monkeypatch.setattr(stamps, "SETTLED_NS", 0)
    assert stamps.folder_stamp(os.fspath(folder)) is not None
    os.symlink(folder, tmp_path / "linked")
    assert stamps.folder_stamp(os.fspath(tmp_path / "linked")) is None
    assert stamps.folder_stamp(os.fspath(tmp_path / "gone")) is None


@pytest.mark.usefixtures("settled_at_once")
def test_stamps_from_a_tampered_manifest_vouch_for_nothing(
    cli: Cli, raw_copy: Path, tmp_path: Path
) -> None:
    folder = stray_after_a_build(cli, raw_copy, tmp_path)
    build = current_build(tmp_path / "wh")
    assert build is not None
    manifest = build / "manifest.json"  # made to vouch for the folder as it is now, stray and all
    stamp = os.lstat(folder)
    published = json.loads(manifest.read_text(encoding="utf-8"))
    published["listed"] = {SEED: f"{stamp.st_mtime_ns} {stamp.st_ctime_ns} {stamp.st_ino}"}
    os.chmod(manifest, 0o644)
    manifest.write_text(json.dumps(published), encoding="utf-8")
    assert_stray_refused(run(cli, raw_copy, tmp_path), folder)


def test_nothing_behind_a_current_link_of_the_users_is_read(
    cli: Cli, raw_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run(cli, raw_copy, tmp_path).code == 0
    elsewhere = Path(shutil.copytree(tmp_path / "wh" / "current", tmp_path / "elsewhere"))
    (tmp_path / "wh" / "current").unlink()
    os.symlink(elsewhere, tmp_path / "wh" / "current")
    loaded: list[Path] = []
    real = Manifest.load

    def load(folder: Path) -> Manifest | None:
        loaded.append(folder)
        return real(folder)

    monkeypatch.setattr(Manifest, "load", load)
    refused = run(cli, raw_copy, tmp_path)
    assert refused.code == 2 and "expected a link made by pipeline run" in refused.err
    assert loaded == []


@pytest.mark.usefixtures("settled_at_once")
def test_a_folder_that_changed_while_it_was_listed_keeps_no_stamp(
    raw_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = raw_copy / "events" / SEED
    stray = folder / "page.txt.bak"
    stray.write_text("old", encoding="utf-8")
    real = rawtree._entries

    def stray_gone_first(where: Path | str) -> list[os.DirEntry[str]]:
        if os.fspath(where) == os.fspath(folder):  # after its stamp, before its listing
            stray.unlink(missing_ok=True)
        return real(where)

    monkeypatch.setattr(rawtree, "_entries", stray_gone_first)
    assert walk_raw(raw_copy, "raw", None, {}).listed == {}  # its stamp held the stray
    assert list(walk_raw(raw_copy, "raw", None, {}).listed) == [SEED]
