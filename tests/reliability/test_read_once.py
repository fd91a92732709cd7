"""A build's digest is of the bytes it parsed (issue 21, item 4a): an edit of the registry or of
waivers.toml while a build reads them can never be recorded as built, so the next run is never
"up to date" over rows parsed from the older bytes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pipeline.read.waivers import load_waivers
from tests.conftest import CliResult

Cli = Callable[..., CliResult]
NEW_ATHLETE = "zz-fictional-skater,Zz Fictional Skater,KOR\n"


@pytest.mark.parametrize("edited", ["registry/athletes.csv", "waivers.toml"])
def test_an_edit_during_the_parse_is_not_recorded_as_built(
    cli: Cli, raw_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edited: str
) -> None:
    edit = {
        "registry/athletes.csv": NEW_ATHLETE,
        "waivers.toml": "# reviewed: nothing to waive\n",
    }[edited]

    def load_then_edit(*args: Any, **kwargs: Any) -> Any:
        """The registry and waivers have been read: the user saves an edit right now."""
        found = load_waivers(*args, **kwargs)
        with (raw_copy / edited).open("a", encoding="utf-8") as handle:
            handle.write(edit)
        return found

    monkeypatch.setattr("pipeline.ingest.load_waivers", load_then_edit)
    warehouse = str(tmp_path / "wh")
    assert cli("run", "--raw", str(raw_copy), "--warehouse", warehouse).code == 0
    monkeypatch.undo()
    again = cli("run", "--raw", str(raw_copy), "--warehouse", warehouse)
    assert again.code == 0
    assert "up to date" not in again.out and "published build" in again.out
    if edited == "registry/athletes.csv":
        rows = cli(
            "sql", "SELECT count(*) FROM athletes", "--warehouse", warehouse, "--format", "csv"
        )
        assert rows.out == "count_star()\n27\n"
