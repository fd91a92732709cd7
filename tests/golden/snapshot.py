"""What the warehouse looks like today, as a comparable snapshot: every table's columns (as
digests) and every message of the check reports on the seed, its corruptions and a generated
corpus. `python -m tests.golden.snapshot` rewrites golden.json; do that only for an intended
change, and say why in the commit."""

from __future__ import annotations

import contextlib
import hashlib
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pyarrow as pa

GOLDEN = Path(__file__).resolve().parent / "golden.json"
GENERATED_EVENTS = 25


def column_digests(tables: dict[str, pa.Table]) -> dict[str, dict[str, str]]:
    """table -> column -> sha256 of the column's values in row order."""
    return {
        name: {
            column: hashlib.sha256(
                json.dumps(table[column].to_pylist(), default=str).encode()
            ).hexdigest()
            for column in table.column_names
        }
        for name, table in sorted(tables.items())
    }


def _messages(raw: Path, scratch: Path) -> list[str]:
    from tests.checks.harness import build_and_check

    run = build_and_check(raw, scratch)
    return [f"{f} [waived: {f.waiver}]" if f.waiver else str(f) for f in run.failures]


def take() -> dict[str, Any]:
    """The snapshot of the current code."""
    from benchmarks.generate import generate
    from pipeline.ingest import build_tables
    from tests.checks.corruptions import SEED_CORRUPTIONS, WARNINGS
    from tests.conftest import RAW, SEED

    snapshot: dict[str, Any] = {"tables": {}, "messages": {}}
    # Relative paths inside a scratch folder: source_file reads the same wherever it runs.
    with tempfile.TemporaryDirectory() as scratch_name, contextlib.chdir(scratch_name):
        shutil.copytree(RAW, "seed/raw")
        generate(GENERATED_EVENTS, Path("generated/raw"))
        for corpus in ("seed", "generated"):
            raw = Path(corpus, "raw")
            snapshot["tables"][corpus] = column_digests(build_tables(raw))
            snapshot["messages"][corpus] = _messages(raw, Path(corpus, "build"))
        for corruption in (*SEED_CORRUPTIONS, *WARNINGS):
            shutil.rmtree("corrupt", ignore_errors=True)
            shutil.copytree(RAW, "corrupt/raw")
            corruption.apply(Path("corrupt/raw/events", SEED))
            snapshot["messages"][corruption.name] = _messages(
                Path("corrupt/raw"), Path("corrupt/build")
            )
    return snapshot


if __name__ == "__main__":
    GOLDEN.write_text(json.dumps(take(), indent=1, sort_keys=True) + "\n", encoding="utf-8")
