"""The pipeline deletes only what it made: it writes into empty folders or warehouses it marked,
never follows a linked builds/ folder, never writes a report inside a warehouse, and a refused
run into a new path leaves nothing behind."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import pytest

import pipeline.ownership
from core.errors import InputError
from pipeline.ownership import MARKER, claim, writing
from pipeline.publish import writer_lock
from tests.conftest import REPO, SEED, CliResult, corrupt

Cli = Callable[..., CliResult]
REFUSED = (
    "expected an empty folder or a warehouse made by the pipeline (it deletes old builds in its "
    "warehouses, so it writes only into empty folders or ones marked by .skating-warehouse), found "
)


def files(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def run(cli: Cli, raw: Path, warehouse: Path, *extra: str) -> CliResult:
    return cli("run", "--raw", str(raw), "--warehouse", str(warehouse), *extra)


@pytest.mark.parametrize(
    "layout, found",
    [
        ({"builds/thesis/chapter1.tex": "…", "notes.txt": "mine"}, "'builds' and 1 more entries"),
        ({"builds/old-results/results.csv": "rank,name"}, "'builds'"),  # a builds/, not ours
        (
            {".lock": "", "builds/20260101T000000-1-1/manifest.json": "", "current": "link:/etc"},
            "'current'",
        ),
    ],
)
def test_a_folder_holding_other_things_is_refused_and_left_alone(
    cli: Cli, raw_copy: Path, tmp_path: Path, layout: dict[str, str], found: str
) -> None:
    folder = tmp_path / "project"
    for name, content in layout.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        if content.startswith("link:"):
            os.symlink(content.removeprefix("link:"), folder / name)
        else:
            (folder / name).write_text(content)
    before = files(folder)
    result = run(cli, raw_copy, folder)
    assert (result.code, result.out) == (2, "")
    assert result.err == f"error: {folder}: {REFUSED}{found}\n"
    assert files(folder) == before and not (folder / MARKER).exists()


def test_a_linked_builds_folder_is_refused_and_its_target_kept(
    cli: Cli, raw_copy: Path, tmp_path: Path
) -> None:
    precious = tmp_path / "precious"
    (precious / "thesis").mkdir(parents=True)
    (precious / "thesis" / "chapter1.tex").write_text("years of work")
    warehouse = tmp_path / "wh"
    assert run(cli, raw_copy, warehouse).code == 0
    (warehouse / "builds").rename(tmp_path / "old-builds")
    os.symlink(precious, warehouse / "builds")
    result = run(cli, raw_copy, warehouse)
    assert (result.code, result.err) == (
        2,
        f"error: {warehouse}/builds: expected the folder the pipeline made (it deletes old builds "
        "in it), found a link\n",
    )
    assert files(precious) == {"thesis/chapter1.tex": b"years of work"}


def test_new_empty_and_older_warehouses_are_used_and_marked(
    cli: Cli, raw_copy: Path, tmp_path: Path
) -> None:
    new, empty = tmp_path / "a" / "new", tmp_path / "empty"
    empty.mkdir()
    for warehouse in (new, empty):
        assert run(cli, raw_copy, warehouse).code == 0
        assert (warehouse / MARKER).is_file()
    # A warehouse made before the marker existed holds only what the pipeline makes.
    # A second full build keeps the first as previous/ (a plain rerun would be up to date).
    assert cli("run", "--raw", str(raw_copy), "--warehouse", str(empty), "--full").code == 0
    (empty / MARKER).unlink()
    assert sorted(p.name for p in empty.iterdir()) == [
        ".lock",
        "builds",
        "current",
        "parquet",
        "previous",
        "skating.duckdb",
    ]
    assert run(cli, raw_copy, empty).code == 0
    assert (empty / MARKER).is_file()


def test_a_marker_another_run_writes_while_this_one_looks_is_accepted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two runs into one new folder: the first marks it between the second's look for the marker
    and its listing of the folder (CI saw this race refuse the second run with exit 2)."""
    warehouse = tmp_path / "wh"
    warehouse.mkdir()
    (warehouse / ".lock").write_text("")
    (warehouse / MARKER).write_text("marked by the other run")
    looked: list[Path] = []
    is_file = Path.is_file

    def not_yet_marked(path: Path) -> bool:
        if path.name == MARKER and not looked:
            looked.append(path)
            return False
        return is_file(path)

    monkeypatch.setattr(Path, "is_file", not_yet_marked)
    assert claim(warehouse) == []
    assert looked == [warehouse / MARKER]


@pytest.mark.parametrize(
    "inside",
    ["skating.duckdb", "report.xml", "parquet/results.parquet", "current/report.xml", "."],
)
def test_a_report_is_never_written_inside_the_warehouse(
    cli: Cli, raw_copy: Path, tmp_path: Path, inside: str
) -> None:
    warehouse = tmp_path / "wh"
    assert run(cli, raw_copy, warehouse).code == 0
    published = os.readlink(warehouse / "current")
    before = files(warehouse)
    output = warehouse / inside
    checked = cli("check", "--warehouse", str(warehouse), "--output", str(output))
    rebuilt = run(cli, raw_copy, warehouse, "--format", "junit", "--output", str(output))
    for result in (checked, rebuilt):
        assert (result.code, result.out) == (2, "")
        assert result.err.startswith(f"error: {output.as_posix()}: expected a report file outside")
    # Nor through the build a check is pointed at, nor into another warehouse.
    build = warehouse / published
    into_build = cli("check", "--warehouse", str(build), "--output", str(warehouse / "r.txt"))
    assert into_build.code == 2
    assert files(warehouse) == before and os.readlink(warehouse / "current") == published
    elsewhere = cli("check", "--warehouse", str(warehouse), "--output", str(tmp_path / "r.txt"))
    assert elsewhere.code == 0 and (tmp_path / "r.txt").is_file()


def test_a_refused_run_into_a_new_path_leaves_nothing_behind(
    cli: Cli, raw_copy: Path, seed_copy: Path, tmp_path: Path
) -> None:
    new = tmp_path / "new" / "wh"
    (raw_copy / "events" / SEED / "notes.txt").write_text("stray")
    assert run(cli, raw_copy, new).code == 2
    assert not (tmp_path / "new").exists()
    (raw_copy / "events" / SEED / "notes.txt").unlink()
    corrupt(seed_copy, "| 4 | 2 | Matus Uzak |", "| 4 | 2 | Matus Usak |")  # found while parsing
    assert run(cli, raw_copy, new).code == 2
    assert not (tmp_path / "new").exists()


def test_a_run_refused_the_lock_leaves_the_other_runs_build_in_the_folder_it_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """This run makes the new folder; another run claims it too, takes the lock first and starts
    building. Refused, this run must not remove what the other is writing."""
    warehouse = tmp_path / "wh"
    other_build = warehouse / "builds" / "20991231T000000-1-1" / "results.parquet"

    @contextmanager
    def other_run_got_there_first(folder: Path) -> Iterator[None]:
        other_build.parent.mkdir(parents=True)
        other_build.write_text("being written")
        with writer_lock(folder), writer_lock(folder):
            yield

    monkeypatch.setattr(pipeline.ownership, "writer_lock", other_run_got_there_first)
    with pytest.raises(InputError, match="another pipeline run is writing"), writing(warehouse):
        pass
    assert other_build.read_text() == "being written" and (warehouse / MARKER).is_file()


def test_an_entry_gone_while_listing_a_folder_another_run_marked_is_not_foreign(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The other run renames its temporary link while this one lists the folder: what looks
    foreign then is the marked folder's own."""
    warehouse = tmp_path / "wh"
    warehouse.mkdir()
    listed = pipeline.ownership._foreign

    def renamed_meanwhile(entries: list[Path]) -> list[Path]:
        (warehouse / MARKER).write_text("marked by the other run")
        return [*listed(entries), warehouse / ".current.4242"]

    monkeypatch.setattr(pipeline.ownership, "_foreign", renamed_meanwhile)
    assert claim(warehouse) == []


def test_a_lock_taken_on_a_lock_file_removed_meanwhile_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failed run removes the lock file of the folder it made while holding it; a run that
    had opened that file before gets the lock of a file no longer there, and must not write."""
    warehouse = tmp_path / "wh"
    warehouse.mkdir()
    flock = fcntl.flock

    def removed_before_locking(handle: IO[str], operation: int) -> None:
        (warehouse / ".lock").unlink()
        flock(handle, operation)

    monkeypatch.setattr(fcntl, "flock", removed_before_locking)
    with pytest.raises(InputError, match="another pipeline run is writing"):
        with writer_lock(warehouse):
            pass


def test_the_shipped_warehouse_folder_is_one_the_pipeline_may_write(
    cli: Cli, raw_copy: Path, tmp_path: Path
) -> None:
    shipped = tmp_path / "warehouse"
    shipped.mkdir()
    for name in ("README.md", MARKER):  # what git holds of warehouse/
        (shipped / name).write_bytes((REPO / "warehouse" / name).read_bytes())
    assert run(cli, raw_copy, shipped).code == 0
    assert (shipped / "README.md").read_bytes() == (REPO / "warehouse" / "README.md").read_bytes()
