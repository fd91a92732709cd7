"""Every file under raw/ is read or refused: strays, odd folder names and links that leave raw/
are named (escaped), all at once, in path order, with exit 2."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from core.errors import InputError, InputErrors
from pipeline.read.rawtree import scan_raw
from tests.conftest import SEED, CliResult

Cli = Callable[..., CliResult]
PAGES_GO = "(pages go in {raw}/events/<event-id>/page.txt)"


def run(cli: Cli, raw: Path, tmp_path: Path) -> CliResult:
    return cli("run", "--raw", str(raw), "--warehouse", str(tmp_path / "wh"))


def test_every_stray_entry_is_named_in_one_run_in_path_order(
    cli: Cli, raw_copy: Path, tmp_path: Path
) -> None:
    (raw_copy / "notes.txt").write_text("to do")
    (raw_copy / "registry" / "old-athletes.csv").write_text("x")
    (raw_copy / "events" / "page.txt").write_text("a page in the wrong place")
    (raw_copy / "events" / SEED / "page.txt.bak").write_text("old")
    (raw_copy / "events" / SEED / "drafts").mkdir()
    (raw_copy / "events" / SEED / "drafts" / "page.txt").write_text("a draft")
    result = run(cli, raw_copy, tmp_path)
    go = PAGES_GO.format(raw=raw_copy)
    event = f"{raw_copy}/events/{SEED}"
    assert (result.code, result.out) == (2, "")
    assert result.err.splitlines() == [
        f"error: {event}: expected only page.txt and event.toml here {go}, "
        "found the folder 'drafts'",
        f"error: {event}: expected only page.txt and event.toml here {go}, "
        "found the file 'page.txt.bak'",
        f"error: {raw_copy}/events: expected only event folders named with letters, digits, "
        f"'-', '_' and '.', a letter or digit first here {go}, found the file 'page.txt'",
        f"error: {raw_copy}: expected only events/, registry/, reference/, waivers.toml and "
        f"README.md here {go}, found the file 'notes.txt'",
        f"error: {raw_copy}/registry: expected only nocs.csv, athletes.csv, aliases.csv, "
        f"nationalities.csv and nation_names.csv here {go}, found the file 'old-athletes.csv'",
    ]


def test_an_event_folder_named_with_control_characters_is_refused_escaped(
    raw_copy: Path,
) -> None:
    (raw_copy / "events" / "2006-men\n\x1b[2J500m").mkdir()
    with pytest.raises(InputError) as refused:
        scan_raw(raw_copy, "raw")
    assert str(refused.value) == (
        "raw/events: expected only event folders named with letters, digits, '-', '_' and '.', "
        "a letter or digit first here (pages go in raw/events/<event-id>/page.txt), "
        "found the folder '2006-men\\n\\x1b[2J500m'"
    )


def test_a_symlink_loop_is_refused(raw_copy: Path) -> None:
    os.symlink("2006-loop", raw_copy / "events" / "2006-loop")
    os.symlink("page.txt", raw_copy / "events" / SEED / "event.toml.lnk")
    (raw_copy / "events" / SEED / "event.toml").unlink()
    os.symlink("event.toml", raw_copy / "events" / SEED / "event.toml")
    with pytest.raises(InputErrors) as refused:
        scan_raw(raw_copy, "raw")
    assert [str(error) for error in refused.value.errors] == [
        "raw/events/2006-loop: expected a file or folder, found a link loop",
        "raw/events/2006-men-1000m/event.toml: expected a file or folder, found a link loop",
        "raw/events/2006-men-1000m: expected only page.txt and event.toml here (pages go in "
        "raw/events/<event-id>/page.txt), found the link 'event.toml.lnk'",
    ]


def test_a_link_leading_out_of_raw_is_refused_and_its_target_never_printed(
    cli: Cli, raw_copy: Path, tmp_path: Path
) -> None:
    nocs = raw_copy / "registry" / "nocs.csv"
    nocs.unlink()
    os.symlink("/proc/self/environ", nocs)
    secret = tmp_path / "secret.toml"
    secret.write_text('password = "hunter2"\n')
    (raw_copy / "waivers.toml").unlink()
    os.symlink(os.path.relpath(secret, raw_copy), raw_copy / "waivers.toml")
    result = run(cli, raw_copy, tmp_path)
    assert (result.code, result.out) == (2, "")
    assert result.err == (
        f"error: {raw_copy}/registry/nocs.csv: expected a file or folder inside {raw_copy}, "
        "found a link leading out\n"
        f"error: {raw_copy}/waivers.toml: expected a file or folder inside {raw_copy}, "
        "found a link leading out\n"
    )


def test_a_linked_event_folder_leading_out_and_a_dangling_link_are_refused(
    raw_copy: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere"
    (raw_copy / "events" / SEED).rename(outside)
    os.symlink(outside, raw_copy / "events" / SEED)
    os.symlink(tmp_path / "nothing", raw_copy / "README.md")
    with pytest.raises(InputErrors) as refused:
        scan_raw(raw_copy, "raw")
    assert [str(error) for error in refused.value.errors] == [
        "raw/README.md: expected a file or folder, found a link to nothing",
        "raw/events/2006-men-1000m: expected a file or folder inside raw, found a link leading out",
    ]


def test_links_inside_raw_and_a_readme_are_accepted(raw_copy: Path) -> None:
    os.symlink("registry/nocs.csv", raw_copy / "README.md")
    (raw_copy / "events" / SEED).rename(raw_copy / "events" / "2006-men-1000m-v2")
    os.symlink("2006-men-1000m-v2", raw_copy / "events" / SEED)
    events = raw_copy / "events"
    assert scan_raw(raw_copy, "raw") == [events / SEED, events / "2006-men-1000m-v2"]
