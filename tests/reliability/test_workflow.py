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


def _runs(condition: str, failed: bool, outputs: dict[str, str]) -> bool:
    """The step's `if:`, for the expressions the workflow uses."""
    parts = [part.strip() for part in condition.split("&&")]
    verdicts = []
    for part in parts:
        if part in ("success()", "failure()", "always()"):
            verdicts.append({"success()": not failed, "failure()": failed, "always()": True}[part])
            continue
        name, _, value = part.partition(" == ")
        assert name.startswith("steps.build.outputs."), part
        verdicts.append(outputs.get(name.removeprefix("steps.build.outputs.")) == value.strip("'"))
    return all(verdicts)


def _shim(workspace: Path) -> Path:
    """The workspace's .venv/bin/pipeline: this checkout's pipeline."""
    shim = workspace / ".venv" / "bin" / "pipeline"
    shim.parent.mkdir(parents=True, exist_ok=True)
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m pipeline "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    return shim


def run_workflow(workspace: Path) -> list[Step]:
    """Every `run:` step after Install, in a workspace whose .venv/bin/pipeline is this one."""
    jobs = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]
    steps = [s for s in jobs["gate"]["steps"] if "run" in s and s["name"] != "Install"]
    _shim(workspace)
    outputs: dict[str, str] = {}
    done: list[Step] = []
    for step in steps:
        failed = any(s.code for s in done)
        if not _runs(step.get("if", "success()"), failed, outputs):
            done.append(Step(step["name"], None, ""))
            continue
        github_output = workspace / "github-output"
        github_output.write_text("", encoding="utf-8")
        script = step["run"]
        for name, value in outputs.items():
            script = script.replace("${{ steps.build.outputs." + name + " }}", value)
        ran = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
            cwd=workspace,
            env={**os.environ, "PYTHONPATH": str(REPO), "GITHUB_OUTPUT": str(github_output)},
            capture_output=True,
            text=True,
            timeout=300,
            stdin=subprocess.DEVNULL,
        )
        if step.get("id") == "build":
            lines = github_output.read_text(encoding="utf-8").splitlines()
            outputs = dict(line.split("=", 1) for line in lines)
        done.append(Step(step["name"], ran.returncode, ran.stdout))
    return done


@pytest.fixture
def workspace(raw_copy: Path) -> Path:
    """A checkout: raw/ at its root (raw_copy's parent is the test's own folder)."""
    return raw_copy.parent


def test_bad_input_fails_the_job_with_annotations_and_reports(workspace: Path) -> None:
    page = workspace / "raw" / "events" / SEED / "page.txt"
    corrupt(page, "| 1 | Rusty Smith | | 1:27.000 | Q |", "| 1x | Rusty Smith | | 1:27.000 | Q |")
    build, checks, annotate, html = run_workflow(workspace)
    assert build.code == 2
    assert (checks.code, annotate.code, html.code) == (None, 0, 0)
    assert annotate.out.startswith(
        f"::error file=raw/events/{SEED}/page.txt,line=69,title=input error::expected a rank"
    )
    junit = ElementTree.parse(workspace / "data-quality.xml").getroot()
    assert junit.get("errors") == "1"
    assert "INPUT ERROR" in (workspace / "data-quality.html").read_text(encoding="utf-8")


def test_a_failing_check_fails_the_job_with_annotations(workspace: Path) -> None:
    corrupt(workspace / "raw" / "events" / SEED / "page.txt", "- Nations: 17", "- Nations: 18")
    build, annotate, bad_input, html = run_workflow(workspace)
    assert (build.code, annotate.code, bad_input.code, html.code) == (1, 0, None, 0)
    assert f"::error file=raw/events/{SEED}/page.txt,line=9,title=tallies.nations::" in (
        annotate.out
    )
    assert "FAILED" in (workspace / "data-quality.html").read_text(encoding="utf-8")


def test_a_clean_pass_passes_the_job(workspace: Path) -> None:
    build, checks, bad_input, html = run_workflow(workspace)
    assert (build.code, checks.code, bad_input.code, html.code) == (0, None, None, 0)
    assert ElementTree.parse(workspace / "data-quality.xml").getroot().get("failures") == "0"
    assert "PASSED" in (workspace / "data-quality.html").read_text(encoding="utf-8")


def test_a_kept_workspace_reports_todays_build_not_yesterdays(workspace: Path) -> None:
    """A failing check, then bad input, then a fix, in one workspace (a cache or a self-hosted
    runner keeps warehouse/): each job reports its own build."""
    page = workspace / "raw" / "events" / SEED / "page.txt"
    corrupt(page, "- Nations: 17", "- Nations: 18")
    assert run_workflow(workspace)[0].code == 1
    corrupt(page, "| 1 | Rusty Smith |", "| 1x | Rusty Smith |")
    build, checks, annotate, html = run_workflow(workspace)
    assert (build.code, checks.code) == (2, None)
    assert "line=69,title=input error" in annotate.out and "line=9" not in annotate.out
    assert "INPUT ERROR" in (workspace / "data-quality.html").read_text(encoding="utf-8")
    corrupt(page, "| 1x | Rusty Smith |", "| 1 | Rusty Smith |")
    corrupt(page, "- Nations: 18", "- Nations: 17")
    build, checks, annotate, html = run_workflow(workspace)
    assert (build.code, checks.code, annotate.code, html.code) == (0, None, None, 0)
    assert "PASSED" in (workspace / "data-quality.html").read_text(encoding="utf-8")


def _diff_step(workspace: Path, name: str, outputs: dict[str, str]) -> tuple[int, dict[str, str]]:
    """One `run:` step of the pull request's diff job, its `steps.*.outputs` filled in; its
    exit code and the outputs it sets."""
    jobs = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]
    [step] = [s for s in jobs["diff"]["steps"] if s.get("name") == name]
    script = step["run"]
    for key, value in outputs.items():
        script = script.replace("${{ " + key + " }}", value)
    github_output = workspace / "github-output"
    github_output.write_text("", encoding="utf-8")
    ran = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=workspace,
        env={
            **os.environ,
            "PYTHONPATH": str(REPO),
            "GITHUB_OUTPUT": str(github_output),
            "GITHUB_STEP_SUMMARY": str(workspace / "summary.md"),
        },
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )
    lines = github_output.read_text(encoding="utf-8").splitlines()
    return ran.returncode, dict(line.split("=", 1) for line in lines)


def test_a_pull_request_gets_the_diff_of_its_data_even_when_rejected(workspace: Path) -> None:
    """The base branch's build (here: raw/ as it was) against the branch's, which a mistyped
    infobox tally rejects: the diff still shows what the branch's rows would be."""
    shim = _shim(workspace)
    base = workspace.parent / "base"
    subprocess.run(
        [str(shim), "run", "--raw", str(workspace / "raw"), "--warehouse", str(base / "warehouse")],
        check=True,
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    page = workspace / "raw" / "events" / SEED / "page.txt"
    corrupt(page, "- Nations: 17", "- Nations: 18")
    code, branch = _diff_step(workspace, "Build this branch's warehouse", {})
    assert (code, branch) == (0, {"warehouse": "warehouse/rejected"})
    outputs = {
        "steps.base.outputs.warehouse": "../base/warehouse",
        "steps.branch.outputs.warehouse": branch["warehouse"],
    }
    assert _diff_step(workspace, "Diff", outputs)[0] == 0
    comment = (workspace / "data-diff.md").read_text(encoding="utf-8")
    assert comment == (workspace / "summary.md").read_text(encoding="utf-8")
    assert "| events | 0 | 0 | 1 |" in comment
    assert f"| changed | {SEED} | nations\\_declared 17 → 18 | raw/events/{SEED}/page.txt:1 |" in (
        comment
    )
    assert f"| changed | {SEED}, Nations | value 17 → 18 | raw/events/{SEED}/page.txt:9 |" in (
        comment
    )
