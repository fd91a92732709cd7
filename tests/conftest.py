"""Shared fixtures: copies of the real raw/ folder, corruptions of it, and a built warehouse."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from pipeline.unused_imports import unimportable

# The command's process keeps pandas out (pipeline.unused_imports), so that pandera runs its
# polars API without it: so does the tests' process, to test the pandera the command runs,
# from before anything could import it (pyarrow looks for pandas at its first array).
# hypothesis stays: the tests synthesise data with it.
PANDAS_KEPT_OUT = ExitStack()
PANDAS_KEPT_OUT.enter_context(unimportable(("pandas",)))

import pyarrow as pa  # noqa: E402
import pytest  # noqa: E402

from core.errors import SourceError  # noqa: E402
from pipeline.build import run  # noqa: E402
from pipeline.derive.event_rows import EventTables  # noqa: E402
from pipeline.derive.from_raw import folder_event_tables  # noqa: E402
from pipeline.ingest import build_tables  # noqa: E402
from pipeline.resolve.registry import Registry, load_registry  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


def pytest_unconfigure(config: pytest.Config) -> None:
    PANDAS_KEPT_OUT.close()


RAW = REPO / "raw"
SEED = "2006-men-1000m"
SEED_PAGE = RAW / "events" / SEED / "page.txt"
# Fictional pages (2099 and later) for the layouts and structures the bundled page lacks.
FIXTURES = REPO / "tests" / "fixtures" / "raw"


def event_rows(table: pa.Table, event_id: str, *columns: str) -> list[tuple[object, ...]]:
    """The given columns of one event's rows, in table order."""
    return [tuple(r[c] for c in columns) for r in table.to_pylist() if r["event_id"] == event_id]


@pytest.fixture(scope="session")
def fixture_tables() -> dict[str, pa.Table]:
    """Every table of the fictional fixture pages."""
    return build_tables(FIXTURES)


def line_of(page: Path, text: str, occurrence: int = 1) -> int:
    """1-based number of the line of `page` that contains `text` (its n-th occurrence)."""
    found = [
        n for n, line in enumerate(page.read_text(encoding="utf-8").split("\n"), 1) if text in line
    ]
    return found[occurrence - 1]


def corrupt(page: Path, old: str, new: str, count: int = 1) -> Path:
    """Replace `old` by `new` in a copied page (exactly `count` occurrences must exist)."""
    text = page.read_text(encoding="utf-8")
    assert text.count(old) >= count, f"{old!r} not in {page}"
    page.write_text(text.replace(old, new, count), encoding="utf-8")
    return page


def read_fixture_event(tmp_path: Path, event_id: str, *edits: tuple[str, str]) -> Path:
    """Read (read, resolve, derive) a copy of a fictional fixture event's page with each edit
    (old, new) made once; returns the copied page, for `line_of`. Raises what reading raises."""
    raw = Path(shutil.copytree(FIXTURES, tmp_path / "raw"))
    page = raw / "events" / event_id / "page.txt"
    for old, new in edits:
        corrupt(page, old, new)
    registry = load_registry(raw / "registry", "raw/registry")
    folder_event_tables(page.parent, f"raw/events/{event_id}", registry)
    return page


def fixture_refusal(
    tmp_path: Path, event_id: str, *edits: tuple[str, str]
) -> tuple[SourceError, Path]:
    """What reading an edited copy of a fixture event refuses, and the copied page."""
    with pytest.raises(SourceError) as refused:
        read_fixture_event(tmp_path, event_id, *edits)
    return refused.value, tmp_path / "raw" / "events" / event_id / "page.txt"


@pytest.fixture
def raw_copy(tmp_path: Path) -> Path:
    """A private copy of raw/ that a test may corrupt."""
    return Path(shutil.copytree(RAW, tmp_path / "raw"))


@pytest.fixture
def seed_copy(raw_copy: Path) -> Path:
    """The seed page inside the private copy of raw/."""
    return raw_copy / "events" / SEED / "page.txt"


@pytest.fixture(scope="session")
def registry() -> Registry:
    return load_registry(RAW / "registry", "raw/registry")


@pytest.fixture(scope="session")
def seed_tables(registry: Registry) -> EventTables:
    """The seed event parsed straight from the real raw/ folder."""
    return folder_event_tables(RAW / "events" / SEED, f"raw/events/{SEED}", registry)


@pytest.fixture(scope="session")
def built_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse built once from the real raw/ folder."""
    warehouse = tmp_path_factory.mktemp("warehouse")
    # Built from the path a user types (raw/, not /abs/raw/) so source_file reads as in the docs.
    run(Path(os.path.relpath(RAW)), warehouse)
    return warehouse


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """Run `pipeline ARGS` in-process through the real entry point; returns a CliResult."""
    from pipeline import cli as cli_module

    def invoke(*args: str) -> CliResult:
        capsys.readouterr()
        code = cli_module.main(list(args))
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    yield invoke
