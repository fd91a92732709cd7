"""Hand-written pages (tests/fixtures/raw) for structures the bundled page lacks."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

from tests.conftest import event_rows


@pytest.fixture
def tables(fixture_tables: dict[str, pa.Table]) -> dict[str, pa.Table]:
    return fixture_tables


rows = event_rows


def test_no_quarterfinals(tables: dict[str, pa.Table]) -> None:
    assert rows(tables["rounds"], "2099-men-1500m", "round", "round_order") == [
        ("heats", 1),
        ("semifinals", 2),
        ("finals", 3),
    ]
    assert rows(tables["races"], "2099-men-1500m", "label", "contested") == [
        ("Heat 1", True),
        ("Heat 2", True),
        ("Semifinal 1", True),
        ("Semifinal 2", True),
        ("Final A", True),
        ("Final B", True),
    ]


def test_contested_final_b(tables: dict[str, pa.Table]) -> None:
    final_b = [
        (r["athlete_id"], r["rank"], r["time_ms"], r["source_line"])
        for r in tables["results"].to_pylist()
        if r["race_id"] == "2099-men-1500m/final-b"
    ]
    assert final_b == [("noel-proxy", 1, 142_100, 58), ("oli-mockup", 2, 142_400, 59)]


def test_heat_column_second_and_nation_names(tables: dict[str, pa.Table]) -> None:
    heat_2 = [
        (r["athlete_id"], r["rank"], r["country_as_printed"], r["note"])
        for r in tables["results"].to_pylist()
        if r["race_id"] == "2099-men-1500m/heat-2"
    ]
    assert heat_2 == [
        ("mark-pilot", 1, "Canada", "Q"),
        ("noel-proxy", 2, "France", "Q"),
        ("oli-mockup", 3, "Great Britain", "Q"),
        ("pavel-sketch", 4, "Poland", None),
    ]


def test_two_decimal_sub_minute_times(tables: dict[str, pa.Table]) -> None:
    heat_1 = [
        (r["name_as_printed"], r["country_as_printed"], r["time_ms"], r["time_decimals"])
        for r in tables["results"].to_pylist()
        if r["race_id"] == "2099-women-500m/heat-1"
    ]
    assert heat_1 == [
        ("Anna Testova", "RUS", 43_100, 2),
        ("Bea Example", "CAN", 43_550, 2),
        ("Chloé Sample", "FRA", 44_020, 2),
        ("Dana Mock", "USA", 45_710, 2),
    ]


def test_later_games_notes_are_kept(tables: dict[str, pa.Table]) -> None:
    assert [
        (r["athlete_id"], r["status"], r["note"], r["source_line"])
        for r in tables["results"].to_pylist()
        if r["note"] in ("PEN", "YC") and r["event_id"] == "2099-women-500m"
    ] == [("hana-placeholder", "DQ", "PEN", 41), ("fei-stub", "finished", "YC", 49)]


def test_alias_in_brackets_resolves(tables: dict[str, pa.Table]) -> None:
    assert [
        (r["name_as_printed"], r["athlete_id"], r["name_match"])
        for r in tables["results"].to_pylist()
        if r["name_match"] != "exact"
    ] == [("Fei Stubb", "fei-stub", "alias")]


def test_filled_records_team_column(tables: dict[str, pa.Table]) -> None:
    assert rows(
        tables["records"],
        "2099-women-500m",
        "race_id",
        "date",
        "time_ms",
        "time_decimals",
        "is_world_record",
        "holder_as_printed",
        "holder_athlete_id",
        "source_line",
    ) == [
        (
            "2099-women-500m/heat-1",
            dt.date(2099, 2, 20),
            43_100,
            2,
            False,
            "Anna Testova (RUS)",
            "anna-testova",
            22,
        ),
        (
            "2099-women-500m/final-a",
            dt.date(2099, 2, 21),
            42_950,
            2,
            True,
            "Anna Testova",
            "anna-testova",
            23,
        ),
    ]


def test_records_section_without_a_table(tables: dict[str, pa.Table]) -> None:
    assert rows(tables["records"], "2099-men-1500m", "race_id") == []


def test_single_day_event_and_counts(tables: dict[str, pa.Table]) -> None:
    assert rows(tables["events"], "2099-men-1500m", "start_date", "end_date", "distance_m") == [
        (dt.date(2099, 2, 22), dt.date(2099, 2, 22), 1500)
    ]
    assert rows(tables["events"], "2099-women-500m", "gender", "distance_m") == [("women", 500)]
    assert len(rows(tables["results"], "2099-men-1500m", "rank")) == 20
    assert len(rows(tables["results"], "2099-women-500m", "rank")) == 15
