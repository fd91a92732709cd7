"""Per-event rules over many events run a range of events at a time; the failures are exactly
those of one run over all events."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from benchmarks.generate import generate
from checks.runner import run_all
from pipeline.ingest import ingest_raw
from pipeline.warehouse import load_duckdb
from tests.checks.corruptions import FIXTURE_CORRUPTIONS
from tests.conftest import FIXTURES

EVENTS = 30


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated corpus with an error in its first event and one in its last."""
    root = tmp_path_factory.mktemp("ranges")
    generate(EVENTS, root / "raw")
    folders = sorted((root / "raw" / "events").iterdir())
    first, last = folders[0] / "page.txt", folders[-1] / "page.txt"
    # An advancement note taken away (a rule with preparations), a tally changed (one without).
    first.write_text(first.read_text().replace(" | Q |", " |  |", 1))
    text = last.read_text()
    competitors = next(line for line in text.splitlines() if line.startswith("- Competitors:"))
    last.write_text(text.replace(competitors, "- Competitors: 99"))
    return built(root / "raw", root)


def built(raw: Path, folder: Path) -> Path:
    ingest_raw(raw, folder / "parquet")
    load_duckdb(folder / "parquet", folder / "skating.duckdb")
    return folder / "skating.duckdb"


def test_event_ranges_give_the_failures_of_one_run(database: Path) -> None:
    whole = run_all(database)
    errors = {
        (f.check_id, Path(f.path).parent.name) for f in whole.failures if f.severity == "error"
    }
    assert {check for check, _ in errors} >= {
        "advancement.note-follows-rule",
        "tallies.competitors",
    }
    assert len({event for _, event in errors}) == 2
    for size in (1, 7, EVENTS - 1):
        assert run_all(database, chunk_events=size) == whole


def test_relay_fixtures_in_ranges_give_the_failures_of_one_run(tmp_path: Path) -> None:
    """Team rules aggregate over a race's skaters: the teams named in a message keep the
    page's order whatever the range (string_agg ordered by line)."""
    raw = Path(shutil.copytree(FIXTURES, tmp_path / "raw"))
    case = next(c for c in FIXTURE_CORRUPTIONS if c.name == "relay skater in another nation's team")
    case.apply(raw / "events" / case.event)
    database = built(raw, tmp_path)
    whole = run_all(database)
    assert any("(ITA, USA)" in f.message for f in whole.failures)
    for size in (1, 2):
        assert run_all(database, chunk_events=size) == whole


@pytest.mark.parametrize(
    "statement",
    [
        "INSERT INTO events SELECT * FROM events LIMIT 1",  # an event listed twice
        "UPDATE results SET event_id = 'no-such-event' WHERE rowid = 40",
        "UPDATE results SET race_id = (SELECT min(race_id) FROM races) WHERE rowid = 900",
    ],
)
def test_a_warehouse_whose_keys_fail_is_checked_in_one_run(
    database: Path, tmp_path: Path, statement: str
) -> None:
    """Ranges assume every row belongs to one listed event; when a key check fails they are
    not used, so nothing is reported twice or judged apart from its event."""
    tampered = tmp_path / "tampered.duckdb"
    shutil.copyfile(database, tampered)
    with duckdb.connect(str(tampered)) as con:
        con.execute(statement)
    whole = run_all(tampered, chunk_events=EVENTS)
    assert whole.failed
    assert run_all(tampered, chunk_events=1) == whole


def test_a_result_naming_another_events_race_fails_the_foreign_key(
    database: Path, tmp_path: Path
) -> None:
    tampered = tmp_path / "tampered.duckdb"
    shutil.copyfile(database, tampered)
    with duckdb.connect(str(tampered)) as con:
        file, line, event = con.execute(
            "SELECT source_file, source_line, event_id FROM results WHERE rowid = 900"
        ).fetchall()[0]
        other = con.execute(
            "SELECT min(race_id) FROM races WHERE event_id <> ?", [event]
        ).fetchall()[0][0]
        con.execute("UPDATE results SET race_id = ? WHERE rowid = 900", [other])
    keys = [f for f in run_all(tampered).failures if f.check_id == "keys.foreign-key"]
    assert [(f.path, f.line, f.message) for f in keys] == [
        (file, line, "results.race_id refers to a missing races row")
    ]
