"""`pipeline run` as a gate and `pipeline check` in every format: exact output, exit codes."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree

from rich.console import Console

from checks.catalog import ALL_CHECKS
from checks.framework.check import Failure
from checks.outcome import CheckRun
from checks.runner import run_all
from report.machine import to_json
from report.text import print_text
from tests.conftest import SEED, CliResult, corrupt

Cli = Callable[..., CliResult]
WARNINGS = [
    "raw/events/2006-men-1000m/page.txt:77: warning: identity.indirect-name: 'Ahn Hyun-Soo' "
    "was resolved to Ahn Hyun-soo ignoring case and diacritics (expected Ahn Hyun-soo, found "
    "Ahn Hyun-Soo)",
    "raw/events/2006-men-1000m/page.txt:84: warning: identity.indirect-name: 'Li Juajun' was "
    "resolved to Li Jiajun through the alias at raw/registry/aliases.csv:2 (expected Li "
    "Jiajun, found Li Juajun)",
    "raw/events/2006-men-1000m/page.txt:110: warning: identity.indirect-name: 'Ahn Hyun-Soo' "
    "was resolved to Ahn Hyun-soo ignoring case and diacritics (expected Ahn Hyun-soo, found "
    "Ahn Hyun-Soo)",
]


def lines(text: str) -> list[str]:
    return text.splitlines()


def test_run_on_the_bundled_pages_passes_with_the_expected_warnings(
    cli: Cli, tmp_path: Path, monkeypatch: object
) -> None:
    result = cli("run", "--warehouse", str(tmp_path / "wh"))
    assert result.code == 0, result.err
    printed = lines(result.out)
    assert [line for line in printed if ": identity." in line] == WARNINGS
    assert printed[-1] == (
        "PASSED: 47 checks, 46 passed, 0 failed, 1 warned, 0 waived (0 errors, 3 warnings, "
        "0 waived failures)"
    )


def test_failing_run_is_rejected_and_keeps_the_old_warehouse(
    cli: Cli, raw_copy: Path, seed_copy: Path, tmp_path: Path
) -> None:
    warehouse = tmp_path / "wh"
    assert cli("run", "--raw", str(raw_copy), "--warehouse", str(warehouse)).code == 0
    published = os.readlink(warehouse / "current")
    corrupt(seed_copy, "- Competitors: 26", "- Competitors: 25")
    result = cli("run", "--raw", str(raw_copy), "--warehouse", str(warehouse))
    assert result.code == 1
    page = f"{raw_copy}/events/{SEED}/page.txt"
    assert (
        f"{page}:8: error: tallies.competitors: the infobox claims 25 competitors; the results "
        "have 26 "
        "(expected 26, found 25)"
    ) in lines(result.out)
    assert result.err == (
        f"build rejected: the warehouse in {warehouse} is unchanged; the rejected build is in "
        f"{warehouse}/rejected (pipeline check --warehouse {warehouse}/rejected)\n"
    )
    assert os.readlink(warehouse / "current") == published
    rejected = cli("check", "--warehouse", str(warehouse / "rejected"), "--format", "github")
    assert rejected.code == 1
    assert f"::error file={page},line=8,title=tallies.competitors::" in rejected.out
    assert cli("check", "--warehouse", str(warehouse)).code == 0


def test_check_json_equals_the_library_result(cli: Cli, built_warehouse: Path) -> None:
    result = cli("check", "--warehouse", str(built_warehouse), "--format", "json")
    assert result.code == 0
    assert result.out == to_json(run_all(built_warehouse / "skating.duckdb"))
    document = json.loads(result.out)
    assert document["passed"] is True
    assert document["summary"] == {
        "checks": 47,
        "passed": 46,
        "failed": 0,
        "warned": 1,
        "waived": 0,
        "errors": 0,
        "warnings": 3,
        "waived_failures": 0,
        "input_errors": 0,
    }
    assert document["errors"] == []
    assert [c["id"] for c in document["checks"]] == [c.id for c in ALL_CHECKS]
    assert document["failures"][0] == {
        "check": "identity.indirect-name",
        "severity": "warn",
        "path": "raw/events/2006-men-1000m/page.txt",
        "line": 77,
        "message": "'Ahn Hyun-Soo' was resolved to Ahn Hyun-soo ignoring case and diacritics",
        "expected": "Ahn Hyun-soo",
        "found": "Ahn Hyun-Soo",
        "waived": False,
        "waiver_reason": None,
        "note": None,
    }


def test_check_junit_report_file(cli: Cli, raw_copy: Path, seed_copy: Path, tmp_path: Path) -> None:
    corrupt(seed_copy, "- Nations: 17", "- Nations: 18")
    warehouse, report = tmp_path / "wh", tmp_path / "report.xml"
    result = cli(
        "run",
        "--raw",
        str(raw_copy),
        "--warehouse",
        str(warehouse),
        "--format",
        "junit",
        "--output",
        str(report),
    )
    assert result.code == 1
    suite = ElementTree.parse(report).getroot().find("testsuite")
    assert suite is not None
    # The infobox disagrees with its results and with Olympedia: two checks fail.
    assert (suite.get("tests"), suite.get("failures")) == ("47", "2")
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert len(cases) == 47
    failure = cases["tallies.nations"].find("failure")
    assert failure is not None and failure.text == (
        f"{raw_copy}/events/{SEED}/page.txt:9: error: tallies.nations: the infobox claims 18 "
        "nations; "
        "the results have 17 (expected 17, found 18)"
    )
    reference = cases["reference.nations"].find("failure")
    assert reference is not None and reference.text == (
        f"{raw_copy}/events/{SEED}/page.txt:9: error: reference.nations: the infobox claims 18 "
        "nations; the reference counts 17 (expected 17, found 18)\n"
        f"{raw_copy}/reference/olympedia-event-tallies-1992-2018.csv:33: note: see the "
        "reference's row"
    )
    out = cases["identity.indirect-name"].find("system-out")
    assert out is not None and out.text is not None and out.text.count("\n") == 2
    assert cases["ranks.time-order"].find("failure") is None


def test_check_without_a_warehouse_exits_2(cli: Cli, tmp_path: Path) -> None:
    result = cli("check", "--warehouse", str(tmp_path))
    assert (result.code, result.err) == (
        2,
        f"error: {tmp_path}/skating.duckdb: expected a warehouse built by `pipeline run`, "
        "found none\n",
    )


def test_unknown_format_is_a_usage_error(cli: Cli, built_warehouse: Path) -> None:
    result = cli("check", "--warehouse", str(built_warehouse), "--format", "xml")
    assert result.code == 2
    assert "Invalid value for '--format'" in result.err


def test_long_failure_lists_are_summarised_not_truncated() -> None:
    check = next(c for c in ALL_CHECKS if c.id == "ranks.no-gaps")
    failures = tuple(
        Failure(check.id, "error", "raw/p.txt", line, "m", "x", "y") for line in range(1, 26)
    )
    console = Console(record=True, width=200)
    print_text(CheckRun(ALL_CHECKS, failures), console)
    text = console.export_text()
    assert text.count(": error: ranks.no-gaps: m") == 20
    assert (
        "… and 5 more ranks.no-gaps failures (`pipeline check --format json` lists them all)"
        in text
    )
    assert "FAILED: 47 checks, 46 passed, 1 failed" in text


def test_run_writes_the_html_report_of_the_rejected_build(
    cli: Cli, raw_copy: Path, seed_copy: Path, tmp_path: Path
) -> None:
    corrupt(seed_copy, "- Competitors: 26", "- Competitors: 25")
    report = tmp_path / "report.html"
    result = cli(
        "run",
        "--raw",
        str(raw_copy),
        "--warehouse",
        str(tmp_path / "wh"),
        "--format",
        "html",
        "--output",
        str(report),
    )
    assert result.code == 1
    assert f"report written to {report}\n" in result.err
    assert "FAILED: 47 checks, 43 passed, 3 failed, 1 warned" in result.out  # and the terminal
    page = report.read_text(encoding="utf-8")
    assert '<strong id="verdict" class="verdict failed">FAILED</strong>' in page
    assert (
        '<div class="source-line blamed" data-line="8"><span class="number">8</span>'
        '<span class="text">- Competitors: 25</span></div>'
    ) in page
    assert page.count('<div class="race') == 15  # read from warehouse/rejected/
