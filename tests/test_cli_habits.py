"""The command line's habits, as typer, dbt and the duckdb CLI users expect: -h, readable
metavars, examples, environment variables for the defaults, --debug anywhere, a report format
taken from --output's suffix, and counts in words ("1 warning")."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.add.helpers import Cli
from tests.conftest import FIXTURES, REPO

COMMANDS = ("run", "add", "check", "diff", "list", "sql")


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_short_help_with_examples_and_readable_metavars(
    cli: Cli, command: str
) -> None:
    shown = cli(command, "-h")
    assert shown.code == 0
    assert "\n  Examples:\n    pipeline " in shown.out
    for unreadable in ("{", "<list[", "<path>", "<str>", "<int>"):
        assert unreadable not in shown.out, (command, unreadable)


def test_add_usage_reads_as_people_write_it(cli: Cli) -> None:
    shown = cli("add", "--help").out
    assert shown.startswith("Usage: pipeline add [OPTIONS] PAGE...\n")
    assert "\n  PAGE...  Results pages to add.  [required]\n" in shown
    assert "--raw DIR" in shown and "[env var: PIPELINE_RAW;" in shown


def test_the_defaults_come_from_the_environment(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = shutil.copytree(FIXTURES, tmp_path / "fixtures")
    monkeypatch.setenv("PIPELINE_RAW", str(raw))
    monkeypatch.setenv("PIPELINE_WAREHOUSE", str(tmp_path / "wh"))
    assert cli("run").code == 0
    events = json.loads(cli("list", "events", "--format", "json").out)
    assert len(events) == len(list((FIXTURES / "events").iterdir()))


def test_debug_is_read_after_the_command_too(cli: Cli, tmp_path: Path) -> None:
    """--debug shows the traceback (here of an input error), and the exit code stays 2."""
    shown = cli("list", "events", "--warehouse", str(tmp_path), "--debug")
    assert shown.code == 2 and shown.err.startswith("Traceback (most recent call last):")
    plain = cli("list", "events", "--warehouse", str(tmp_path))
    assert plain.code == 2 and "Traceback" not in plain.err


@pytest.mark.parametrize(
    ("name", "starts"),
    [("report.json", "{"), ("report.xml", "<?xml"), ("report.html", "<!DOCTYPE html>")],
)
def test_output_without_format_takes_the_suffixs_format(
    cli: Cli, built_warehouse: Path, tmp_path: Path, name: str, starts: str
) -> None:
    report = tmp_path / name
    result = cli("check", "--warehouse", str(built_warehouse), "--output", str(report))
    assert result.code == 0
    assert report.read_text(encoding="utf-8").startswith(starts)


def test_output_with_an_unknown_suffix_needs_a_format(
    cli: Cli, built_warehouse: Path, tmp_path: Path
) -> None:
    result = cli("check", "--warehouse", str(built_warehouse), "--output", str(tmp_path / "r.pdf"))
    assert (result.code, result.out) == (2, "")
    assert result.err == (
        "error: --output: expected --format, or a file ending .json, .xml, .html, .txt, "
        "found 'r.pdf'\n"
    )
    assert not (tmp_path / "r.pdf").exists()


def test_counts_are_words(cli: Cli, tmp_path: Path) -> None:
    """The fixture pages have one warning: `1 warning`, not `1 warnings`."""
    shutil.copytree(FIXTURES, tmp_path / "raw")
    result = cli("run", "--raw", str(tmp_path / "raw"), "--warehouse", str(tmp_path / "wh"))
    assert result.out.splitlines()[-1].endswith("(0 errors, 1 warning, 0 waived failures)")


def test_shell_completion_is_offered() -> None:
    shown = subprocess.run(
        [sys.executable, "-m", "pipeline", "--help"],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        check=True,
    ).stdout
    assert "--install-completion" in shown and "-h, --help" in shown
