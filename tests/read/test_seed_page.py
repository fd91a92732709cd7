"""The seed page parsed: exact values read off raw/events/2006-men-1000m/page.txt."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from pipeline.derive.event_rows import EventTables

PAGE = "raw/events/2006-men-1000m/page.txt"
TOML = "raw/events/2006-men-1000m/event.toml"
FEB = dt.date(2006, 2, 15), dt.date(2006, 2, 18)


def test_infobox_facts(seed_tables: EventTables) -> None:
    (event,) = seed_tables.events
    assert event.event_id == "2006-men-1000m"
    assert (
        event.title == "Short-track speed skating at the 2006 Winter Olympics – Men's 1000 metres"
    )
    assert (event.event_name, event.gender, event.distance_m) == ("Men's 1000 metres", "men", 1000)
    assert (event.games, event.games_year, event.season) == ("2006 Winter", 2006, "Winter")
    assert event.venue == "Torino Palavela"
    assert (event.start_date, event.end_date) == FEB
    assert (event.competitors_declared, event.nations_declared) == (26, 17)
    assert (event.source_file, event.source_line) == (PAGE, 1)
    assert [(f.key, f.source_line) for f in seed_tables.infobox][:3] == [
        ("Event", 4),
        ("Games", 5),
        ("Venue", 6),
    ]
    assert len(seed_tables.infobox) == 14


def test_medalists(seed_tables: EventTables) -> None:
    assert [
        (m.medal, m.place, m.athlete_id, m.noc_as_printed, m.noc_source_line, m.source_line)
        for m in seed_tables.medals
    ] == [
        ("gold", 1, "ahn-hyun-soo", "KOR", 11, 10),
        ("silver", 2, "lee-ho-suk", "KOR", 13, 12),
        ("bronze", 3, "apolo-anton-ohno", "USA", 15, 14),
    ]


def test_result_rows_per_round(seed_tables: EventTables) -> None:
    rounds = {race.race_id: race.round for race in seed_tables.races}
    counts = Counter(rounds[result.race_id] for result in seed_tables.results)
    assert counts == {"heats": 26, "quarterfinals": 19, "semifinals": 8, "finals": 5}
    assert len(seed_tables.results) == 58
    assert len({result.athlete_id for result in seed_tables.results}) == 26


def test_races_and_their_lines(seed_tables: EventTables) -> None:
    assert [(r.label, r.race_number, r.contested, r.source_line) for r in seed_tables.races] == [
        ("Heat 1", 1, True, 37),
        ("Heat 2", 2, True, 41),
        ("Heat 3", 3, True, 45),
        ("Heat 4", 4, True, 48),
        ("Heat 5", 5, True, 51),
        ("Heat 6", 6, True, 55),
        ("Heat 7", 7, True, 59),
        ("Quarterfinal 1", 1, True, 67),
        ("Quarterfinal 2", 2, True, 75),
        ("Quarterfinal 3", 3, True, 82),
        ("Quarterfinal 4", 4, True, 90),
        ("Semifinal 1", 1, True, 101),
        ("Semifinal 2", 2, True, 108),
        ("Final A", 1, True, 118),
        ("Final B", 2, False, 43),
    ]
    final_b = seed_tables.races[-1]
    assert (final_b.race_id, final_b.source_file, final_b.date) == (
        "2006-men-1000m/final-b",
        TOML,
        FEB[1],
    )
    assert [
        (r.round, r.round_order, r.date, r.date_source_line, r.source_line)
        for r in seed_tables.rounds
    ] == [
        ("heats", 1, FEB[0], 16, 37),
        ("quarterfinals", 2, FEB[1], 25, 67),
        ("semifinals", 3, FEB[1], 33, 101),
        ("finals", 4, FEB[1], 41, 118),
    ]


def test_disqualifications(seed_tables: EventTables) -> None:
    dq = [
        (r.athlete_id, r.race_id.split("/")[1], r.rank, r.time_ms, r.source_line)
        for r in seed_tables.results
        if r.status == "DQ"
    ]
    assert dq == [
        ("maxime-chataignier", "heat-5", None, None, 54),
        ("niels-kerstholt", "heat-7", None, None, 62),
        ("matus-uzak", "quarterfinal-1", None, None, 73),
        ("francois-louis-tremblay", "quarterfinal-3", None, None, 88),
        ("pieter-gysel", "semifinal-1", None, None, 106),
        ("eric-bedard", "semifinal-2", None, None, 113),
    ]
    assert {r.status for r in seed_tables.results} == {"finished", "DQ"}


def test_dead_heat_in_heat_6(seed_tables: EventTables) -> None:
    tied = [
        (r.athlete_id, r.rank, r.time_ms, r.note, r.source_line)
        for r in seed_tables.results
        if r.time_ms == 87_994
    ]
    assert tied == [("pieter-gysel", 3, 87_994, "q", 57), ("arian-nachbar", 4, 87_994, "q", 58)]


def test_notes_as_printed(seed_tables: EventTables) -> None:
    notes = Counter(r.note for r in seed_tables.results)
    assert notes == {"Q": 22, None: 25, "q": 3, "ADV": 3, "QA": 4, "QB": 1}


def test_names_resolved_by_fold_or_alias(seed_tables: EventTables) -> None:
    indirect = [
        (r.source_line, r.name_as_printed, r.athlete_id, r.name_match)
        for r in seed_tables.results
        if r.name_match != "exact"
    ]
    assert indirect == [
        (77, "Ahn Hyun-Soo", "ahn-hyun-soo", "folded"),
        (84, "Li Juajun", "li-jiajun", "alias"),
        (110, "Ahn Hyun-Soo", "ahn-hyun-soo", "folded"),
    ]


def test_record_rows(seed_tables: EventTables) -> None:
    assert [
        (
            r.race_id,
            r.date,
            r.time_ms,
            r.time_decimals,
            r.is_olympic_record,
            r.is_world_record,
            r.holder_as_printed,
            r.holder_athlete_id,
            r.source_line,
        )
        for r in seed_tables.records
    ] == [
        ("2006-men-1000m/heat-1", FEB[0], 87_048, 3, True, False, None, None, 27),
        ("2006-men-1000m/quarterfinal-1", FEB[1], 87_000, 3, True, False, None, None, 28),
        ("2006-men-1000m/final-a", FEB[1], 86_739, 3, True, False, None, None, 29),
    ]


def test_declared_facts(seed_tables: EventTables) -> None:
    (prior,) = seed_tables.prior_records
    assert (prior.kind, prior.time_ms, prior.athlete_name, prior.noc, prior.date) == (
        "OR",
        87_185,
        "Mathieu Turcotte",
        "CAN",
        dt.date(2002, 2, 16),
    )
    assert (prior.source_file, prior.source_line) == (TOML, 8)
    assert [
        (r.round, r.note, r.rank_min, r.rank_max, r.fastest, r.to_label, r.source_line)
        for r in seed_tables.advancement_rules
    ] == [
        ("heats", "Q", 1, 2, None, None, 18),
        ("heats", "q", 3, 3, 2, None, 19),
        ("quarterfinals", "Q", 1, 2, None, None, 27),
        ("semifinals", "QA", 1, 2, None, "Final A", 35),
        ("semifinals", "QB", 3, 4, None, "Final B", 36),
    ]
