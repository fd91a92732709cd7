"""The pipeline deletes only builds it can prove it wrote: each build holds a mark naming it,
written first thing; a build without one (made before marks, or killed before its mark) is the
pipeline's only if it is named as a build and holds nothing but what a build holds, down to the
last file. Anything else found in builds/ or as rejected/ is refused (exit 2, one line each)
and left where it is."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

import checks.carry
import checks.saved
import pipeline.publish
from core.errors import InputErrors
from pipeline.buildmark import BUILD_FILES, BUILD_MARK, DUCKDB_NAMES, PARQUET_NAME, REJECTED_NAME
from pipeline.ownership import MARKER
from pipeline.publish import new_build, publish, reject
from tests.conftest import RAW, CliResult, corrupt

Cli = Callable[..., CliResult]
REFUSED = (
    "expected an empty folder or a warehouse made by the pipeline (it deletes old builds in its "
    "warehouses, so it writes only into empty folders or ones marked by .skating-warehouse), found "
)
NOT_A_BUILD = (
    "expected only builds the pipeline wrote (it deletes old builds there), found a {} it did "
    "not write; move it out of the warehouse"
)
PHOTO = b"\xff\xd8\xff\xe0 a photo"


def files(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.is_symlink()
    }


def run(cli: Cli, warehouse: Path, *extra: str, raw: Path = RAW) -> CliResult:
    return cli("run", "--raw", str(raw), "--warehouse", str(warehouse), *extra)


def write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse with a current and a previous build, made once per module."""
    from pipeline.cli import main

    warehouse = tmp_path_factory.mktemp("made") / "wh"
    for _ in range(2):
        assert main(["run", "--raw", str(RAW), "--warehouse", str(warehouse), "--full"]) == 0
    return warehouse


@pytest.fixture
def warehouse(made: Path, tmp_path: Path) -> Path:
    """A private copy of the made warehouse (its links are relative)."""
    return Path(shutil.copytree(made, tmp_path / "wh", symlinks=True))


def builds(warehouse: Path) -> list[str]:
    return sorted(p.name for p in (warehouse / "builds").iterdir())


def current(warehouse: Path) -> str:
    return os.readlink(warehouse / "current").removeprefix("builds/")


@pytest.mark.parametrize(
    "layout, found",
    [
        # Photos in a folder whose name looks like a build's: not an old warehouse.
        ({"builds/20240817T101500-holiday/photo.jpg": PHOTO}, "'builds'"),
        # A build-like folder holding a build's files and one of the user's.
        (
            {
                "builds/20240817T101500-1-1/manifest.json": b"{}",
                "builds/20240817T101500-1-1/parquet/results.parquet": b"PAR1",
                "builds/20240817T101500-1-1/parquet/photo.jpg": PHOTO,
            },
            "'builds'",
        ),
        # A mark copied beside the photos proves nothing here: every file is looked at.
        (
            {
                f"builds/20240817T101500-1-1/{BUILD_MARK}": b"build: 20240817T101500-1-1\n",
                "builds/20240817T101500-1-1/photo.jpg": PHOTO,
            },
            "'builds'",
        ),
        ({"rejected/photo.jpg": PHOTO, ".lock": b""}, "'rejected'"),
    ],
)
def test_an_unmarked_folder_is_an_old_warehouse_only_down_to_its_last_file(
    cli: Cli, tmp_path: Path, layout: dict[str, bytes], found: str
) -> None:
    folder = tmp_path / "photos"
    for name, data in layout.items():
        write(folder / name, data)
    before = files(folder)
    result = run(cli, folder)
    assert (result.code, result.out, result.err) == (2, "", f"error: {folder}: {REFUSED}{found}\n")
    assert files(folder) == before and not (folder / MARKER).exists()


def test_a_users_folders_in_builds_are_refused_and_kept(cli: Cli, warehouse: Path) -> None:
    published = current(warehouse)
    write(warehouse / "builds" / "my-notes" / "notes.txt", b"mine")
    write(warehouse / "builds" / "todo.txt", b"mine too")
    # A copy of a build under a name of the user's: its mark names the build it was copied from.
    shutil.copytree(warehouse / "builds" / published, warehouse / "builds" / "keep-2026")
    before = files(warehouse)
    for extra in ((), ("--full",)):  # the rerun with nothing to do cleans debris too
        result = run(cli, warehouse, *extra)
        assert (result.code, result.out) == (2, "")
        assert result.err.splitlines() == [
            f"error: {warehouse}/builds/keep-2026: {NOT_A_BUILD.format('folder')}",
            f"error: {warehouse}/builds/my-notes: {NOT_A_BUILD.format('folder')}",
            f"error: {warehouse}/builds/todo.txt: {NOT_A_BUILD.format('file')}",
        ]
        assert files(warehouse) == before and current(warehouse) == published


def test_a_users_rejected_folder_is_refused_before_a_failing_build_replaces_it(
    cli: Cli, warehouse: Path, raw_copy: Path, seed_copy: Path
) -> None:
    write(warehouse / "rejected" / "photo.jpg", PHOTO)
    corrupt(seed_copy, "- Competitors: 26", "- Competitors: 25")  # fails a check
    before = files(warehouse)
    result = run(cli, warehouse, raw=raw_copy)
    assert (result.code, result.out, result.err) == (
        2,
        "",
        f"error: {warehouse}/rejected: {NOT_A_BUILD.format('folder')}\n",
    )
    assert files(warehouse) == before


def test_debris_the_pipeline_can_prove_it_wrote_is_deleted(cli: Cli, warehouse: Path) -> None:
    published = current(warehouse)
    kept = builds(warehouse)
    # Killed mid-build: marked, holding anything at all (a half-written file of any name).
    killed = new_build(warehouse)
    write(killed / "parquet" / "results.parquet.half", b"PAR1")
    # Killed between mkdir and its mark, and a build of the layout before marks.
    (warehouse / "builds" / "20260101T000000-1-2").mkdir()
    old_layout = warehouse / "builds" / "20260101T000000-1-3"
    shutil.copytree(warehouse / "builds" / published, old_layout)
    (old_layout / BUILD_MARK).unlink()
    # Killed while reject replaced rejected/: the build moved keeps its original mark.
    shutil.copytree(warehouse / "builds" / published, warehouse / "builds" / ".stale-rejected-7")
    assert run(cli, warehouse).code == 0  # up to date, and the debris is gone
    assert builds(warehouse) == kept and current(warehouse) == published


def test_a_warehouse_of_the_layout_before_marks_is_accepted_and_marked(
    cli: Cli, warehouse: Path, raw_copy: Path, seed_copy: Path
) -> None:
    (warehouse / MARKER).unlink()
    for build in (warehouse / "builds").iterdir():
        (build / BUILD_MARK).unlink()
    corrupt(seed_copy, "- Competitors: 26", "- Competitors: 25")
    assert run(cli, warehouse, raw=raw_copy).code == 1  # rejected/ of the layout before marks
    (warehouse / MARKER).unlink()
    (warehouse / "rejected" / BUILD_MARK).unlink()
    published = current(warehouse)  # from the link: build names do not sort by age
    assert len(builds(warehouse)) == 2
    assert run(cli, warehouse, "--full").code == 0
    assert (warehouse / MARKER).is_file()
    assert builds(warehouse) == [published, current(warehouse)]  # the previous one deleted


def test_publish_leaves_a_folder_made_during_the_run(warehouse: Path) -> None:
    was_current = current(warehouse)
    build = new_build(warehouse)
    write(warehouse / "builds" / "my-notes" / "notes.txt", b"mine")
    publish(warehouse, build)
    assert builds(warehouse) == sorted([was_current, build.name, "my-notes"])
    assert files(warehouse / "builds" / "my-notes") == {"notes.txt": b"mine"}


def test_reject_leaves_a_rejected_folder_made_during_the_run(warehouse: Path) -> None:
    build = new_build(warehouse)
    write(warehouse / "rejected" / "photo.jpg", PHOTO)
    with pytest.raises(InputErrors) as refused:
        reject(warehouse, build)
    assert str(refused.value) == f"{warehouse}/rejected: {NOT_A_BUILD.format('folder')}"
    assert files(warehouse / "rejected") == {"photo.jpg": PHOTO}


def test_what_a_build_holds_is_named_as_its_writers_name_it() -> None:
    assert {checks.saved.REPORT_FILE, checks.carry.FAILURES_FILE} <= BUILD_FILES
    assert pipeline.publish.DUCKDB_FILE == DUCKDB_NAMES[0]
    assert (pipeline.publish.PARQUET_DIR, pipeline.publish.REJECTED) == (
        PARQUET_NAME,
        REJECTED_NAME,
    )


def test_every_file_of_a_real_build_is_one_a_build_holds(made: Path) -> None:
    for build in (made / "builds").iterdir():
        names = {path.relative_to(build).parts[0] for path in build.rglob("*")}
        assert names <= BUILD_FILES | {PARQUET_NAME}, names
        assert (build / BUILD_MARK).read_text().endswith(f"build: {build.name}\n")
