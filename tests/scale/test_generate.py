"""The benchmark generator: deterministic, seed-shaped events that pass every check."""

from __future__ import annotations

from pathlib import Path

import pyarrow.compute as pc
import pytest

from benchmarks.generate import generate
from pipeline.ingest import build_tables
from tests.checks.harness import build_and_check, open_failures


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("generated") / "raw"
    generate(60, out)
    return out


def test_same_seed_same_bytes_and_event_i_independent_of_size(corpus: Path, tmp_path: Path) -> None:
    generate(3, tmp_path / "small")
    for folder in sorted((tmp_path / "small" / "events").iterdir()):
        for name in ("page.txt", "event.toml"):
            assert (folder / name).read_bytes() == (
                corpus / "events" / folder.name / name
            ).read_bytes()


def test_generated_corpus_passes_every_error_level_check(corpus: Path, tmp_path: Path) -> None:
    run = build_and_check(corpus, tmp_path)
    assert open_failures(run) == set()
    assert not run.failed


def test_generated_corpus_has_every_feature(corpus: Path) -> None:
    tables = build_tables(corpus)
    results, races = tables["results"], tables["races"]
    assert tables["events"].num_rows == 60
    assert 57 * 60 <= results.num_rows <= 60 * 60
    assert set(races["round"].to_pylist()) == {"heats", "quarterfinals", "semifinals", "finals"}
    assert set(races["label"].to_pylist()) >= {"Final A", "Final B"}
    notes = set(results["note"].drop_null().to_pylist())
    assert notes == {"Q", "q", "QA", "QB", "ADV"}
    assert pc.sum(pc.equal(results["status"], "DQ")).as_py() > 0
    assert tables["records"].num_rows > 0
    assert {"alias", "folded"} <= set(results["name_match"].to_pylist())
    finishers = results.filter(pc.equal(results["status"], "finished"))
    keys = [
        f"{r}/{t}"
        for r, t in zip(
            finishers["race_id"].to_pylist(), finishers["time_ms"].to_pylist(), strict=True
        )
    ]
    assert len(keys) > len(set(keys)), "no dead heat generated"
