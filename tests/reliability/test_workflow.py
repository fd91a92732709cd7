"""The sample workflow (.github/workflows/data-quality.yml) run step by step on this machine, as
GitHub's runner would (`bash -eo pipefail`, `if: failure()` / `always()`), on the three ways a
pull request can end: bad input, a failing check, and a clean pass."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml

from tests.conftest import REPO, SEED, corrupt

WORKFLOW = REPO / ".github" / "workflows" / "data-quality.yml"


@dataclass
class Step:
    name: str
    code: int | None  # None: skipped by its `if`
    out: str


def run_workflow(workspace: Path) -> list[Step]:
    """Every `run:` step after Install, in a workspace whose .venv/bin/pipeline is this one."""
    jobs = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]
    steps = [s for s in jobs["gate"]["steps"] if "run" in s and s["name"] != "Install"]
    shim = workspace / ".venv" / "bin" / "pipeline"
    shim.parent.mkdir(parents=True)
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m pipeline "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    environment = {**os.environ, "PYTHONPATH": str(REPO)}
    done: list[Step] = []
    for step in steps:
        failed = any(s.code for s in done)
        condition = step.get("if", "success()")
        if (condition == "failure()" and not failed) or (condition == "success()" and failed):
            done.append(Step(step["name"], None, ""))
            continue
        ran = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
            cwd=workspace,
            env=environment,
            capture_output=True,
            text=True,
            timeout=300,
            stdin=subprocess.DEVNULL,
        )
        done.append(Step(step["name"], ran.returncode, ran.stdout))
    return done


@pytest.fixture
def workspace(raw_copy: Path) -> Path:
    """A checkout: raw/ at its root (raw_copy's parent is the test's own folder)."""
    return raw_copy.parent


def test_bad_input_fails_the_job_with_annotations_and_reports(workspace: Path) -> None:
    page = workspace / "raw" / "events" / SEED / "page.txt"
    corrupt(page, "| 1 | Rusty Smith | | 1:27.000 | Q |", "| 1x | Rusty Smith | | 1:27.000 | Q |")
    build, annotate, html = run_workflow(workspace)
    assert build.code == 2
    assert (annotate.code, html.code) == (0, 0)
    assert annotate.out.startswith(
        f"::error file=raw/events/{SEED}/page.txt,line=69,title=input error::expected a rank"
    )
    junit = ElementTree.parse(workspace / "data-quality.xml").getroot()
    assert junit.get("errors") == "1"
    assert "INPUT ERROR" in (workspace / "data-quality.html").read_text(encoding="utf-8")


def test_a_failing_check_fails_the_job_with_annotations(workspace: Path) -> None:
    corrupt(workspace / "raw" / "events" / SEED / "page.txt", "- Nations: 17", "- Nations: 18")
    build, annotate, html = run_workflow(workspace)
    assert (build.code, annotate.code, html.code) == (1, 0, 0)
    assert f"::error file=raw/events/{SEED}/page.txt,line=9,title=tallies.nations::" in (
        annotate.out
    )
    assert "FAILED" in (workspace / "data-quality.html").read_text(encoding="utf-8")


def test_a_clean_pass_passes_the_job(workspace: Path) -> None:
    build, annotate, html = run_workflow(workspace)
    assert (build.code, annotate.code, html.code) == (0, None, 0)
    assert ElementTree.parse(workspace / "data-quality.xml").getroot().get("failures") == "0"
    assert "PASSED" in (workspace / "data-quality.html").read_text(encoding="utf-8")
