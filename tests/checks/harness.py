"""Build a (corrupted) raw folder into a scratch warehouse file and run every check on it."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from checks.outcome import CheckRun
from checks.runner import run_all
from pipeline.ingest import ingest_raw
from pipeline.warehouse import load_duckdb
from tests.conftest import RAW, SEED, corrupt, line_of


def altered_copy(warehouse: Path, folder: Path, *statements: str) -> Path:
    """A writable copy of the warehouse's DuckDB file in `folder`, altered by hand with
    `statements` (as a user of the stock duckdb CLI could)."""
    database = folder / "skating.duckdb"
    shutil.copyfile(warehouse / "skating.duckdb", database)
    database.chmod(0o644)
    with duckdb.connect(str(database)) as con:
        for statement in statements:
            con.execute(statement)
    return database


def build_and_check(raw: Path, scratch: Path) -> CheckRun:
    """Parse raw/, load it into scratch/skating.duckdb and run the checks."""
    ingest_raw(raw, scratch / "parquet")
    load_duckdb(scratch / "parquet", scratch / "skating.duckdb")
    return run_all(scratch / "skating.duckdb")


def open_failures(run: CheckRun, severity: str = "error") -> set[tuple[str, str, int]]:
    """(check id, file name, line) of every unwaived failure of that severity."""
    return {
        (f.check_id, Path(f.path).name, f.line)
        for f in run.failures
        if f.severity == severity and f.waiver is None
    }


@dataclass(frozen=True)
class Corruption:
    """A named edit of one raw file and the exact failures it must cause.

    Each expected failure is (check id, file name, text of the blamed line after the edit),
    with an optional 1-based occurrence when that text stands on several lines.
    """

    name: str
    file: str
    old: str
    new: str
    expected: tuple[tuple[str, str, str] | tuple[str, str, str, int], ...]
    count: int = field(default=1)
    event: str = SEED  # the event folder edited, in the raw folder below
    raw: Path = RAW  # the real raw/, or the fictional fixture pages of tests/fixtures/raw

    def apply(self, event_folder: Path) -> None:
        corrupt(event_folder / self.file, self.old, self.new, self.count)

    def located(self, event_folder: Path) -> set[tuple[str, str, int]]:
        found = set()
        for check_id, name, text, *occurrence in self.expected:
            line = line_of(event_folder / name, text, *(occurrence or [1]))
            found.add((check_id, name, line))
        return found
