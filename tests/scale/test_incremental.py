"""Incremental builds re-parse only changed pages and give the same tables as a full build;
parallel parsing gives the same tables as sequential."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from benchmarks.generate import generate
from checks.framework import schemas as schemas_module
from checks.framework import validate as validate_module
from checks.framework.check import Failure
from core.errors import SourceError
from core.model import EVENT_TABLES, SHARED_TABLES, TABLES
from pipeline import ingest as ingest_module
from pipeline import merge as merge_module
from pipeline import warehouse as warehouse_module
from pipeline.build import run
from pipeline.ingest import build_tables
from pipeline.manifest import Manifest
from pipeline.read import folder as folder_module
from pipeline.read import stamps as stamps_module

EVENTS = 2 * ingest_module.PARALLEL_FROM + 30  # enough for the parallel path, several chunks


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("incremental") / "raw"
    generate(EVENTS, out)
    return out


def tables_of(warehouse: Path) -> dict[str, pa.Table]:
    return {s.name: pq.read_table(warehouse / "parquet" / f"{s.name}.parquet") for s in TABLES}


def assert_same_tables(left: dict[str, pa.Table], right: dict[str, pa.Table]) -> None:
    for spec in TABLES:
        assert left[spec.name].equals(right[spec.name]), spec.name


def test_parallel_parsing_gives_the_same_tables(corpus: Path) -> None:
    assert_same_tables(build_tables(corpus, workers=2), build_tables(corpus, workers=1))


def edit_one_page(raw: Path, index: int) -> str:
    folder = sorted((raw / "events").iterdir())[index]
    page = folder / "page.txt"
    page.write_text(page.read_text().replace("Generated Arena", "Rebuilt Arena"))
    return folder.name


def test_one_changed_page_is_the_only_one_parsed_and_tables_equal_a_full_build(
    corpus: Path, tmp_path: Path
) -> None:
    raw = Path(shutil.copytree(corpus, tmp_path / "raw"))
    warehouse, full = tmp_path / "wh", tmp_path / "full"
    assert not run(raw, warehouse).rejected
    edited = edit_one_page(raw, 17)
    report = run(raw, warehouse)
    assert (report.built.parsed, report.built.reused, report.rejected) == (1, EVENTS - 1, None)
    assert run(raw, full, incremental=False).built.parsed == EVENTS
    assert_same_tables(tables_of(warehouse), tables_of(full))
    venue = tables_of(warehouse)["events"].to_pylist()[17]
    assert (venue["event_id"], venue["venue"]) == (edited, "Rebuilt Arena")


def test_an_incremental_build_merges_two_tables_at_once(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first two tables' merges meet at a barrier: merged one after the other, the first
    would wait there alone until the barrier broke."""
    raw = Path(shutil.copytree(corpus, tmp_path / "raw"))
    warehouse, full = tmp_path / "wh", tmp_path / "full"
    run(raw, warehouse)
    edit_one_page(raw, 17)
    meeting = threading.Barrier(2, timeout=30)
    merge_table = merge_module._merge_table
    threads: set[int] = set()

    def meeting_first(*args: Any) -> None:
        if len(threads) < 2:
            threads.add(threading.get_ident())
            meeting.wait()
        merge_table(*args)

    monkeypatch.setattr(merge_module, "_merge_table", meeting_first)
    report = run(raw, warehouse)
    assert report.built.reused == EVENTS - 1 and len(threads) == 2
    run(raw, full, incremental=False)
    assert_same_tables(tables_of(warehouse), tables_of(full))


def test_a_large_warehouse_merges_one_table_at_a_time(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above the size two tables may take in memory together, one thread merges them all."""
    raw = Path(shutil.copytree(corpus, tmp_path / "raw"))
    warehouse = tmp_path / "wh"
    run(raw, warehouse)
    edit_one_page(raw, 17)
    merge_table = merge_module._merge_table
    threads: set[int] = set()

    def noted(*args: Any) -> None:
        threads.add(threading.get_ident())
        merge_table(*args)

    monkeypatch.setattr(merge_module, "_merge_table", noted)
    monkeypatch.setattr(merge_module, "PARALLEL_MERGE_UP_TO", 0)
    assert run(raw, warehouse).built.reused == EVENTS - 1 and len(threads) == 1


def test_added_and_removed_events(corpus: Path, tmp_path: Path) -> None:
    raw = Path(shutil.copytree(corpus, tmp_path / "raw"))
    warehouse, full = tmp_path / "wh", tmp_path / "full"
    run(raw, warehouse)
    folders = sorted((raw / "events").iterdir())
    shutil.rmtree(folders[3])
    shutil.copytree(folders[5], raw / "events" / "0999-extra")
    page = raw / "events" / "0999-extra" / "page.txt"
    # Another Games, so it is a distinct event and not a duplicated page.
    page.write_text(re.sub(r"- Games: \d{4} Winter", "- Games: 9999 Winter", page.read_text()))
    report = run(raw, warehouse)
    assert report.built.parsed == 1 and report.built.reused == EVENTS - 1  # one removed, one added
    run(raw, full, incremental=False)
    assert_same_tables(tables_of(warehouse), tables_of(full))


def test_a_changed_registry_reparses_everything(corpus: Path, tmp_path: Path) -> None:
    raw = Path(shutil.copytree(corpus, tmp_path / "raw"))
    warehouse = tmp_path / "wh"
    run(raw, warehouse)
    aliases = raw / "registry" / "aliases.csv"
    aliases.write_text(aliases.read_text().replace("for the benchmark.", "for benchmarks."))
    assert run(raw, warehouse).built.parsed == EVENTS


def test_incremental_checks_equal_full_checks(corpus: Path, tmp_path: Path) -> None:
    raw = Path(shutil.copytree(corpus, tmp_path / "raw"))
    warehouse, full = tmp_path / "wh", tmp_path / "full"
    first = run(raw, warehouse)
    assert first.checks is not None and first.checks.failures  # alias warnings to carry over
    folder = sorted((raw / "events").iterdir())[40]
    page = folder / "page.txt"
    page.write_text(re.sub(r"- Competitors: \d+", "- Competitors: 3", page.read_text()))
    incremental = run(raw, warehouse)
    complete = run(raw, full, incremental=False)
    assert incremental.built.parsed == 1 and incremental.rejected and complete.rejected
    assert incremental.checks is not None and complete.checks is not None
    assert incremental.checks.failures == complete.checks.failures
    errors = [f for f in incremental.checks.failures if f.severity == "error"]
    assert [(f.check_id, Path(f.path).parent.name, f.line) for f in errors] == [
        ("classification.entrants", folder.name, 8),
        ("tallies.competitors", folder.name, 8),
    ]


def test_event_runs_span_chunk_boundaries() -> None:
    # Parquet reads come back in batches; an event's rows can straddle two of them.
    table = pa.table({"event_id": pa.chunked_array([["a", "a", "b"], ["b", "c"]])})
    assert merge_module._event_runs(table) == {"a": (0, 2), "b": (2, 4), "c": (4, 5)}


def test_rerun_with_nothing_changed_reuses_everything(corpus: Path, tmp_path: Path) -> None:
    raw = Path(shutil.copytree(corpus, tmp_path / "raw"))
    first = run(raw, tmp_path / "wh")
    again = run(raw, tmp_path / "wh")
    assert (again.built.parsed, again.built.reused, again.rejected) == (0, EVENTS, None)
    # Up to date: the published build itself, its rows and its report; no build was made.
    assert again.up_to_date and again.built.build == first.built.build
    assert again.built.rows == first.built.rows
    assert again.checks == first.checks
    assert [p.name for p in (tmp_path / "wh" / "builds").iterdir()] == [first.built.build.name]


def test_a_rerun_is_not_up_to_date_after_any_change_or_with_full(
    corpus: Path, tmp_path: Path
) -> None:
    raw = Path(shutil.copytree(corpus, tmp_path / "raw"))
    warehouse = tmp_path / "wh"
    run(raw, warehouse)
    assert not run(raw, warehouse, incremental=False).up_to_date
    assert run(raw, warehouse).up_to_date
    edit_one_page(raw, 3)
    assert not run(raw, warehouse).up_to_date
    waivers = raw / "waivers.toml"
    waivers.write_text("# reviewed: no exceptions\n", encoding="utf-8")
    changed = run(raw, warehouse)
    assert not changed.up_to_date and changed.built.parsed == EVENTS  # a shared file changed


def test_an_added_page_duplicating_an_unchanged_event_is_refused_before_the_load(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = Path(shutil.copytree(corpus, tmp_path / "raw"))
    warehouse = tmp_path / "wh"
    run(raw, warehouse)
    first = sorted((raw / "events").iterdir())[0]
    shutil.copytree(first, raw / "events" / "zzz-copy")  # parsed; the original is reused
    copied = first_arguments(monkeypatch, warehouse_module, "reuse_duckdb")
    loaded = first_arguments(monkeypatch, warehouse_module, "load_duckdb")
    with pytest.raises(SourceError) as refused:
        run(raw, warehouse)
    assert refused.value.path == f"{raw.as_posix()}/events/zzz-copy/page.txt"
    original = f"{first.as_posix()}/page.txt"
    assert refused.value.expected == f"one page per event ({original} has this one)"
    assert copied == loaded == []  # refused before the database was copied or loaded


def refused_incremental_and_full(raw: Path, warehouse: Path) -> list[tuple[str, int, str]]:
    """(path, line, expected) of the refusal of an incremental build, then of a full one."""
    refusals = []
    for incremental in (True, False):
        with pytest.raises(SourceError) as refused:
            run(raw, warehouse, incremental=incremental)
        refusals.append((refused.value.path, refused.value.line, refused.value.expected))
    return refusals


def test_pages_duplicating_an_unchanged_event_are_refused_as_a_full_build_refuses_them(
    corpus: Path, tmp_path: Path
) -> None:
    raw = Path(shutil.copytree(corpus, tmp_path / "raw"))
    run(raw, tmp_path / "wh")
    first = sorted((raw / "events").iterdir())[0]
    for copy in ("zzz-copy-1", "zzz-copy-2"):  # both parsed; the original is reused
        shutil.copytree(first, raw / "events" / copy)
    refusals = refused_incremental_and_full(raw, tmp_path / "wh")
    # The first copy, in event order, for duplicating the original: not the second copy for
    # duplicating the first, as the re-parsed pages alone would say.
    path, _, expected = refusals[1]  # the full build's
    assert path == f"{raw.as_posix()}/events/zzz-copy-1/page.txt"
    assert expected == f"one page per event ({first.as_posix()}/page.txt has this one)"
    assert refusals[0] == refusals[1]


def test_a_copy_sorting_before_its_unchanged_original_refuses_the_original(
    corpus: Path, tmp_path: Path
) -> None:
    raw = Path(shutil.copytree(corpus, tmp_path / "raw"))
    run(raw, tmp_path / "wh")
    original = sorted((raw / "events").iterdir())[3]
    shutil.copytree(original, raw / "events" / "0000-copy")  # parsed, and first in event order
    refusals = refused_incremental_and_full(raw, tmp_path / "wh")
    path, _, expected = refusals[1]  # the full build's
    assert path == f"{original.as_posix()}/page.txt"
    copy = f"{raw.as_posix()}/events/0000-copy/page.txt"
    assert expected == f"one page per event ({copy} has this one)"
    assert refusals[0] == refusals[1]


def test_a_duplicate_is_refused_as_its_chunk_arrives_not_after_a_later_chunks_problem(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = Path(shutil.copytree(corpus, tmp_path / "raw"))
    run(raw, tmp_path / "wh")
    monkeypatch.setattr(ingest_module, "CHUNK_EVENTS", 2)
    folders = sorted((raw / "events").iterdir())
    for copy in ("0000-dup-a", "0000-dup-b"):  # a new event twice, in the first parsed chunk
        shutil.copytree(folders[5], raw / "events" / copy)
        page = raw / "events" / copy / "page.txt"
        page.write_text(re.sub(r"- Games: \d{4} Winter", "- Games: 9999 Winter", page.read_text()))
    (folders[-1] / "page.txt").write_text("garbage\n")  # a problem of a later chunk
    refusals = refused_incremental_and_full(raw, tmp_path / "wh")
    assert refusals[1][0] == f"{raw.as_posix()}/events/0000-dup-b/page.txt"  # the full build's
    assert refusals[0] == refusals[1]


INCREMENTAL_IMPORTS = """
import sys
from pathlib import Path
from pipeline.build import run
raw, warehouse = Path(sys.argv[1]), Path(sys.argv[2])
run(raw, warehouse)
page = sorted((raw / "events").iterdir())[2] / "page.txt"
page.write_text(page.read_text().replace("Generated Arena", "Rebuilt Arena"))
built = run(raw, warehouse).built
print(built.parsed, built.reused, "pyarrow.dataset" in sys.modules)
"""


def test_an_incremental_build_does_not_import_pyarrow_dataset(tmp_path: Path) -> None:
    # pq.read_table imports it (0.25-0.5 s, holding the interpreter lock) on the build's path:
    # the previous build's Parquet is read through pq.ParquetFile.
    generate(5, tmp_path / "raw")
    command = [
        sys.executable,
        "-c",
        INCREMENTAL_IMPORTS,
        str(tmp_path / "raw"),
        str(tmp_path / "wh"),
    ]
    shown = subprocess.run(command, capture_output=True, text=True, timeout=300, check=True)
    assert shown.stdout.split() == ["1", "4", "False"]


def test_a_rerun_knows_settled_files_by_their_stamps_without_reading_them(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stamps_module, "SETTLED_NS", 0)  # the copies count as settled at once
    raw = Path(shutil.copytree(corpus, tmp_path / "raw"))
    warehouse = tmp_path / "wh"
    first = run(raw, warehouse)
    manifest = Manifest.load(first.built.build)
    assert manifest is not None and set(manifest.stamps) == set(manifest.events)
    read = first_arguments(monkeypatch, folder_module, "read_event")
    assert run(raw, warehouse).up_to_date and read == []
    # An edit that keeps the page's size and modification time still changes its change time.
    page = sorted((raw / "events").iterdir())[5] / "page.txt"
    before = page.stat()
    page.write_bytes(page.read_bytes().replace(b"Generated Arena", b"Generated Arenb"))
    os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (page.stat().st_size, page.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    again = run(raw, warehouse)
    assert not again.up_to_date and again.built.parsed == 1
    assert [folder.name for folder in read] == [page.parent.name]


def test_a_file_changed_just_before_its_stamp_is_not_vouched_for(tmp_path: Path) -> None:
    folder = tmp_path / "2099-men-500m"
    folder.mkdir()
    (folder / "page.txt").write_text("= Page =\n", encoding="utf-8")
    (folder / "event.toml").write_text("", encoding="utf-8")
    assert folder_module.event_stamp(folder) is None  # changed within the kernel clock's tick
    settled = time.time_ns() - 2 * stamps_module.SETTLED_NS
    for name in ("page.txt", "event.toml"):
        os.utime(folder / name, ns=(settled, settled))  # a change time is never set back
    assert folder_module.event_stamp(folder) is None


def database_rows(database: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every table and view of a warehouse, its rows in value order (the order of rows in a
    DuckDB table is no part of what a build promises; the Parquet's is)."""
    from core.views import VIEWS

    with duckdb.connect(str(database), read_only=True) as con:
        names = [spec.name for spec in TABLES] + [view.name for view in VIEWS]
        return {
            name: con.execute(f"SELECT * FROM {name} ORDER BY ALL").fetchall() for name in names
        }


def test_an_incremental_build_changes_only_the_changed_events_rows_of_the_database(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = Path(shutil.copytree(corpus, tmp_path / "raw"))
    warehouse, full = tmp_path / "wh", tmp_path / "full"
    run(raw, warehouse)
    edit_one_page(raw, 17)
    shutil.rmtree(sorted((raw / "events").iterdir())[3])
    loads = first_arguments(monkeypatch, warehouse_module, "load_duckdb")
    incremental = run(raw, warehouse)
    assert incremental.built.parsed == 1 and incremental.rejected is None
    assert loads == []  # the previous build's database, copied and changed in place
    monkeypatch.undo()
    complete = run(raw, full, incremental=False)
    assert database_rows(incremental.database) == database_rows(complete.database)
    assert declared(incremental.database) == declared(complete.database) != set()


def test_a_rejected_incremental_build_declares_no_constraint(corpus: Path, tmp_path: Path) -> None:
    raw = Path(shutil.copytree(corpus, tmp_path / "raw"))
    run(raw, tmp_path / "wh")
    page = sorted((raw / "events").iterdir())[40] / "page.txt"
    page.write_text(re.sub(r"- Competitors: \d+", "- Competitors: 3", page.read_text()))
    rejected = run(raw, tmp_path / "wh")
    assert rejected.rejected is not None and rejected.built.parsed == 1
    assert declared(rejected.database) == {("checks", "PRIMARY KEY", ("check_id",))} | {
        ("checks", "NOT NULL", (column,)) for column in not_null_columns("checks")
    } | {("failures", "NOT NULL", (column,)) for column in not_null_columns("failures")}


def test_a_new_row_the_copied_keys_refuse_sends_the_build_to_a_full_load(
    corpus: Path, tmp_path: Path
) -> None:
    raw = Path(shutil.copytree(corpus, tmp_path / "raw"))
    first = run(raw, tmp_path / "wh")
    first_event = sorted(path.name for path in (raw / "events").iterdir())[0]
    database = tmp_path / "copy.duckdb"
    # An event kept and inserted again: its races' keys twice.
    races = pq.read_table(first.built.build / "parquet" / "races.parquet")
    again = {"races": races.filter(pc.equal(races["event_id"], first_event))}
    reused = warehouse_module.reuse_duckdb(first.database, again, database, [])
    assert reused is None and not database.exists()


def declared(database: Path) -> set[tuple[str, str, tuple[str, ...]]]:
    with duckdb.connect(str(database), read_only=True) as con:
        rows = con.execute(
            "SELECT table_name, constraint_type, constraint_column_names "
            "FROM duckdb_constraints() WHERE constraint_type IN ('PRIMARY KEY', 'NOT NULL')"
        ).fetchall()
    return {(table, kind, tuple(columns)) for table, kind, columns in rows}


def not_null_columns(table: str) -> list[str]:
    from core.model import CHECK_TABLES

    (spec,) = [spec for spec in CHECK_TABLES if spec.name == table]
    return [column.name for column in spec.columns if not column.nullable]


def test_an_incremental_build_judges_types_and_keys_on_the_changed_events_rows_only(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = Path(shutil.copytree(corpus, tmp_path / "raw"))
    run(raw, tmp_path / "wh")
    edited = edit_one_page(raw, 17)
    judged: dict[str, int] = {}
    real_validate = validate_module.validate

    def recorded(frame: duckdb.DuckDBPyRelation, *args: Any) -> list[Failure]:
        ((rows,),) = frame.aggregate("count(*)").fetchall()
        judged[args[2]] = max(judged.get(args[2], 0), int(rows))
        return real_validate(frame, *args)

    monkeypatch.setattr(schemas_module, "validate", recorded)
    incremental = run(raw, tmp_path / "wh")
    with duckdb.connect(str(incremental.database), read_only=True) as con:
        ((edited_rows,),) = con.execute(
            "SELECT count(*) FROM results WHERE event_id = ?", [edited]
        ).fetchall()
    assert judged["results"] == edited_rows  # the unchanged events' were judged when built
    # The shared tables are the sealed build's (their files unchanged): its judgement of them
    # is carried, not made again.
    assert not judged.keys() & set(SHARED_TABLES)
    assert set(judged) == set(EVENT_TABLES)


def first_arguments(monkeypatch: pytest.MonkeyPatch, module: object, name: str) -> list[Any]:
    """The first argument of each call to module.name from now on (the call still made)."""
    calls: list[Any] = []
    real = getattr(module, name)

    def recorded(*args: Any) -> Any:
        calls.append(args[0])
        return real(*args)

    monkeypatch.setattr(module, name, recorded)
    return calls


def test_a_file_reached_through_a_link_is_never_known_by_its_stamp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A link's own stamp says nothing of the file it leads to, which can change unseen."""
    monkeypatch.setattr(stamps_module, "SETTLED_NS", 0)
    folder = tmp_path / "2099-men-500m"
    folder.mkdir()
    (tmp_path / "elsewhere.txt").write_text("= Page =\n", encoding="utf-8")
    (folder / "event.toml").write_text("", encoding="utf-8")
    (folder / "page.txt").write_text("= Page =\n", encoding="utf-8")
    assert folder_module.event_stamp(folder) is not None
    (folder / "page.txt").unlink()
    (folder / "page.txt").symlink_to(tmp_path / "elsewhere.txt")
    assert folder_module.event_stamp(folder) is None


def test_a_published_build_without_its_database_reuses_nothing(
    corpus: Path, tmp_path: Path
) -> None:
    """Its Parquet and failures are vouched for by nothing that was checked: raw/ is parsed
    again, whole (a tampered Parquet file beside it is never published)."""
    raw = Path(shutil.copytree(corpus, tmp_path / "raw"))
    first = run(raw, tmp_path / "wh")
    first.database.unlink()
    edit_one_page(raw, 17)
    notices: list[str] = []
    again = run(raw, tmp_path / "wh", notice=notices.append)
    assert again.rejected is None and (again.built.parsed, again.built.reused) == (EVENTS, 0)
    assert notices == [
        f"the published build {first.built.build.name} changed after its checks ran "
        "(skating.duckdb is gone): rebuilding it from raw/"
    ]
