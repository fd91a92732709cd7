"""The built warehouse: Parquet files with explicit Arrow types, and the DuckDB file."""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.model import CHECK_TABLES, TABLES, TableSpec
from core.timefmt import format_time
from core.views import VIEWS
from pipeline.publish import DUCKDB_FILE, PARQUET_DIR

ROW_COUNTS = {
    "events": 1,
    "infobox": 14,
    "medals": 3,
    "printed_classification": 0,
    "nations": 216,  # every IOC code, historical ones included (pipeline.nations)
    "athletes": 26,
    "athlete_aliases": 3,
    "nationalities": 0,
    "rounds": 4,
    "races": 15,
    "entrants": 26,
    "team_skaters": 0,
    "results": 58,
    "records": 3,
    "prior_records": 1,
    "waivers": 0,
    "advancement_rules": 5,
    "classification": 26,
    "reference_events": 56,  # Olympedia's 1992–2018 events (raw/reference/)
    "reference_podiums": 168,
    "reference_medals": 290,
}


def query(warehouse: Path, sql: str) -> list[tuple[object, ...]]:
    with duckdb.connect(str(warehouse / DUCKDB_FILE), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_parquet_files_carry_the_model_schema(built_warehouse: Path) -> None:
    for spec in TABLES:
        path = built_warehouse / PARQUET_DIR / f"{spec.name}.parquet"
        table = pq.read_table(path)
        assert table.schema.remove_metadata().equals(spec.schema), spec.name
        assert table.num_rows == ROW_COUNTS[spec.name]
        metadata = pq.ParquetFile(path).metadata
        for group in range(metadata.num_row_groups):
            assert metadata.row_group(group).column(0).compression == "ZSTD"
    results = pq.read_schema(built_warehouse / PARQUET_DIR / "results.parquet")
    assert results.field("time_ms").type == pa.int32()
    assert results.field("rank").type == pa.int8() and results.field("rank").nullable
    assert not results.field("source_line").nullable
    races = pq.read_schema(built_warehouse / PARQUET_DIR / "races.parquet")
    assert races.field("date").type == pa.date32()


def test_duckdb_tables_match_the_parquet(built_warehouse: Path) -> None:
    for name, count in ROW_COUNTS.items():
        assert query(built_warehouse, f"SELECT count(*) FROM {name}") == [(count,)]
    assert query(
        built_warehouse,
        "SELECT data_type FROM duckdb_columns() WHERE "
        "table_name = 'results' AND column_name IN ('rank', 'time_ms', 'source_line')"
        " ORDER BY column_name",
    ) == [("TINYINT",), ("INTEGER",), ("INTEGER",)]


def test_seed_facts_in_the_warehouse(built_warehouse: Path) -> None:
    assert query(
        built_warehouse, "SELECT count(DISTINCT athlete_id), count(DISTINCT noc) FROM results_wide"
    ) == [(26, 17)]
    assert query(
        built_warehouse,
        "SELECT a.name, a.noc FROM medals m JOIN athletes a "
        "USING (athlete_id) WHERE medal = 'gold'",
    ) == [("Ahn Hyun-soo", "KOR")]
    assert query(
        built_warehouse,
        "SELECT count(*) FILTER (is_olympic_record), "
        "count(*) FILTER (is_world_record) FROM records",
    ) == [(3, 0)]


def test_results_wide_view(built_warehouse: Path) -> None:
    rows = query(
        built_warehouse,
        "SELECT race_label, rank, athlete_name, noc, nation, time, "
        "status, note, source_line FROM results_wide WHERE race_label = 'Final A' "
        "ORDER BY rank",
    )
    assert rows == [
        ("Final A", 1, "Ahn Hyun-soo", "KOR", "South Korea", "1:26.739", "finished", None, 120),
        ("Final A", 2, "Lee Ho-suk", "KOR", "South Korea", "1:26.764", "finished", None, 121),
        (
            "Final A",
            3,
            "Apolo Anton Ohno",
            "USA",
            "United States",
            "1:26.927",
            "finished",
            None,
            122,
        ),
        ("Final A", 4, "Rusty Smith", "USA", "United States", "1:27.435", "finished", None, 123),
        ("Final A", 5, "Li Ye", "CHN", "China", "1:29.918", "finished", None, 124),
    ]


def test_athlete_paths_view(built_warehouse: Path) -> None:
    assert query(
        built_warehouse,
        "SELECT races, path, last_race, best_time FROM athlete_paths "
        "WHERE athlete_id = 'li-jiajun'",
    ) == [
        (
            3,
            "Heat 6 #1 1:27.765 Q → Quarterfinal 3 #1 1:28.179 Q → Semifinal 2 #3 1:29.183 QB",
            "Semifinal 2",
            "1:27.765",
        )
    ]
    assert query(
        built_warehouse, "SELECT path FROM athlete_paths WHERE athlete_id = 'maxime-chataignier'"
    ) == [("Heat 5 #– DQ",)]


def test_records_wide_derives_the_holders(built_warehouse: Path) -> None:
    assert query(
        built_warehouse,
        "SELECT race_label, time, holder, noc FROM records_wide ORDER BY source_line",
    ) == [
        ("Heat 1", "1:27.048", "Li Ye", "CHN"),
        ("Quarterfinal 1", "1:27.000", "Rusty Smith", "USA"),
        ("Final A", "1:26.739", "Ahn Hyun-soo", "KOR"),
    ]


def test_every_table_view_and_column_is_described(built_warehouse: Path) -> None:
    names = [spec.name for spec in (*TABLES, *CHECK_TABLES)] + [view.name for view in VIEWS]
    undescribed_tables = query(
        built_warehouse,
        "SELECT table_name FROM duckdb_tables() WHERE comment IS NULL UNION ALL "
        "SELECT view_name FROM duckdb_views() WHERE NOT internal AND comment IS NULL",
    )
    assert undescribed_tables == []
    described = query(
        built_warehouse,
        "SELECT DISTINCT table_name FROM duckdb_columns() WHERE comment IS NOT NULL ORDER BY 1",
    )
    assert sorted(str(name) for (name,) in described) == sorted(names)
    assert (
        query(
            built_warehouse,
            "SELECT table_name, column_name FROM duckdb_columns() "
            "WHERE comment IS NULL AND NOT internal",
        )
        == []
    )


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=99 * 60_000 + 59_999), st.sampled_from([2, 3]))
def test_sql_format_time_equals_python(millis: int, decimals: int) -> None:
    millis -= millis % 10 if decimals == 2 else 0
    with duckdb.connect() as con:
        from core.views import FORMAT_TIME_MACRO

        con.execute(FORMAT_TIME_MACRO)
        row = con.execute("SELECT format_time(?::INTEGER, ?::INTEGER)", [millis, decimals])
        assert row.fetchone() == (format_time(millis, decimals),)


def test_stock_duckdb_cli_opens_the_file(built_warehouse: Path) -> None:
    cli = shutil.which("duckdb", path=str(Path(sys.executable).parent)) or shutil.which("duckdb")
    if cli is None:
        pytest.fail("the duckdb CLI (duckdb-cli, a dev dependency) is not installed")
    done = subprocess.run(
        [
            cli,
            "-readonly",
            "-csv",
            str(built_warehouse / DUCKDB_FILE),
            "SELECT count(*) AS n, min(time) AS fastest FROM results_wide",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "n,fastest\n58,1:26.739\n", "")


def test_the_seed_entrants_are_its_26_athletes_with_the_nationality_of_their_entry(
    built_warehouse: Path,
) -> None:
    assert query(
        built_warehouse,
        "SELECT count(*), count(DISTINCT noc), count(DISTINCT athlete_id), min(kind), max(kind) "
        "FROM entrants",
    ) == [(26, 17, 26, "athlete", "athlete")]
    assert query(
        built_warehouse,
        "SELECT entrant_id, noc, name, source_line FROM entrants WHERE athlete_id = 'li-jiajun'",
    ) == [("2006-men-1000m/li-jiajun", "CHN", "Li Jiajun", 55)]
    # Every result, medal and printed record holder points at an entrant of its event.
    assert query(
        built_warehouse,
        "SELECT count(*) FROM results JOIN entrants USING (entrant_id) "
        "WHERE results.event_id = entrants.event_id",
    ) == [(58,)]
    assert query(
        built_warehouse,
        "SELECT medal, entrant_id FROM medals ORDER BY place",
    ) == [
        ("gold", "2006-men-1000m/ahn-hyun-soo"),
        ("silver", "2006-men-1000m/lee-ho-suk"),
        ("bronze", "2006-men-1000m/apolo-anton-ohno"),
    ]


def test_results_wide_names_the_entrant_and_the_race_id(built_warehouse: Path) -> None:
    assert query(
        built_warehouse,
        "SELECT race_id, entrant_id, entrant_kind, entrant_name, noc FROM results_wide "
        "WHERE race_label = 'Final A' AND rank = 1",
    ) == [
        (
            "2006-men-1000m/final-a",
            "2006-men-1000m/ahn-hyun-soo",
            "athlete",
            "Ahn Hyun-soo",
            "KOR",
        )
    ]


def declared_constraints(database: Path) -> set[tuple[str, str, tuple[str, ...]]]:
    """(table, PRIMARY KEY or NOT NULL, columns) of every data table in `database`."""
    tables = {spec.name for spec in TABLES}
    with duckdb.connect(str(database), read_only=True) as con:
        rows = con.execute(
            "SELECT table_name, constraint_type, constraint_column_names FROM duckdb_constraints() "
            "WHERE constraint_type IN ('PRIMARY KEY', 'NOT NULL')"
        ).fetchall()
    return {(table, kind, tuple(columns)) for table, kind, columns in rows if table in tables}


def test_a_published_build_declares_the_keys_and_not_nulls_its_checks_proved(
    built_warehouse: Path,
) -> None:
    expected = {(spec.name, "PRIMARY KEY", (spec.key,)) for spec in TABLES if spec.key}
    expected |= {
        (spec.name, "NOT NULL", (column.name,))
        for spec in TABLES
        for column in spec.columns
        if not column.nullable
    }
    found = declared_constraints(built_warehouse / DUCKDB_FILE)
    assert found == expected
    assert ("events", "PRIMARY KEY", ("event_id",)) in found
    assert ("results", "NOT NULL", ("source_line",)) in found
    assert ("results", "NOT NULL", ("time_ms",)) not in found  # a DNF has no time


def test_a_rejected_build_declares_nothing_its_checks_did_not_prove(raw_copy: Path) -> None:
    from pipeline.build import run

    page = raw_copy / "events" / "2006-men-1000m" / "page.txt"
    # The record set in Final A no longer matches its result: records.time-matches-result fails.
    page.write_text(
        page.read_text(encoding="utf-8").replace(
            "| 18 February | Final A | | 1:26.739 |", "| 18 February | Final A | | 1:26.738 |"
        ),
        encoding="utf-8",
    )
    checked = run(raw_copy, raw_copy.parent / "warehouse")
    assert checked.rejected is not None
    assert declared_constraints(checked.rejected / DUCKDB_FILE) == set()
    # The checks' own tables hold what the code writes, in any build.
    with duckdb.connect(str(checked.rejected / DUCKDB_FILE), read_only=True) as con:
        keys = con.execute(
            "SELECT table_name, constraint_column_names FROM duckdb_constraints() "
            "WHERE constraint_type = 'PRIMARY KEY'"
        ).fetchall()
    assert keys == [("checks", ["check_id"])]


def test_a_constraint_the_data_breaks_is_left_undeclared(tmp_path: Path) -> None:
    from pipeline.warehouse import declare_constraints, load_duckdb

    parquet = tmp_path / "parquet"
    parquet.mkdir()
    for spec in TABLES:
        empty = pa.Table.from_pylist([], schema=spec.schema)
        pq.write_table(empty, parquet / f"{spec.name}.parquet")
    database = tmp_path / DUCKDB_FILE
    load_duckdb(parquet, database)
    with duckdb.connect(str(database)) as con:  # as a waiver of schema.unique-keys would let in
        twice = "('CAN', 'Canada', 'x', 1), ('CAN', 'Canada', 'x', 2)"
        con.execute(f"INSERT INTO nations VALUES {twice}")
    with duckdb.connect(str(database)) as con:
        undeclared = declare_constraints(con)
    assert undeclared == ["ALTER TABLE nations ADD PRIMARY KEY (noc)"]
    found = declared_constraints(database)
    assert ("nations", "PRIMARY KEY", ("noc",)) not in found
    assert ("events", "PRIMARY KEY", ("event_id",)) in found


def test_tables_are_loaded_two_at_a_time_as_their_parquet_holds_them(
    built_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first two tables' scripts meet at a barrier: loaded one after the other, the first
    would wait there alone until the barrier broke."""
    from pipeline import warehouse

    meeting, scripts = threading.Barrier(2, timeout=30), warehouse._table_script
    met: list[str] = []

    def meeting_first(spec: TableSpec, parquet: Path) -> str:
        if len(met) < 2:
            met.append(spec.name)
            meeting.wait()
        return scripts(spec, parquet)

    monkeypatch.setattr(warehouse, "_table_script", meeting_first)
    parquet, database = built_warehouse / PARQUET_DIR, tmp_path / "again.duckdb"
    rows = warehouse.load_duckdb(parquet, database)
    sizes = {spec.name: (parquet / f"{spec.name}.parquet").stat().st_size for spec in TABLES}
    assert met == sorted(sizes, key=lambda name: -sizes[name])[:2]  # the largest files first
    assert {name: rows[name] for name in ROW_COUNTS} == ROW_COUNTS
    with duckdb.connect(str(database), read_only=True) as again:
        for spec in TABLES:  # in the Parquet's order (DuckDB keeps the order rows came in)
            loaded = again.sql(f"SELECT * FROM {spec.name}").to_arrow_table()
            expected = pq.read_table(parquet / f"{spec.name}.parquet")
            assert loaded.to_pylist() == expected.to_pylist(), spec.name
