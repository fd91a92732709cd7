"""Part of the checks, as dbt's --select: by id, family or pattern, and by event."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from checks.catalog import ALL_CHECKS
from checks.runner import run_all
from checks.selection import Selection
from tests.checks.harness import build_and_check, open_failures
from tests.checks.test_waivers import add_waiver
from tests.conftest import FIXTURES, CliResult, corrupt

RELAY = "2099-women-3000m-relay"


@pytest.fixture(scope="module")
def corrupted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture pages with the relay's Teams miscounted, built and checked once."""
    scratch = tmp_path_factory.mktemp("selection")
    raw = Path(shutil.copytree(FIXTURES, scratch / "raw"))
    corrupt(raw / "events" / RELAY / "page.txt", "- Teams: 8", "- Teams: 9")
    assert build_and_check(raw, scratch / "build").failed
    return scratch / "build" / "skating.duckdb"


def test_families_patterns_and_ids_select_checks(corrupted: Path) -> None:
    tallies = run_all(corrupted, selection=Selection(("tallies",)))
    assert [check.id for check in tallies.checks] == [
        c.id for c in ALL_CHECKS if c.id.startswith("tallies.")
    ]
    assert open_failures(tallies) == {("tallies.teams", "page.txt", 10)}
    assert tallies.selection == "checks tallies"
    records = run_all(corrupted, selection=Selection(("records.*", "ranks.no-gaps")))
    assert len(records.checks) == 7 and not records.failed


def test_an_event_selection_reports_that_event_only(corrupted: Path) -> None:
    other = run_all(corrupted, selection=Selection(events=("2099-men-1000m",)))
    assert not other.failed and other.selection == "events 2099-men-1000m"
    relay = run_all(corrupted, selection=Selection(events=(RELAY,)))
    assert open_failures(relay) == {
        ("tallies.teams", "page.txt", 10),
        ("classification.entrants", "page.txt", 10),
    }


def test_a_waiver_of_a_check_not_run_is_not_called_unused(raw_copy: Path, tmp_path: Path) -> None:
    add_waiver(raw_copy, "tallies.competitors", 8)
    assert build_and_check(raw_copy, tmp_path).failed  # the stale waiver fails a full run
    partial = run_all(tmp_path / "skating.duckdb", selection=Selection(("records",)))
    assert not partial.failed


def test_check_select_on_the_command_line(
    cli: Callable[..., CliResult], corrupted: Path, tmp_path: Path
) -> None:
    warehouse = tmp_path / "wh"
    warehouse.mkdir()
    shutil.copyfile(corrupted, warehouse / "skating.duckdb")
    args = ("check", "--warehouse", str(warehouse), "--format", "json")
    clean = cli(*args, "--select", "records", "--event", RELAY)
    document = json.loads(clean.out)
    assert (clean.code, document["selection"], document["summary"]["checks"]) == (
        0,
        f"checks records; events {RELAY}",
        6,
    )
    assert cli(*args, "--select", "tallies.teams").code == 1
    text = cli("check", "--warehouse", str(warehouse), "--select", "tallies.teams")
    assert "Selected: checks tallies.teams" in text.out


def test_exclude_leaves_out_a_family_or_a_pattern(corrupted: Path) -> None:
    without = run_all(corrupted, selection=Selection(excluded=("tallies", "identity.*")))
    assert [c.id for c in without.checks] == [
        c.id for c in ALL_CHECKS if not c.id.startswith(("tallies.", "identity."))
    ]
    # The relay's miscount fails tallies.teams and classification.entrants: the one is left out.
    assert open_failures(without) == {("classification.entrants", "page.txt", 10)}
    assert without.selection == "excluding tallies, identity.*"
    both = run_all(corrupted, selection=Selection(("tallies",), excluded=("tallies.teams",)))
    assert "tallies.teams" not in [c.id for c in both.checks] and not both.failed
    assert both.selection == "checks tallies; excluding tallies.teams"


def test_an_exclude_that_matches_nothing_or_everything_is_refused(
    cli: Callable[..., CliResult], corrupted: Path
) -> None:
    warehouse = str(corrupted.parent)
    typo = cli("check", "--warehouse", warehouse, "--exclude", "talies")
    assert (typo.code, typo.out) == (2, "")
    assert typo.err.startswith(
        "error: --exclude: expected a check id, a family (advancement, classification,"
    )
    assert typo.err.rstrip().endswith("found 'talies'")
    everything = cli("check", "--warehouse", warehouse, "--exclude", "*")
    assert everything.code == 2
    assert everything.err == (
        "error: --exclude: expected some check left to run, found all excluded\n"
    )


def test_warn_error_fails_the_gate_on_a_warning(
    cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    """The fixture pages pass with one warning (an alias); with --warn-error that fails: `check`
    exits 1, and `run` rejects the build, also one it had published with the warning."""
    raw = Path(shutil.copytree(FIXTURES, tmp_path / "raw"))
    warehouse = tmp_path / "wh"
    assert cli("run", "--raw", str(raw), "--warehouse", str(warehouse)).code == 0
    checked = cli("check", "--warehouse", str(warehouse), "--warn-error")
    assert checked.code == 1
    assert checked.out.splitlines()[-3:] == [
        "Warnings fail this run (--warn-error).",
        "Coverage: 3 of 4 Olympic events 2099 present (1 Games in the references of "
        "raw/reference/); `pipeline list events --missing` lists the 1 missing",
        "FAILED: 47 checks, 46 passed, 1 failed, 0 warned, 0 waived (0 errors, 1 warning, 0 "
        "waived failures)",
    ]
    as_json = cli("check", "--warehouse", str(warehouse), "--warn-error", "--format", "json")
    document = json.loads(as_json.out)
    assert (as_json.code, document["passed"], document["warn_error"]) == (1, False, True)
    rerun = cli("run", "--raw", str(raw), "--warehouse", str(warehouse), "--warn-error")
    assert rerun.code == 1
    assert (warehouse / "rejected" / "skating.duckdb").is_file()
    assert cli("run", "--raw", str(raw), "--warehouse", str(warehouse)).code == 0
