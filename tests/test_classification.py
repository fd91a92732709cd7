"""The final classification, derived from the races (pipeline/classify.py): the seed's standing
1..26 worked out by hand from the page, a dead heat, relays, finals without a Final B, an
uncontested Final B and the declarations event.toml may make."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pyarrow as pa
import pytest

from core.rows import EntrantRow, RaceRow, ResultRow
from pipeline.derive.classify import Ordering, classify, isu_points
from pipeline.derive.from_raw import folder_event_tables
from pipeline.ingest import build_tables
from pipeline.read.event_toml import ClassificationSpec
from pipeline.resolve.registry import Registry, load_registry
from tests.conftest import FIXTURES, RAW, SEED, corrupt, event_rows

RELAY, MIXED = "2099-women-3000m-relay", "2099-mixed-2000m-relay"

# Points for places 1-8 of a race: 34, 21, 13, 8, 5, 3, 2, 1.
SEED_STANDING = [
    # Final A, in its order.
    (1, "ahn-hyun-soo", "Final A", 1, 136.0),  # heat 34 + QF 34 + SF 34 + final 34
    (2, "lee-ho-suk", "Final A", 2, 123.0),  # 34 + 34 + 34 + 21
    (3, "apolo-anton-ohno", "Final A", 3, 89.0),  # 34 + 21 + 21 + 13
    (4, "rusty-smith", "Final A", 4, 84.0),  # 21 + 34 + 21 + 8
    (5, "li-ye", "Final A", 5, 73.0),  # 34 + 21 + 13 + 5
    # Final B was not contested: its one qualifier is awarded its first place (page line 116).
    (6, "li-jiajun", "Final B", 1, 81.0),  # 34 + 34 + 13
    # Third in a quarterfinal: by points, then by best time.
    (7, "nicola-rodigari", "Quarterfinal 1", 3, 34.0),  # 21 + 13; best 1:27.184
    (8, "fabio-carta", "Quarterfinal 4", 3, 34.0),  # 21 + 13; best 1:27.656
    (9, "satoru-terao", "Quarterfinal 3", 3, 34.0),  # 21 + 13; best 1:28.499
    (10, "sebastian-praus", "Quarterfinal 2", 3, 26.0),  # 13 + 13
    # Fourth in a quarterfinal.
    (11, "dariusz-kulesza", "Quarterfinal 2", 4, 29.0),  # 21 + 8
    (12, "peter-darazs", "Quarterfinal 3", 4, 21.0),  # 13 + 8; best 1:27.929
    (13, "mikhail-rajine", "Quarterfinal 1", 4, 21.0),  # 13 + 8; best 1:32.432
    # Nachbar: 10.5 in heat 6 (dead heat for 3rd and 4th: (13 + 8) / 2) plus 8 in QF 4.
    (14, "arian-nachbar", "Quarterfinal 4", 4, 18.5),
    (15, "volodymyr-grygoriev", "Quarterfinal 4", 5, 26.0),  # 21 + 5
    # Third in a heat, then fourth, by best time (13 and 8 points each).
    (16, "jean-charles-mattei", "Heat 1", 3, 13.0),  # 1:28.009
    (17, "jon-eley", "Heat 2", 3, 13.0),  # 1:29.147
    (18, "vyacheslav-kurginyan", "Heat 4", 3, 13.0),  # 1:36.070
    (19, "paul-stanley", "Heat 1", 4, 8.0),  # 1:28.511
    (20, "mark-mcnee", "Heat 2", 4, 8.0),  # 1:30.033
    # Disqualified in their last race: unranked, later rounds first, then by points.
    (None, "eric-bedard", "Semifinal 2", None, 55.0),  # 34 + 21
    (None, "pieter-gysel", "Semifinal 1", None, 31.5),  # 10.5 + 21
    (None, "francois-louis-tremblay", "Quarterfinal 3", None, 34.0),  # heat 34
    (None, "matus-uzak", "Quarterfinal 1", None, 21.0),  # heat 21
    (None, "maxime-chataignier", "Heat 5", None, 0.0),
    (None, "niels-kerstholt", "Heat 7", None, 0.0),
]


@pytest.fixture(scope="module")
def seed() -> dict[str, pa.Table]:
    return build_tables(RAW)


@pytest.fixture
def fixtures(fixture_tables: dict[str, pa.Table]) -> dict[str, pa.Table]:
    return fixture_tables


standing = event_rows


def test_isu_points_and_a_dead_heat_share() -> None:
    assert [isu_points([place]) for place in range(1, 10)] == [34, 21, 13, 8, 5, 3, 2, 1, 0]
    assert isu_points([3, 4]) == 10.5


def test_the_seed_standing_1_to_26(seed: dict[str, pa.Table]) -> None:
    got = standing(
        seed["classification"],
        SEED,
        "position",
        "athlete_id",
        "last_race",
        "place_in_last_race",
        "points",
    )
    assert got == SEED_STANDING


def test_statuses_and_the_result_that_decided(seed: dict[str, pa.Table]) -> None:
    rows = standing(seed["classification"], SEED, "athlete_id", "status", "source_line", "noc")
    assert rows[5] == ("li-jiajun", "ranked", 112, "CHN")  # his QB in Semifinal 2
    assert rows[13] == ("arian-nachbar", "ranked", 95, "GER")
    assert {status for _, status, _, _ in rows[20:]} == {"DQ"}


def test_a_relay_is_classified_by_team(fixtures: dict[str, pa.Table]) -> None:
    rows = standing(fixtures["classification"], RELAY, "position", "entrant_id", "athlete_id")
    assert [
        (position, str(entrant).split("/")[1], athlete) for position, entrant, athlete in rows
    ] == [
        (1, "team-kor", None),
        (2, "team-can", None),
        (3, "team-chn", None),
        (4, "team-ned", None),
        (5, "team-ita", None),
        (6, "team-jpn", None),
        (7, "team-usa", None),
        (None, "team-rus", None),
    ]


def test_an_uncontested_final_b_in_a_relay(fixtures: dict[str, pa.Table]) -> None:
    rows = standing(fixtures["classification"], MIXED, "position", "entrant_id", "last_race")
    assert [(p, str(e).split("/")[1], race) for p, e, race in rows] == [
        (1, "team-chn", "Final A"),
        (2, "team-kor", "Final A"),
        (3, "team-can", "Final A"),
        (4, "team-ned", "Final B"),  # the one qualifier of the uncontested Final B
        # Third in a quarterfinal, 13 points each: Russia's 2:39.500 before Italy's 2:40.000.
        (5, "team-rus", "Quarterfinal 2"),
        (6, "team-ita", "Quarterfinal 1"),
    ]


def test_finals_without_a_final_b() -> None:
    registry = load_registry(FIXTURES / "registry", "registry")
    tables = folder_event_tables(FIXTURES / "events" / RELAY, RELAY, registry)
    races = [race for race in tables.races if race.label != "Final B"]
    results = [r for r in tables.results if not r.race_id.endswith("/final-b")]
    rows = classify(
        RELAY,
        tables.entrants,
        races,
        results,
        tables.advancement_rules,
        Ordering(ClassificationSpec()),
    )
    # The Final B qualifiers fall back to their semifinal places: third places by points (13
    # each), then best time (Italy 4:07.000 before Japan 4:08.000), then the fourth place.
    assert [(row.position, row.entrant_id.split("/")[1], row.last_race) for row in rows] == [
        (1, "team-kor", "Final A"),
        (2, "team-can", "Final A"),
        (3, "team-chn", "Final A"),
        (4, "team-ned", "Final A"),
        (5, "team-ita", "Semifinal 1"),
        (6, "team-jpn", "Semifinal 2"),
        (7, "team-usa", "Semifinal 1"),
        (None, "team-rus", "Semifinal 2"),
    ]


def test_a_disqualification_in_a_final_declared_last_of_it(tmp_path: Path) -> None:
    raw = Path(shutil.copytree(RAW, tmp_path / "raw"))
    corrupt(
        raw / "events" / SEED / "page.txt", "| 5 | Li Ye | | 1:29.918 |", "| – | Li Ye | | DQ |"
    )
    unranked = standing(build_tables(raw)["classification"], SEED, "athlete_id", "position")
    assert ("li-ye", None) in unranked
    toml = raw / "events" / SEED / "event.toml"
    toml.write_text(
        toml.read_text() + '\n[classification]\ndisqualified_in_final = "last"\n',
        encoding="utf-8",
    )
    rows = standing(build_tables(raw)["classification"], SEED, "athlete_id", "position", "status")
    assert rows[4:6] == [
        ("li-ye", 5, "DQ, ranked last of Final A"),
        ("li-jiajun", 6, "ranked"),
    ]


def test_a_place_awarded_by_the_referee_is_declared(tmp_path: Path) -> None:
    raw = Path(shutil.copytree(RAW, tmp_path / "raw"))
    toml = raw / "events" / SEED / "event.toml"
    toml.write_text(
        toml.read_text()
        + '\n[classification]\nawarded = [\n    { entrant = "nicola-rodigari", position = 7, '
        'reason = "Declared for the test." },\n]\n',
        encoding="utf-8",
    )
    rows = standing(build_tables(raw)["classification"], SEED, "athlete_id", "position", "status")
    assert rows[6] == ("nicola-rodigari", 7, "awarded")


def test_off_the_olympics_the_isu_order_ranks_by_the_last_race_and_dq_last_of_its_round(
    raw_copy: Path, seed_copy: Path, registry: Registry
) -> None:
    """Issue 23, 6: the seed's races as a competition that is not the Olympics. Eliminated
    skaters rank by the place and then the time of their last race (not by points over all
    races), and a disqualification ranks last of its round (not unranked)."""
    corrupt(seed_copy, "- Games: 2006 Winter", "- Competition: 2099 Fictionville Open")
    tables = folder_event_tables(seed_copy.parent, SEED, registry)
    assert [
        (row.position, row.entrant_id.split("/")[1], row.status) for row in tables.classification
    ][5:19] == [
        (6, "li-jiajun", "ranked"),
        (7, "eric-bedard", "DQ, ranked last of Semifinals"),
        (7, "pieter-gysel", "DQ, ranked last of Semifinals"),
        # Third and then fourth in a quarterfinal, each by the time of that race.
        (9, "nicola-rodigari", "ranked"),  # 1:27.240
        (10, "fabio-carta", "ranked"),  # 1:27.656
        (11, "satoru-terao", "ranked"),  # 1:28.499
        (12, "sebastian-praus", "ranked"),  # 1:29.820
        (13, "arian-nachbar", "ranked"),  # 1:27.679 (by points, the Olympic order: 14th)
        (14, "peter-darazs", "ranked"),  # 1:28.738
        (15, "dariusz-kulesza", "ranked"),  # 1:30.556 (by points: 11th)
        (16, "mikhail-rajine", "ranked"),  # 1:32.432
        (17, "volodymyr-grygoriev", "ranked"),
        (18, "francois-louis-tremblay", "DQ, ranked last of Quarterfinals"),
        (18, "matus-uzak", "DQ, ranked last of Quarterfinals"),
    ]
    assert tables.classification[-1][1:3] == (25, f"{SEED}/niels-kerstholt")


def test_points_are_summed_in_the_order_the_page_prints_the_races() -> None:
    """A dead heat of three shares 26/3 points, and a float sum depends on its order: the page
    printing the semifinal first gives 26/3 + 34 + 34, as the classification always summed
    (a fictional event: three races, three skaters)."""
    event = "2099-men-500m"
    page = f"{event}/page.txt"
    races = [
        RaceRow(f"{event}/{label}", event, round_, 1, title, dt.date(2099, 2, day), True, page, n)
        for label, round_, title, day, n in (
            ("heat-1", "heats", "Heat 1", 1, 10),
            ("quarterfinal-1", "quarterfinals", "Quarterfinal 1", 2, 20),
            ("semifinal-1", "semifinals", "Semifinal 1", 3, 30),
        )
    ]
    entrants = [
        EntrantRow(f"{event}/{who}", event, "athlete", who, "XXX", who, page, 1)
        for who in ("ann", "bea", "cid")
    ]

    def result(race: str, who: str, rank: int, time_ms: int, line: int) -> ResultRow:
        return ResultRow(
            event, f"{event}/{race}", f"{event}/{who}", who, who, "exact", None, rank, rank,
            time_ms, 3, "finished", None, None, None, page, line,
        )  # fmt: skip

    printed = [  # the semifinal's dead heat for places 3-5 first, then the heat, the quarterfinal
        result("semifinal-1", "ann", 3, 42_000, 31),
        result("semifinal-1", "bea", 4, 42_000, 32),
        result("semifinal-1", "cid", 5, 42_000, 33),
        result("heat-1", "ann", 1, 41_000, 11),
        result("quarterfinal-1", "ann", 1, 41_500, 21),
    ]
    rows = classify(event, entrants, races, printed, [], Ordering(ClassificationSpec()))
    points = {row.entrant_id.split("/")[1]: row.points for row in rows}
    assert points == {"ann": 26 / 3 + 34 + 34, "bea": 26 / 3, "cid": 26 / 3}
    assert points["ann"] == 76.66666666666666 != 34 + 34 + 26 / 3
    assert [row.last_race for row in rows] == ["Semifinal 1"] * 3  # races in skating order
