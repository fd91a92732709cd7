"""An incremental build copies the files of the tables whose rows an edit left as they were,
and leaves their rows in the database alone; any other table is merged and written again."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from benchmarks.generate import generate
from core.model import EVENT_TABLES
from pipeline import ingest as ingest_module
from pipeline.build import run
from pipeline.ingest import Ingested
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
    ingest_raw = ingest_module.ingest_raw

    def noting(*args: object, **kwargs: object) -> Ingested:
        ingested = ingest_raw(*args, **kwargs)  # type: ignore[arg-type]
        found.append(ingested.copied)
        return ingested

    monkeypatch.setattr(ingest_module, "ingest_raw", noting)
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


def test_an_edit_of_the_venue_rewrites_only_the_events_and_infobox_tables(
    corpus: Path, tmp_path: Path, copied: list[frozenset[str]]
) -> None:
    raw = Path(shutil.copytree(corpus, tmp_path / "raw"))
    warehouse, full = tmp_path / "wh", tmp_path / "full"
    run(raw, warehouse)
    page = page_of(raw, 17)
    page.write_text(page.read_text().replace("Generated Arena", "Rebuilt Arena"))
    incremental = run(raw, warehouse)
    assert incremental.built.parsed == 1 and incremental.rejected is None
    assert set(EVENT_TABLES) - copied[-1] == {"events", "infobox"}
    complete = run(raw, full, incremental=False)
    assert_same_tables(tables_of(warehouse), tables_of(full))
    assert database_rows(incremental.database) == database_rows(complete.database)
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
    raw = Path(shutil.copytree(corpus, tmp_path / "raw"))
    warehouse, full = tmp_path / "wh", tmp_path / "full"
    run(raw, warehouse)
    a_slower_time(page_of(raw, 17))
    incremental = run(raw, warehouse)
    assert incremental.built.parsed == 1 and incremental.rejected is None
    assert set(EVENT_TABLES) - copied[-1] == {"results", "classification"}
    complete = run(raw, full, incremental=False)
    assert_same_tables(tables_of(warehouse), tables_of(full))
    assert database_rows(incremental.database) == database_rows(complete.database)


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
    monkeypatch.setattr(ingest_module._Writers, "ROW_GROUP", 300)  # two to a row group
    raw = Path(shutil.copytree(corpus, tmp_path / "raw"))
    warehouse, full = tmp_path / "wh", tmp_path / "full"
    run(raw, warehouse)
    groups = pq.ParquetFile(warehouse / "parquet" / "results.parquet")
    assert groups.metadata.num_row_groups >= 5
    for index in (0, 17, EVENTS - 1):
        page = page_of(raw, index)
        page.write_text(page.read_text().replace("Generated Arena", "Rebuilt Arena"))
    a_slower_time(page_of(raw, 30))
    assert run(raw, warehouse).built.parsed == 4
    assert set(EVENT_TABLES) - copied[-1] == {"events", "infobox", "results", "classification"}
    run(raw, full, incremental=False)
    assert_same_tables(tables_of(warehouse), tables_of(full))


def test_same_rows_reads_the_row_groups_an_event_spans(tmp_path: Path) -> None:
    path = tmp_path / "t.parquet"
    events = ["e1", "e1", "e2", "e2", "e2", "e3"]
    table = pa.table({"event_id": events, "n": list(range(6))})
    pq.write_table(table, path, row_group_size=3)  # e2 spans the first two groups
    assert pq.ParquetFile(path).metadata.num_row_groups == 2
    assert ingest_module._same_rows(path, table.slice(2, 3), ["e2"])
    assert ingest_module._same_rows(path, table.slice(0, 5), ["e1", "e2"])
    assert not ingest_module._same_rows(path, table.slice(2, 2), ["e2"])
    assert ingest_module._same_rows(path, None, ["e9"])
    assert not ingest_module._same_rows(path, None, ["e3"])
    assert not ingest_module._same_rows(path, table.slice(5, 1), ["e9"])
