"""The fictional relay page and the later-Games individual page (tests/fixtures/raw): teams,
skaters, medals, records and the marks later pages print, read exactly."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

from tests.conftest import event_rows

RELAY, LATER = "2099-women-3000m-relay", "2099-men-1000m"


@pytest.fixture
def tables(fixture_tables: dict[str, pa.Table]) -> dict[str, pa.Table]:
    return fixture_tables


rows = event_rows


def test_a_relay_event_is_a_relay_with_its_declared_teams(tables: dict[str, pa.Table]) -> None:
    assert rows(tables["events"], RELAY, "gender", "distance_m", "is_relay", "teams_declared") == [
        ("women", 3000, True, 8)
    ]
    assert rows(tables["events"], LATER, "is_relay", "teams_declared") == [(False, None)]


def test_relay_entrants_are_teams_with_the_nation_of_their_entry(
    tables: dict[str, pa.Table],
) -> None:
    assert rows(tables["entrants"], RELAY, "entrant_id", "kind", "athlete_id", "noc", "name")[
        :2
    ] == [
        (f"{RELAY}/team-kor", "team", None, "KOR", "South Korea"),
        (f"{RELAY}/team-can", "team", None, "CAN", "Canada"),
    ]
    assert len(rows(tables["entrants"], RELAY, "entrant_id")) == 8


def test_relay_results_are_one_row_per_team_per_race(tables: dict[str, pa.Table]) -> None:
    final_a = [
        r[1:]
        for r in rows(
            tables["results"], RELAY, "race_id", "entrant_id", "athlete_id", "rank", "time_ms"
        )
        if r[0] == f"{RELAY}/final-a"
    ]
    assert final_a == [
        (f"{RELAY}/team-kor", None, 1, 243_500),
        (f"{RELAY}/team-can", None, 2, 243_900),
        (f"{RELAY}/team-chn", None, 3, 244_100),
        (f"{RELAY}/team-ned", None, 4, 246_200),
    ]


def test_a_team_changes_its_line_up_between_rounds(tables: dict[str, pa.Table]) -> None:
    korea = [
        (str(race).removeprefix(f"{RELAY}/"), athlete)
        for race, entrant, athlete in rows(
            tables["team_skaters"], RELAY, "race_id", "entrant_id", "athlete_id"
        )
        if entrant == f"{RELAY}/team-kor"
    ]
    assert korea == [
        ("semifinal-1", "seo-fictive"),
        ("semifinal-1", "ha-invented"),
        ("semifinal-1", "yu-standin"),
        ("semifinal-1", "ji-notreal"),
        ("final-a", "seo-fictive"),
        ("final-a", "ha-invented"),
        ("final-a", "min-madeup"),
        ("final-a", "ji-notreal"),
    ]
    # Every separator pages use splits the cell: <br>, <br />, commas, slashes and bullets.
    per_result: dict[tuple[object, object], int] = {}
    for race, entrant in rows(tables["team_skaters"], RELAY, "race_id", "entrant_id"):
        per_result[(race, entrant)] = per_result.get((race, entrant), 0) + 1
    assert set(per_result.values()) == {4}
    assert len(per_result) == 15
    assert len({a for (a,) in rows(tables["team_skaters"], RELAY, "athlete_id")}) == 33


def test_relay_medals_go_to_the_teams_their_noc_fields_name(tables: dict[str, pa.Table]) -> None:
    assert rows(tables["medals"], RELAY, "medal", "entrant_id", "athlete_id", "noc_as_printed") == [
        ("gold", f"{RELAY}/team-kor", None, "KOR"),
        ("silver", f"{RELAY}/team-can", None, "CAN"),
        ("bronze", f"{RELAY}/team-chn", None, "CHN"),
    ]


def test_prior_records_come_from_the_page(tables: dict[str, pa.Table]) -> None:
    assert rows(
        tables["prior_records"],
        RELAY,
        "kind",
        "time_ms",
        "athlete_name",
        "noc",
        "date",
        "source_line",
    ) == [
        ("WR", 243_800, "South Korea (KOR)", "KOR", dt.date(2097, 11, 12), 25),
        ("OR", 245_000, "China (CHN)", "CHN", dt.date(2094, 2, 18), 26),
    ]
    assert rows(tables["prior_records"], LATER, "kind", "athlete_name", "noc") == [
        ("WR", "Far Faster (CAN)", "CAN"),
        ("OR", "Old Champion (NED)", "NED"),
    ]


def test_record_column_marks_olympic_and_world_records(tables: dict[str, pa.Table]) -> None:
    assert rows(
        tables["records"],
        RELAY,
        "race_id",
        "is_olympic_record",
        "is_world_record",
        "holder_entrant_id",
        "holder_athlete_id",
    ) == [
        (f"{RELAY}/semifinal-2", True, False, f"{RELAY}/team-chn", None),
        (f"{RELAY}/final-a", True, True, f"{RELAY}/team-kor", None),
    ]
    assert rows(tables["records"], LATER, "race_id", "holder_athlete_id") == [
        (f"{LATER}/heat-1", "ivan-probe"),
        (f"{LATER}/semifinal-1", "ivan-probe"),
    ]


def test_combined_notes_split_into_note_and_record_mark(tables: dict[str, pa.Table]) -> None:
    marked = [
        (name, note, mark, printed)
        for name, note, mark, printed in rows(
            tables["results"], LATER, "name_as_printed", "note", "record_mark", "notes_as_printed"
        )
        if printed is not None and printed not in ("Q", "q", "QA", "QB")
    ]
    assert marked == [
        ("Ivan Probe", "Q", "OR", "Q, OR"),
        ("Pavel Sketch", "PEN", None, "PEN"),
        ("Sami Placebo", "ADV", None, "ADV"),
        ("Tomas Figment", "YC", None, "YC"),
        ("Ivan Probe", "QA", "OR", "QA OR"),
        ("Noël Proxy", "ADVA", None, "ADV A"),
        ("Noël Proxy", "YC", None, "YC"),
    ]
    assert ("China", "QA", "OR") in rows(
        tables["results"], RELAY, "name_as_printed", "note", "record_mark"
    )


def test_dsq_is_a_disqualification(tables: dict[str, pa.Table]) -> None:
    assert rows(tables["results"], LATER, "athlete_id", "status", "rank", "time_ms")[7] == (
        "pavel-sketch",
        "DQ",
        None,
        None,
    )


def test_final_b_keeps_the_printed_overall_place_beside_the_race_place(
    tables: dict[str, pa.Table],
) -> None:
    final_b = [
        r[1:]
        for r in rows(tables["results"], LATER, "race_id", "athlete_id", "rank", "place_as_printed")
        if r[0] == f"{LATER}/final-b"
    ]
    assert final_b == [("quentin-decoy", 1, 6), ("oli-mockup", 2, 7), ("kim-draft", 3, 8)]
    final_a = [
        r[2:]
        for r in rows(tables["results"], LATER, "race_id", "athlete_id", "rank", "place_as_printed")
        if r[0] == f"{LATER}/final-a"
    ]
    assert final_a == [(1, 1), (2, 2), (3, 3), (4, 4), (5, 5)]


def test_race_number_columns_named_after_their_round(tables: dict[str, pa.Table]) -> None:
    assert rows(tables["races"], LATER, "label", "source_line") == [
        ("Heat 1", 39),
        ("Heat 2", 43),
        ("Heat 3", 47),
        ("Semifinal 1", 57),
        ("Semifinal 2", 62),
        ("Final A", 68),
        ("Final B", 76),
    ]
    assert rows(tables["races"], RELAY, "label") == [
        ("Semifinal 1",),
        ("Semifinal 2",),
        ("Final A",),
        ("Final B",),
    ]


MIXED = "2099-mixed-2000m-relay"


def test_a_mixed_relay_skates_quarterfinals_before_its_semifinal(
    tables: dict[str, pa.Table],
) -> None:
    assert rows(tables["events"], MIXED, "gender", "distance_m", "is_relay") == [
        ("mixed", 2000, True)
    ]
    assert rows(tables["rounds"], MIXED, "round", "round_order") == [
        ("quarterfinals", 1),
        ("semifinals", 2),
        ("finals", 3),
    ]
    assert rows(tables["races"], MIXED, "label", "contested") == [
        ("Quarterfinal 1", True),
        ("Quarterfinal 2", True),
        ("Semifinal 1", True),
        ("Final A", True),
        ("Final B", False),
    ]
    skaters = {a for (a,) in rows(tables["team_skaters"], MIXED, "athlete_id")}
    assert len(skaters) == 24 and {"kim-draft", "seo-fictive"} <= skaters
    assert rows(tables["medals"], MIXED, "entrant_id") == [
        (f"{MIXED}/team-chn",),
        (f"{MIXED}/team-kor",),
        (f"{MIXED}/team-can",),
    ]
