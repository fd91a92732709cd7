"""The HTML report's parts without a browser: the raw lines around a failure, what it reads of
each event from the warehouse, the record chart, and the file `--format html` writes.
tests/browser/ renders the same file in Chromium."""

from __future__ import annotations

import datetime
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest

from checks.catalog import ALL_CHECKS
from checks.framework.check import Failure
from checks.outcome import CheckRun, summary
from checks.runner import run_all
from core.codes import ReportFormat
from pipeline.build import run
from pipeline.build_identity import build_info
from pipeline.buildmark import BUILD_NAME
from report import overview
from report.build_info import UNKNOWN_BUILD
from report.event_report import NOTE_MEANINGS, Event
from report.event_rows import load_events
from report.excerpts import MAX_SHOWN_CHARS, Excerpt, SourceLine, excerpts
from report.html_page import MAX_FAILURES_PER_CHECK, environment, line_anchor, to_html
from report.overview import (
    DRAW_ALL_UP_TO,
    MAX_DRAWN,
    EventLine,
    drawn,
    drawn_note,
    event_lines,
)
from report.record_chart import Point, record_chart
from report.renderers import render
from tests.conftest import SEED, SEED_PAGE, CliResult, corrupt

Cli = Callable[..., CliResult]
TALLY = next(c for c in ALL_CHECKS if c.id == "tallies.competitors")


def failure_at(path: Path | str, line: int) -> Failure:
    return Failure(TALLY.id, "error", str(path), line, "m", "26", "25")


def lines_of(excerpt: Excerpt) -> list[tuple[int, str, bool]]:
    return [(line.number, line.text, line.blamed) for line in excerpt.lines]


def test_excerpt_is_the_blamed_line_and_two_lines_either_side() -> None:
    shown = excerpts([failure_at(SEED_PAGE, 8), failure_at(SEED_PAGE, 1)])
    assert lines_of(shown[(str(SEED_PAGE), 8)]) == [
        (6, "- Venue: Torino Palavela", False),
        (7, "- Dates: 15–18 February 2006", False),
        (8, "- Competitors: 26", True),
        (9, "- Nations: 17", False),
        (10, "- Gold: Ahn Hyun-soo", False),
    ]
    assert [n for n, _, _ in lines_of(shown[(str(SEED_PAGE), 1)])] == [1, 2, 3]


def test_excerpt_at_the_end_of_a_file_and_past_it(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_bytes(b"\xef\xbb\xbfone\r\ntwo\nthree \xff\n")
    shown = excerpts([failure_at(page, 1), failure_at(page, 3), failure_at(page, 9)])
    assert lines_of(shown[(str(page), 1)]) == [
        (1, "one", True),
        (2, "two", False),
        (3, "three \ufffd", False),
    ]
    assert [n for n, _, _ in lines_of(shown[(str(page), 3)])] == [1, 2, 3]
    assert shown[(str(page), 9)] == Excerpt((), "the file has no line 9 (3 lines)")


def test_a_missing_or_odd_file_is_said_not_guessed(tmp_path: Path) -> None:
    missing, folder = tmp_path / "gone.txt", tmp_path
    shown = excerpts([failure_at(missing, 3), failure_at(folder, 3), failure_at(SEED_PAGE, 0)])
    problem = "the raw file is not here (its path is relative to the folder the pipeline ran in)"
    assert shown[(str(missing), 3)] == Excerpt((), problem)
    assert shown[(str(folder), 3)] == Excerpt((), problem)
    assert shown[(str(SEED_PAGE), 0)] == Excerpt((), "the failure names no line of the file")


def test_a_long_line_is_cut(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text("x" * 40_012 + "\n", encoding="utf-8")
    [line] = excerpts([failure_at(page, 1)])[(str(page), 1)].lines
    assert line == SourceLine(1, "x" * MAX_SHOWN_CHARS + "… (40,012 characters)", True)


@pytest.fixture(scope="module")
def seed_event(built_warehouse: Path) -> Event:
    shown = load_events(built_warehouse / "skating.duckdb")
    assert shown.total == 1
    [event] = shown.events
    return event


def test_bracket_of_the_seed_event(seed_event: Event) -> None:
    rounds = {r.name: r for r in seed_event.rounds}
    assert list(rounds) == ["heats", "quarterfinals", "semifinals", "finals"]
    assert [len(r.races) for r in rounds.values()] == [7, 4, 2, 2]
    assert rounds["heats"].rules == ("Q: places 1–2", "q: place 3, the 2 fastest")
    assert rounds["semifinals"].rules == ("QA: places 1–2 → Final A", "QB: places 3–4 → Final B")
    final_a, final_b = rounds["finals"].races
    assert [(e.place, e.name, e.noc, e.result) for e in final_a.entries] == [
        (1, "Ahn Hyun-soo", "KOR", "1:26.739"),
        (2, "Lee Ho-suk", "KOR", "1:26.764"),
        (3, "Apolo Anton Ohno", "USA", "1:26.927"),
        (4, "Rusty Smith", "USA", "1:27.435"),
        (5, "Li Ye", "CHN", "1:29.918"),
    ]
    assert (final_b.label, final_b.contested, final_b.entries) == ("Final B", False, ())
    assert final_b.awarded == ("6. Li Jiajun (CHN)",)
    semifinal_1 = rounds["semifinals"].races[0]
    assert [(e.name, e.result, e.note, e.advanced, e.next_race) for e in semifinal_1.entries] == [
        ("Lee Ho-suk", "1:29.150", "QA", True, "Final A"),
        ("Rusty Smith", "1:29.515", "QA", True, "Final A"),
        ("Li Ye", "1:47.965", "ADV", True, "Final A"),
        ("Pieter Gysel", "DQ", None, False, None),
    ]
    heat_6 = rounds["heats"].races[5]  # the dead heat: places as printed, both q
    assert [(e.place, e.note, e.next_race) for e in heat_6.entries] == [
        (1, "Q", "Quarterfinal 3"),
        (2, "Q", "Quarterfinal 4"),
        (3, "q", "Quarterfinal 3"),
        (4, "q", "Quarterfinal 4"),
    ]
    semifinal_2 = rounds["semifinals"].races[1]
    assert [e.next_race for e in semifinal_2.entries] == ["Final A", "Final A", "Final B", None]


FIXTURES = Path(os.path.relpath(Path(__file__).resolve().parent.parent / "fixtures" / "raw"))
RELAY = "2099-women-3000m-relay"
FIXTURE_EVENTS = [path.name for path in (FIXTURES / "events").iterdir()]


@pytest.fixture(scope="module")
def fixture_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fictional fixture pages (relays, a Final B printing places 5-7) built once."""
    warehouse = tmp_path_factory.mktemp("fixtures")
    assert not run(FIXTURES, warehouse).checks.failed
    return warehouse / "skating.duckdb"


def test_relays_show_teams_and_their_skaters(fixture_warehouse: Path) -> None:
    shown = load_events(fixture_warehouse)
    relay = next(event for event in shown.events if event.event_id == RELAY)
    semifinal_1 = relay.rounds[0].races[0]
    first = semifinal_1.entries[0]
    assert (first.name, first.noc, first.skaters, first.next_race) == (
        "South Korea",
        "KOR",
        ("Seo Fictive", "Ha Invented", "Yu Standin", "Ji Notreal"),
        "Final A",
    )
    final_b = relay.rounds[1].races[1]
    assert [(e.place, e.name) for e in final_b.entries] == [
        (5, "Italy"),  # the page prints overall places
        (6, "Japan"),
        (7, "United States"),
    ]
    assert relay.chart is not None
    assert [(line.prior.kind, line.prior.time) for line in relay.chart.priors] == [
        ("OR", "4:05.000"),
        ("WR", "4:03.800"),
    ]


def line_of(event_id: str, status: str) -> EventLine:
    day = datetime.date(2099, 1, 1)
    return EventLine(
        event_id, "Men's 500 metres", "2099 Winter Olympics", day, day, status, 0, 0, 0
    )


def test_a_small_warehouse_is_drawn_whole_a_large_one_where_it_failed() -> None:
    few = tuple(line_of(f"e{i}", "passed") for i in range(DRAW_ALL_UP_TO))
    assert drawn(few) == [f"e{i}" for i in range(DRAW_ALL_UP_TO)]
    assert drawn_note(few, len(few), False) is None
    many = (line_of("z", "failed"), line_of("a", "failed"), line_of("w", "warned"), *few)
    assert drawn(many) == ["a", "z"]
    assert drawn_note(many, 2, False) == (
        "2 of the warehouse's 13 events are drawn below: those with a failing check."
    )
    assert drawn(many[2:]) == []
    assert drawn_note(many[2:], 0, False) == "No event is drawn: none has a failing check."
    failing = tuple(line_of(f"f{i:02}", "failed") for i in range(MAX_DRAWN + 5))
    assert drawn(failing) == [f"f{i:02}" for i in range(MAX_DRAWN)]
    assert drawn_note(failing, MAX_DRAWN, False) == (
        f"{MAX_DRAWN} of the warehouse's {MAX_DRAWN + 5} events are drawn below: those with a "
        f"failing check, the first {MAX_DRAWN} of {MAX_DRAWN + 5} by event id."
    )
    # `check --event`: the events it checked are drawn, however many the warehouse holds.
    restricted = (line_of("x", "passed"), *(line_of(f"n{i}", "not checked") for i in range(30)))
    assert drawn(restricted) == ["x"]
    assert drawn_note(restricted, 1, True) == (
        "Of the warehouse's 31 events, the one selected with --event drawn below."
    )


def test_each_event_gets_the_verdict_of_the_failures_in_its_folder() -> None:
    events = [
        {
            "event_id": name,
            "event_name": name,
            "competition": "c",
            "start_date": None,
            "end_date": None,
        }
        for name in ("clean", "broken", "warned", "waived")
    ]
    warn = next(c for c in ALL_CHECKS if c.severity == "warn")
    failures = (
        failure_at("raw/events/broken/page.txt", 8),
        failure_at("raw/events/broken/event.toml", 3),
        Failure(warn.id, "warn", "raw/events/warned/page.txt", 9, "m", "a", "b"),
        replace(failure_at("raw/events/waived/page.txt", 8), waiver="reviewed"),
        failure_at("raw/registry/athletes.csv", 2),  # no event's
    )
    run = CheckRun(ALL_CHECKS, failures)
    verdicts = [
        (e.event_id, e.status, e.errors, e.warnings, e.waived) for e in event_lines(events, run)
    ]
    assert verdicts == [
        ("broken", "failed", 2, 0, 0),
        ("warned", "warned", 0, 1, 0),
        ("waived", "waived", 0, 0, 1),
        ("clean", "passed", 0, 0, 0),
    ]
    strict = [e.status for e in event_lines(events, replace(run, warn_error=True))]
    assert strict == ["failed", "failed", "waived", "passed"]
    only = [(e.event_id, e.status) for e in event_lines(events, replace(run, events=("clean",)))]
    assert only == [
        ("clean", "passed"),
        ("broken", "not checked"),
        ("warned", "not checked"),
        ("waived", "not checked"),
    ]


def test_a_large_warehouse_draws_only_its_failing_events(
    fixture_warehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    every = load_events(fixture_warehouse)
    assert (every.total, [e.event_id for e in every.events]) == (6, sorted(FIXTURE_EVENTS))
    monkeypatch.setattr(overview, "DRAW_ALL_UP_TO", 2)
    failures = (failure_at(f"{FIXTURES.as_posix()}/events/2099-women-500m/page.txt", 1),)
    page = to_html(CheckRun(ALL_CHECKS, failures), fixture_warehouse)
    assert re.findall(r'<section class="event" id="([^"]+)"', page) == ["event-2099-women-500m"]
    assert (
        "1 of the warehouse&#x27;s 6 events are drawn below: the one with a failing check." in page
    )
    index = re.findall(r'<tr class="event-line event-([a-z-]+)" id="index-([^"]+)"', page)
    assert index[0] == ("failed", "2099-women-500m") and len(index) == 6
    assert '<details class="event-group" data-status="passed">' in page  # the rest folded
    assert '<a href="#event-2099-women-500m">' in page  # the overview links what is drawn


def test_a_failure_links_to_the_row_it_blames_and_the_row_is_marked(built_warehouse: Path) -> None:
    page_file = f"raw/events/{SEED}/page.txt"
    failures = (
        failure_at(page_file, 8),  # the infobox: not drawn, its event is
        failure_at(page_file, 29),  # the Final A record row, in the records table
        replace(failure_at(page_file, 77), severity="warn"),  # a quarterfinal result row
    )
    database = built_warehouse / "skating.duckdb"
    page = to_html(CheckRun(ALL_CHECKS, failures), database)
    links = re.findall(r'<a class="location" href="([^"]+)">([^<]+)</a>', page)
    assert links == [
        (f"#event-{SEED}", f"{page_file}:8"),
        (f"#{line_anchor(page_file, 29)}", f"{page_file}:29"),
        (f"#{line_anchor(page_file, 77)}", f"{page_file}:77"),
    ]
    result_row = re.search(rf'<tr class="entry ([^"]*)" id="{line_anchor(page_file, 77)}">', page)
    assert result_row is not None and result_row.group(1).endswith(" blamed")
    assert f'<tr id="{line_anchor(page_file, 29)}" class="record blamed">' in page
    marks = re.findall(r'<a class="mark mark-(\w+)" href="#failure-(\d+)">([^<]+)</a>', page)
    assert marks == [("warn", "3", TALLY.id), ("error", "2", TALLY.id)]  # in page order
    assert (
        page.count('class="entry status-finished blamed"')
        + page.count('class="entry status-finished advanced blamed"')
        == 1
    )


def test_standings_and_records_of_the_seed_event(seed_event: Event) -> None:
    assert seed_event.standings is not None and len(seed_event.standings) == 26
    first, *_, last = seed_event.standings
    assert (first.position, first.name, first.last_race, first.points, first.best_time) == (
        1,
        "Ahn Hyun-soo",
        "Final A",
        136.0,
        "1:26.739",
    )
    assert (last.position, last.name, last.status, last.best_time) == (
        None,
        "Niels Kerstholt",
        "DQ",
        None,
    )
    chart = seed_event.chart
    assert chart is not None
    assert [(p.point.race_label, p.point.time, p.point.holder) for p in chart.points] == [
        ("Heat 1", "1:27.048", "Li Ye"),
        ("Quarterfinal 1", "1:27.000", "Rusty Smith"),
        ("Final A", "1:26.739", "Ahn Hyun-soo"),
    ]
    [prior] = chart.priors
    assert (prior.prior.kind, prior.prior.time, prior.prior.holder) == (
        "OR",
        "1:27.185",
        "Mathieu Turcotte",
    )
    # Faster is lower, later is to the right; the prior record stands above every new one.
    assert [p.x for p in chart.points] == sorted(p.x for p in chart.points)
    assert [p.y for p in chart.points] == sorted(p.y for p in chart.points)
    assert prior.y < chart.points[0].y
    assert [band.full_title for band in chart.bands] == [
        "Heats",
        "Quarterfinals",
        "Semifinals",
        "Finals",
    ]


def test_no_chart_without_records() -> None:
    assert record_chart([("Final A", "finals")], [], []) is None
    chart = record_chart(
        [("Final A", "finals")], [Point("Final A", 86_739, "1:26.739", None, None, "OR")], []
    )
    assert chart is not None and chart.step_path.startswith("M")


def test_html_to_stdout_is_one_offline_page(cli: Cli, built_warehouse: Path) -> None:
    result = cli("check", "--warehouse", str(built_warehouse), "--format", "html")
    assert result.code == 0
    assert result.out.startswith("<!DOCTYPE html>\n")
    database = built_warehouse / "skating.duckdb"
    assert result.out == to_html(run_all(database), database, build_info(database))
    # Nothing fetched: no script, stylesheet link, image or frame; the only URL is SVG's xmlns.
    assert not re.search(r"<(script|link|img|iframe|object|embed)\b", result.out)
    assert re.findall(r"https?://[^\"' ]+", result.out) == ["http://www.w3.org/2000/svg"]
    assert result.out.count('<tr class="check ') == len(ALL_CHECKS)
    assert result.out.count('<details class="passed-checks">') == 1  # the passed ones folded


def test_html_is_a_report_format() -> None:
    assert ReportFormat("html") is ReportFormat.html


def test_long_failure_lists_are_summarised(built_warehouse: Path) -> None:
    failures = tuple(failure_at(f"raw/events/{SEED}/page.txt", 1) for _ in range(105))
    page = render(CheckRun(ALL_CHECKS, failures), ReportFormat.html, built_warehouse / "x")
    assert page.count('<article class="failure') == MAX_FAILURES_PER_CHECK
    assert (
        f"… and {105 - MAX_FAILURES_PER_CHECK} more <code>tallies.competitors</code> failures"
        in page
    )
    assert "SELECT * FROM failures WHERE check_id = &#x27;tallies.competitors&#x27;" in page
    # The database is not there: the checks are still reported, the events said missing.
    assert "The events could not be read from the warehouse: " in page


def test_lists_in_race_boxes_show_controls_escaped(
    seed_event: Event, built_warehouse: Path
) -> None:
    """Joined lists (skaters, rules, awarded entrants) go through the one HTML escape too:
    controls shown as escapes, markup as text."""
    hostile = "A\x1b[31m<b>"
    heats, *others = seed_event.rounds
    race = replace(heats.races[0], contested=False, awarded=(hostile, "B"))
    entry = replace(race.entries[0], skaters=(hostile, "C"))
    race = replace(race, entries=(entry, *race.entries[1:]))
    heats = replace(heats, rules=(hostile, "D"), races=(race,))
    event = replace(seed_event, rounds=(heats, *others))
    page = (
        environment()
        .get_template("report.html.j2")
        .render(
            passed=True,
            counts=summary(CheckRun(ALL_CHECKS, ())),
            database="db",
            build=UNKNOWN_BUILD,
            open_checks=[],
            passed_checks=[],
            groups=[],
            marks={},
            index=(),
            index_tally=[],
            collapse_index=False,
            drawn_ids={event.event_id},
            medals=(),
            events=[event],
            events_note=None,
            events_problem=None,
            selection=None,
            coverage=None,
            grid=None,
            checked_events=0,
            warehouse_option="",
            note_meanings=NOTE_MEANINGS,
        )
    )
    shown = "A\\x1b[31m&lt;b&gt;"
    assert f'<p class="rules">{shown} · D</p>' in page
    assert f"placed from it: {shown}, B</p>" in page
    assert f'<span class="skaters">{shown}, C</span>' in page
    assert "\x1b" not in page


def test_the_world_tour_bracket_shows_where_each_rule_sends(fixture_warehouse: Path) -> None:
    shown = load_events(fixture_warehouse)
    [event] = [e for e in shown.events if e.event_id.startswith("2099-2100-isu")]
    rounds = {r.name: r for r in event.rounds}
    assert [(name, r.title, len(r.races)) for name, r in rounds.items()] == [
        ("preliminaries", "Preliminaries", 2),
        ("heats", "Heats", 4),
        ("repechage_quarterfinals", "Repechage quarterfinals", 2),
        ("repechage_semifinals", "Repechage semifinals", 1),
        ("quarterfinals", "Quarterfinals", 2),
        ("semifinals", "Semifinals", 2),
        ("finals", "Finals", 2),
    ]
    # The round a rule sends to is shown where it is not the next one.
    assert rounds["heats"].rules == (
        "Q: places 1–2 → Quarterfinals",
        "no note: places 3–4 → Repechage quarterfinals",
    )
    assert rounds["repechage_semifinals"].rules == ("Q: places 1–2",)


def test_a_prior_holder_printed_with_its_noc_is_not_given_it_twice(
    fixture_warehouse: Path,
) -> None:
    """Found in a newcomer's trial: the prior-record tooltip read `South Korea (KOR) (KOR)`."""
    page = to_html(CheckRun(ALL_CHECKS, ()), fixture_warehouse)
    assert "South Korea (KOR), 2097-11-12" in page
    assert "(KOR) (KOR)" not in page


def test_the_page_names_its_build(built_warehouse: Path, raw_copy: Path) -> None:
    published = build_info(built_warehouse / "skating.duckdb")
    assert published.build_id is not None and BUILD_NAME.fullmatch(published.build_id)
    assert (published.raw, published.state) == ("raw", "published")
    assert published.built_at is not None
    age = datetime.datetime.now(datetime.UTC) - published.built_at
    assert datetime.timedelta(0) <= age < datetime.timedelta(hours=2)
    assert published.built_at_text == published.built_at.strftime("%Y-%m-%d %H:%M:%S UTC")

    corrupt(raw_copy / "events" / SEED / "page.txt", "- Competitors: 26", "- Competitors: 25")
    checked = run(raw_copy, raw_copy.parent / "warehouse")
    assert checked.rejected is not None
    rejected = build_info(checked.rejected / "skating.duckdb")
    assert rejected.build_id == checked.built.build.name  # the name its mark keeps
    assert (rejected.raw, rejected.state) == (raw_copy.as_posix(), "rejected: not published")
    page = to_html(checked.checks, checked.rejected / "skating.duckdb", rejected)
    assert (
        f'<code>{rejected.build_id}</code> <span class="build-state">rejected: not published'
        in page
    )
    assert f"<dt>raw folder</dt><dd><code>{raw_copy.as_posix()}</code>" in page

    assert build_info(raw_copy / "nowhere.duckdb").build_id is None  # no build: nothing made up


def test_a_changed_published_build_says_so(built_warehouse: Path, tmp_path: Path) -> None:
    copy = Path(shutil.copytree(built_warehouse, tmp_path / "wh", symlinks=True))
    database = copy / "skating.duckdb"
    assert build_info(database).state == "published"
    assert build_info(database).warehouse == copy.as_posix()
    target = database.resolve()
    target.chmod(0o644)
    with duckdb.connect(str(target)) as con:
        con.execute("CREATE TABLE mine AS SELECT 1")
    assert build_info(database).state == "published, changed since (skating.duckdb changed)"


def test_an_older_warehouse_without_medal_tables_per_competition(
    built_warehouse: Path, tmp_path: Path
) -> None:
    database = tmp_path / "skating.duckdb"
    shutil.copyfile(built_warehouse / "skating.duckdb", database)
    database.chmod(0o644)
    with duckdb.connect(str(database)) as con:  # as a build of before medal tables by Games
        con.execute("CREATE OR REPLACE VIEW medal_table AS SELECT noc, 1 AS gold FROM nations")
    page = to_html(run_all(database), database)
    assert "Medal tables" not in page
    assert '<section class="event" id="event-2006-men-1000m"' in page


def test_a_selection_is_said_and_hints_name_the_warehouse(
    fixture_warehouse: Path, cli: Cli, tmp_path: Path
) -> None:
    folder = fixture_warehouse.parent
    report = tmp_path / "one.html"
    args = ["check", "--warehouse", str(folder), "--event", "2099-women-500m", "--select", "ranks"]
    assert cli(*args, "--output", str(report)).code == 0
    page = report.read_text(encoding="utf-8")
    assert (
        '<p id="selection" class="selection">Selected: checks ranks; events 2099-women-500m. '
        "The verdicts below are of what was selected alone.</p>"
    ) in page
    assert "checks on 1 of 6 events" in page
    assert re.findall(r'<section class="event" id="([^"]+)"', page) == ["event-2099-women-500m"]
    assert "Of the warehouse&#x27;s 6 events, the one selected with --event drawn below." in page
    assert f"<code>pipeline check --warehouse {folder.as_posix()} --event EVENT_ID" in page
    assert page.count('<span class="status status-not-checked">not checked</span>') == 5
