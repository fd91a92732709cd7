"""Raw folders for `pipeline add` tests, and building what it wrote."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

from tests.conftest import RAW, CliResult

Cli = Callable[..., CliResult]
FIXTURES = RAW.parent / "tests" / "fixtures" / "raw"


def fixture_page(event_id: str) -> Path:
    """A page of tests/fixtures/raw, or the real seed page."""
    root = RAW if event_id.startswith("2006") else FIXTURES
    return root / "events" / event_id / "page.txt"


def raw_with(tmp_path: Path, *registry_files: Path) -> Path:
    """A raw/ folder holding only these registry files."""
    raw = tmp_path / "raw"
    (raw / "registry").mkdir(parents=True)
    for file in registry_files:
        shutil.copy(file, raw / "registry" / file.name)
    return raw


def nocs_only(tmp_path: Path) -> Path:
    """A raw/ folder holding only the registry's nocs.csv."""
    return raw_with(tmp_path, RAW / "registry" / "nocs.csv")


def tree(root: Path) -> dict[str, bytes]:
    """Every file under `root` and its bytes."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def build(cli: Cli, raw: Path, tmp_path: Path) -> tuple[int, dict[str, object]]:
    """`pipeline run` on `raw` into a new warehouse: the exit code and the JSON report."""
    report = tmp_path / "report.json"
    warehouse = tmp_path / "warehouse"
    args = ("--raw", str(raw), "--warehouse", str(warehouse), "--output", str(report))
    result = cli("run", *args, "--format", "json")
    summary = json.loads(report.read_text()) if report.exists() else {}
    return result.code, summary


def errors_of(report: dict[str, object]) -> int:
    """Error-level failures in a check report."""
    summary = report["summary"]
    assert isinstance(summary, dict)
    errors = summary["errors"]
    assert isinstance(errors, int)
    return errors


def write_page(tmp_path: Path, event_id: str, *edits: tuple[str, str]) -> Path:
    """A copy of a page with each `old` text replaced by `new` (every occurrence)."""
    text = fixture_page(event_id).read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text
        text = text.replace(old, new)
    copy = tmp_path / "incoming" / event_id / "page.txt"
    copy.parent.mkdir(parents=True)
    copy.write_text(text, encoding="utf-8")
    return copy
