"""An incremental build copies the files of the tables whose rows an edit left as they were,
and leaves their rows in the database alone; any other table is merged and written again."""

from __future__ import annotations

import re
import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from benchmarks.generate import generate
from checks import runner as checks_runner
from core.model import EVENT_TABLES
from pipeline import ingest as ingest_module
from pipeline import merge as merge_module
from pipeline.build import Checked, run
from pipeline.ingest import Ingested, Parsed
from pipeline.parquet_writers import ParquetWriters
from tests.scale.test_incremental import assert_same_tables, database_rows, tables_of

EVENTS = 40


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("unchanged") / "raw"
    generate(EVENTS, out)
    return out


@pytest.fixture
def copied(monkeypatch: pytest.MonkeyPatch) -> list[frozenset[str]]:
    """The tables each ingest of the test copied, in order."""
    found: list[frozenset[str]] = []
    write = Parsed.write

    def noting(parsed: Parsed) -> Ingested:
        ingested = write(parsed)
        found.append(ingested.copied)
        return ingested

    monkeypatch.setattr(Parsed, "write", noting)
    return found


def page_of(raw: Path, index: int) -> Path:
    return sorted((raw / "events").iterdir())[index] / "page.txt"


def a_slower_time(page: Path) -> None:
    """One millisecond more for the first finisher without a note (none qualifies by it, no
    record is it): the results and the classification change, nothing else."""
    text = page.read_text()
    row = re.search(r"^(\|.*\| (?:\d:)?\d\d\.\d\d)([0-8])( \|  \|)$", text, re.M)
    assert row is not None
    slower = f"{row.group(1)}{int(row.group(2)) + 1}{row.group(3)}"
    page.write_text(text.replace(row.group(0), slower, 1))


def edited_then_built(
    corpus: Path, tmp_path: Path, edit: Callable[[Path], None]
) -> tuple[Checked, Checked]:
    """A warehouse built; one page edited; built again, incrementally and in full: each the
    same tables and database rows."""
    raw = Path(shutil.copytree(corpus, tmp_path / "raw"))
    warehouse, full = tmp_path / "wh", tmp_path / "full"
    run(raw, warehouse)
    edit(page_of(raw, 17))
    incremental = run(raw, warehouse)
    assert incremental.built.parsed == 1 and incremental.rejected is None
    complete = run(raw, full, incremental=False)
    assert_same_tables(tables_of(warehouse), tables_of(full))
    assert database_rows(incremental.database) == database_rows(complete.database)
    return incremental, complete


def a_venue_renamed(page: Path) -> None:
    page.write_text(page.read_text().replace("Generated Arena", "Rebuilt Arena"))


def test_an_edit_of_the_venue_rewrites_only_the_events_and_infobox_tables(
    corpus: Path, tmp_path: Path, copied: list[frozenset[str]]
) -> None:
    incremental, complete = edited_then_built(corpus, tmp_path, a_venue_renamed)
    assert set(EVENT_TABLES) - copied[1] == {"events", "infobox"}  # the incremental build
    # Its rows were not deleted and inserted again: they keep a full build's order.
    assert scan("results", incremental.database) == scan("results", complete.database)
    assert scan("events", incremental.database) != scan("events", complete.database)


def scan(table: str, database: Path) -> list[tuple[object, ...]]:
    """A table's rows in the order DuckDB keeps them (insertion order, without ORDER BY)."""
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(f"SELECT event_id, source_line FROM {table}").fetchall()


def test_an_edited_time_rewrites_the_results_and_the_classification(
    corpus: Path, tmp_path: Path, copied: list[frozenset[str]]
) -> None:
    edited_then_built(corpus, tmp_path, a_slower_time)
    assert set(EVENT_TABLES) - copied[1] == {"results", "classification"}


def test_a_removed_event_copies_no_table(
    corpus: Path, tmp_path: Path, copied: list[frozenset[str]]
) -> None:
    """Nothing re-parsed, but the removed event's rows must go from every table."""
    raw = Path(shutil.copytree(corpus, tmp_path / "raw"))
    warehouse, full = tmp_path / "wh", tmp_path / "full"
    run(raw, warehouse)
    shutil.rmtree(page_of(raw, 5).parent)
    incremental = run(raw, warehouse)
    assert incremental.built.reused == EVENTS - 1 and copied[-1] == frozenset()
    complete = run(raw, full, incremental=False)
    assert_same_tables(tables_of(warehouse), tables_of(full))
    assert database_rows(incremental.database) == database_rows(complete.database)


def test_edits_in_a_table_of_many_row_groups(
    corpus: Path, tmp_path: Path, copied: list[frozenset[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only the row groups that may hold the edited events are read to compare their rows."""
    monkeypatch.setattr(ingest_module, "CHUNK_EVENTS", 4)  # chunks of about 230 results,
    monkeypatch.setattr(ParquetWriters, "ROW_GROUP", 300)  # two to a row group
    raw = Path(shutil.copytree(corpus, tmp_path / "raw"))
    warehouse, full = tmp_path / "wh", tmp_path / "full"
    run(raw, warehouse)
    results = pq.ParquetFile(warehouse / "parquet" / "results.parquet").metadata
    assert results.num_row_groups >= 5
    read: list[tuple[int, list[int]]] = []
    read_row_groups = pq.ParquetFile.read_row_groups

    def noting(file: pq.ParquetFile, groups: list[int], *args: Any, **kwargs: Any) -> pa.Table:
        read.append((file.metadata.num_rows, list(groups)))
        return read_row_groups(file, groups, *args, **kwargs)

    monkeypatch.setattr(pq.ParquetFile, "read_row_groups", noting)
    for index in (0, EVENTS - 1):  # in the first row group and the last
        a_venue_renamed(page_of(raw, index))
    assert run(raw, warehouse).built.parsed == 2
    assert set(EVENT_TABLES) - copied[-1] == {"events", "infobox"}
    assert (results.num_rows, [0, results.num_row_groups - 1]) in read  # the results'
    monkeypatch.undo()
    run(raw, full, incremental=False)
    assert_same_tables(tables_of(warehouse), tables_of(full))


def test_same_rows_reads_the_row_groups_the_events_span(tmp_path: Path) -> None:
    path = tmp_path / "t.parquet"
    events = ["e1", "e1", "e2", "e2", "e2", "e3", "e4", "e5", "e6", "e7"]
    table = pa.table({"event_id": events, "n": list(range(10))})
    pq.write_table(table, path, row_group_size=2)  # e2 spans the second and third groups
    assert pq.ParquetFile(path).metadata.num_row_groups == 5
    assert merge_module._same_rows(path, table.slice(2, 3), ["e2"])
    assert merge_module._same_rows(path, table.slice(2, 4), ["e2", "e3"])
    assert not merge_module._same_rows(path, table.slice(2, 2), ["e2"])
    assert merge_module._same_rows(path, None, ["e0"])
    assert not merge_module._same_rows(path, None, ["e3"])
    assert not merge_module._same_rows(path, table.slice(5, 1), ["e0"])
    # Edits in more than half the groups: not compared (the merge reads them all anyway).
    spread = pa.concat_tables([table.slice(0, 2), table.slice(6, 1), table.slice(9, 1)])
    assert not merge_module._same_rows(path, spread, ["e1", "e4", "e7"])


def test_above_the_size_limit_tables_are_compared_one_at_a_time(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What two tables' row groups take in memory together is what the limit keeps out."""
    raw = Path(shutil.copytree(corpus, tmp_path / "raw"))
    run(raw, tmp_path / "wh")
    a_venue_renamed(page_of(raw, 17))
    same_rows, threads = merge_module._same_rows, set()

    def noted(*args: Any) -> bool:
        threads.add(threading.get_ident())
        return same_rows(*args)

    monkeypatch.setattr(merge_module, "_same_rows", noted)
    monkeypatch.setattr(merge_module, "PARALLEL_MERGE_UP_TO", 0)
    assert run(raw, tmp_path / "wh").built.parsed == 1 and len(threads) == 1


def test_the_merge_runs_beside_the_load_and_the_checks(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The merge and the checks meet at a barrier: were the Parquet written before the checks
    began, the merge would wait there alone until the barrier broke."""
    raw = Path(shutil.copytree(corpus, tmp_path / "raw"))
    warehouse, full = tmp_path / "wh", tmp_path / "full"
    run(raw, warehouse)
    a_slower_time(page_of(raw, 17))
    meeting = threading.Barrier(2, timeout=30)
    merge_tables, run_all = merge_module.merge_tables, checks_runner.run_all

    def merge_meeting(*args: Any) -> None:
        meeting.wait()
        merge_tables(*args)

    def checks_meeting(*args: Any) -> Any:
        meeting.wait()
        return run_all(*args)

    monkeypatch.setattr(ingest_module, "merge_tables", merge_meeting)
    monkeypatch.setattr(checks_runner, "run_all", checks_meeting)
    incremental = run(raw, warehouse)
    assert incremental.built.parsed == 1 and incremental.rejected is None
    monkeypatch.undo()
    run(raw, full, incremental=False)
    assert_same_tables(tables_of(warehouse), tables_of(full))


def test_a_build_that_fails_while_the_merge_runs_ends_only_after_it(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing is left writing into a build folder that is being removed."""
    raw = Path(shutil.copytree(corpus, tmp_path / "raw"))
    warehouse = tmp_path / "wh"
    first = run(raw, warehouse)
    a_slower_time(page_of(raw, 17))
    checks_failed, merged = threading.Event(), threading.Event()
    merge_tables = merge_module.merge_tables

    def late_merge(*args: Any) -> None:
        checks_failed.wait(timeout=30)
        time.sleep(0.2)
        merge_tables(*args)
        merged.set()

    def failing_checks(*args: Any) -> Any:
        checks_failed.set()
        raise RuntimeError("a bug in the checks")

    monkeypatch.setattr(ingest_module, "merge_tables", late_merge)
    monkeypatch.setattr(checks_runner, "run_all", failing_checks)
    with pytest.raises(RuntimeError, match="a bug in the checks"):
        run(raw, warehouse)
    assert merged.is_set()
    builds = sorted(path.name for path in (warehouse / "builds").iterdir())
    assert builds == [first.built.build.name]  # the failed build removed, once written


def test_row_groups_are_written_small(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A batch of rows gathered for one write is cut into row groups of at most GROUP_ROWS."""
    monkeypatch.setattr(ParquetWriters, "GROUP_ROWS", 500)
    run(corpus, tmp_path / "wh")
    file = pq.ParquetFile(tmp_path / "wh" / "parquet" / "results.parquet")
    sizes = [file.metadata.row_group(i).num_rows for i in range(file.metadata.num_row_groups)]
    assert max(sizes) == 500 and sum(sizes) == file.metadata.num_rows > 2000
