"""The build's database is hashed for its seal beside the reports (pipeline.seal.hash_ahead):
the seal takes that hash only for the file exactly as it was hashed, and hashes again a file
written since."""

from __future__ import annotations

import hashlib
import json
import os
from concurrent.futures import Future
from pathlib import Path

import pytest

from pipeline import seal as seal_module
from pipeline.seal import SEAL_FILE, Hashed, broken_seal, hash_ahead, seal


def _ahead(path: Path) -> Future[Hashed]:
    done: Future[Hashed] = Future()
    done.set_result(hash_ahead(path))
    return done


def _sealed(build: Path) -> dict[str, list[object]]:
    loaded: dict[str, list[object]] = json.loads((build / SEAL_FILE).read_text())
    return loaded


def test_a_file_hashed_ahead_is_not_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "skating.duckdb").write_bytes(b"database")
    (tmp_path / "report.json").write_bytes(b"{}")
    ahead = {"skating.duckdb": _ahead(tmp_path / "skating.duckdb")}
    hashed: list[str] = []
    real_hash = seal_module._hash

    def spied(path: Path) -> str:
        hashed.append(path.name)
        return real_hash(path)

    monkeypatch.setattr(seal_module, "_hash", spied)
    seal(tmp_path, ahead)
    assert hashed == ["report.json"]
    assert _sealed(tmp_path)["skating.duckdb"][4] == hashlib.sha256(b"database").hexdigest()
    assert broken_seal(tmp_path) is None


def test_a_file_written_after_its_early_hash_is_hashed_again(tmp_path: Path) -> None:
    database = tmp_path / "skating.duckdb"
    database.write_bytes(b"database")
    ahead = {"skating.duckdb": _ahead(database)}
    assert not os.access(database, os.W_OK) or os.geteuid() == 0  # read-only from then on
    database.chmod(0o644)  # a writer that gets past that (root, say) changes its change time
    database.write_bytes(b"changed!")  # the same size
    seal(tmp_path, ahead)
    assert _sealed(tmp_path)["skating.duckdb"][4] == hashlib.sha256(b"changed!").hexdigest()
    assert broken_seal(tmp_path) is None


def test_a_published_build_has_its_database_hashed_ahead(
    raw_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline import stages
    from pipeline.build import run

    early: list[str] = []

    def spied(path: Path) -> Hashed:
        early.append(path.name)
        return hash_ahead(path)

    monkeypatch.setattr(stages, "hash_ahead", spied)
    run(raw_copy, tmp_path / "wh")
    build = (tmp_path / "wh" / "current").resolve()
    assert early == ["skating.duckdb"]
    assert broken_seal(build) is None
