"""The benchmark at a small size: real runs in fresh processes, figures that add up."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from benchmarks.run import STAGES, markdown, measure_size
from tests.conftest import REPO


def test_benchmark_measures_a_small_corpus(tmp_path: Path) -> None:
    figures = measure_size(40, runs=2, work=tmp_path, incremental=True)
    assert (figures["events"], figures["runs"]) == (40, 2)
    assert 40 * 57 <= figures["results"] <= 40 * 60
    assert all(figures[stage] > 0 for stage in STAGES)
    assert figures["wall"] > sum(figures[stage] for stage in STAGES)  # plus start-up
    assert figures["main_rss_mib"] > 50
    assert 0 < figures["incremental_ratio"] < 2
    # The edited page was restored: the corpus is as generated.
    assert "Edited Arena" not in "".join(
        p.read_text() for p in (tmp_path / "corpus-40" / "events").glob("*/page.txt")
    )
    table = markdown(
        {
            "date": "d",
            "machine": "m",
            "runs": 2,
            "sizes": {"40": figures},
            "baselines": {"import_stack": 1.0, "import_typer": 0.1, "pipeline_help": 0.1},
        }
    )
    assert f"| 40 | {figures['results']:,} |" in table


def test_measure_records_the_command_exit_code(tmp_path: Path) -> None:
    """As the `pipeline` command runs: a missing raw/ is exit 2 (returned, not raised)."""
    out = tmp_path / "usage.json"
    command = [sys.executable, "-m", "benchmarks.measure", str(out), "run", "--raw"]
    command += [str(tmp_path / "none"), "--warehouse", str(tmp_path / "wh")]
    subprocess.run(command, check=False, capture_output=True, timeout=120, cwd=REPO)
    assert json.loads(out.read_text())["exit"] == 2
