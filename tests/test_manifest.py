"""The incremental digest: every input of a build's rows and failures is in it, so a changed
parser, check or library never lets a build reuse what the old one computed."""

from __future__ import annotations

import importlib.metadata
import shutil
import sys
from dataclasses import replace
from pathlib import Path

import pytest

import checks.runner
from pipeline import manifest
from pipeline.build import Checked, run
from pipeline.manifest import CODE_PACKAGES, LIBRARIES, Manifest, code_roots
from tests.conftest import SEED, corrupt


class ScopeSpy:
    """Records the scope `run` gives the checks: None means every event is re-checked."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.scopes: list[set[str] | None] = []
        real = checks.runner.run_all

        def spy(database: Path, scope: set[str] | None = None, carried: object = ()) -> object:
            self.scopes.append(scope)
            return real(database, scope, carried)  # type: ignore[arg-type]

        monkeypatch.setattr(checks.runner, "run_all", spy)


def run_twice(raw: Path, warehouse: Path) -> Checked:
    """Build, then build again unchanged: the second is up to date (the baseline)."""
    assert run(raw, warehouse).published
    again = run(raw, warehouse)
    assert (again.built.parsed, again.built.reused, again.up_to_date) == (0, 1, True)
    return again


@pytest.mark.parametrize(
    "change",
    [{"version": 1}, {"raw": "elsewhere/raw"}, {"registry": "0" * 64}, {"code": "0" * 64}],
    ids=lambda change: next(iter(change)),
)
def test_compatible_compares_every_input(change: dict[str, object]) -> None:
    built = Manifest("raw", "f" * 64, {"e": "1"}, code="c" * 64)
    assert built.compatible(replace(built, events={}, timings={"parse": 1.0}))
    assert not built.compatible(replace(built, **change))  # type: ignore[arg-type]


def test_the_digest_covers_every_stage_and_every_check() -> None:
    roots = code_roots()
    assert [root.name for root in roots] == list(CODE_PACKAGES)
    for name, module in sorted(sys.modules.items()):
        if name.split(".")[0] in CODE_PACKAGES and getattr(module, "__file__", None):
            assert any(Path(module.__file__).is_relative_to(r) for r in roots), name  # type: ignore[arg-type]
    assert {"duckdb", "pyarrow", "pandera", "polars", "pydantic", "rtoml"} <= set(LIBRARIES)


def test_a_changed_check_reparses_and_rechecks_everything(
    raw_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The digest reads a copy of the source, which the test edits as a developer would.
    copies = [Path(shutil.copytree(root, tmp_path / "src" / root.name)) for root in code_roots()]
    monkeypatch.setattr(manifest, "code_roots", lambda: copies)
    spy = ScopeSpy(monkeypatch)
    run_twice(raw_copy, tmp_path / "wh")
    assert spy.scopes == [None]  # unchanged: the rerun checked nothing, reused the report
    rule = tmp_path / "src" / "checks" / "rules" / "ranks.py"
    rule.write_text(rule.read_text() + "# a tightened rule\n")
    changed = run(raw_copy, tmp_path / "wh")
    assert (changed.built.parsed, changed.built.reused) == (1, 0)
    assert spy.scopes[-1] is None  # every event re-checked, nothing carried


def test_a_changed_library_version_reparses_everything(
    raw_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_twice(raw_copy, tmp_path / "wh")
    installed = importlib.metadata.version
    monkeypatch.setattr(
        importlib.metadata,
        "version",
        lambda name: "99.0.0" if name == "pandera" else installed(name),
    )
    changed = run(raw_copy, tmp_path / "wh")
    assert (changed.built.parsed, changed.built.reused) == (1, 0)


def test_a_manifest_without_a_code_digest_is_not_reused(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text('{"raw": "raw", "registry": "r", "events": {}}')
    assert Manifest.load(tmp_path) is None


@pytest.mark.parametrize("incremental", [True, False])
def test_a_run_hashes_its_code_once(
    raw_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, incremental: bool
) -> None:
    """One place for the incremental bookkeeping: the run's manifest is built from one code
    digest (it was hashed by the up-to-date check and again by the ingest)."""
    run(raw_copy, tmp_path / "wh")
    corrupt(raw_copy / "events" / SEED / "page.txt", "Torino Palavela", "Palavela")
    walked = 0
    roots = manifest.code_roots

    def counted() -> list[Path]:
        nonlocal walked
        walked += 1
        return roots()

    monkeypatch.setattr(manifest, "code_roots", counted)
    run(raw_copy, tmp_path / "wh", incremental=incremental)
    assert walked == 1
