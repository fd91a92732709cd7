"""Per-event rules over many events run a range of events at a time; the failures are exactly
those of one run over all events."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.generate import generate
from checks.runner import run_all
from pipeline.ingest import ingest_raw
from pipeline.warehouse import load_duckdb

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
    ingest_raw(root / "raw", root / "parquet")
    load_duckdb(root / "parquet", root / "skating.duckdb")
    return root / "skating.duckdb"


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
