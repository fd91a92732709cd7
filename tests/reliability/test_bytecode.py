"""What the code digest hashes is what runs: a source edited keeping its size and mtime (`cp -p`,
`rsync -t`, tar) no longer runs from its old timestamp .pyc, and a run that already executed
such a .pyc is refused rather than recorded under the new source's digest."""

from __future__ import annotations

import compileall
import importlib
import os
import py_compile
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import pipeline.bytecode
from core.errors import InputErrors
from pipeline.manifest import code_digest, code_roots
from tests.conftest import RAW

PROBE = "stale_probe"  # a package of the test's own, so that importing it touches nothing else


def same_size_edit(path: Path, old: str, new: str) -> None:
    """Replace `old` by `new` (as long) and put the file's mtime back, as `cp -p` would."""
    assert len(old.encode()) == len(new.encode())
    kept = path.stat()
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    os.utime(path, ns=(kept.st_atime_ns, kept.st_mtime_ns))
    assert path.stat().st_size == kept.st_size


def timestamp_pycs(folder: Path) -> None:
    """Compile every module as `import` does by default: .pycs checked by mtime and size (as a
    fresh install or another tool leaves them, whatever an earlier run made of them)."""
    mode = py_compile.PycInvalidationMode.TIMESTAMP
    assert compileall.compile_dir(folder, quiet=1, force=True, invalidation_mode=mode)


def pyc_flags(source: Path) -> int:
    pyc = Path(importlib.util.cache_from_source(str(source)))
    return int.from_bytes(pyc.read_bytes()[4:8], "little")


def python(*args: str, cwd: Path, path: Path) -> subprocess.CompletedProcess[str]:
    """A fresh interpreter importing from `path` first (cwd is not the repository)."""
    env = {**os.environ, "PYTHONPATH": str(path)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as on a developer's machine
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def probe(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A package `stale_probe` whose rule.py has a timestamp .pyc, importable in this process."""
    package = tmp_path / "src" / PROBE
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "rule.py").write_text('# the rule\nVERDICT = "passed"\n')
    timestamp_pycs(package)
    monkeypatch.syspath_prepend(str(tmp_path / "src"))
    for name in (PROBE, f"{PROBE}.rule"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    importlib.invalidate_caches()
    return package


def verdict_in_a_fresh_process(probe: Path) -> str:
    found = python(
        "-c", f"import {PROBE}.rule as r; print(r.VERDICT)", cwd=probe, path=probe.parent
    )
    assert found.returncode == 0, found.stderr
    return found.stdout.strip()


def test_a_same_size_edit_with_its_time_kept_runs_once_digested(
    probe: Path, tmp_path: Path
) -> None:
    rule = probe / "rule.py"
    unedited = tmp_path / "unedited" / PROBE
    shutil.copytree(probe, unedited, ignore=shutil.ignore_patterns("__pycache__"))
    before = code_digest([unedited], versions={})
    same_size_edit(rule, '"passed"', '"failed"')
    assert verdict_in_a_fresh_process(probe) == "passed"  # the stale .pyc, as Python runs it
    assert code_digest([probe], versions={}) != before
    assert verdict_in_a_fresh_process(probe) == "failed"  # what was digested is what runs
    assert pyc_flags(rule) == 0b11  # checked-hash: every import compares it with the source


def test_a_module_already_run_from_a_stale_pyc_refuses_the_run(probe: Path) -> None:
    rule = probe / "rule.py"
    same_size_edit(rule, '"passed"', '"failed"')
    assert importlib.import_module(f"{PROBE}.rule").VERDICT == "passed"  # this process ran it
    with pytest.raises(InputErrors) as refused:
        code_digest([probe], versions={})
    assert str(refused.value) == (
        f"{rule.as_posix()}: expected __pycache__/rule.cpython-311.pyc compiled from this "
        "source, found an older compilation, which this run has executed (the file was edited "
        "keeping its size and time); it is recompiled now: run again"
    )
    assert verdict_in_a_fresh_process(probe) == "failed"
    code_digest([probe], versions={})  # the next run is not refused


def test_a_comment_edited_keeping_size_and_time_changes_no_code_run(probe: Path) -> None:
    rule = probe / "rule.py"
    same_size_edit(rule, "# the rule", "# THE RULE")
    importlib.import_module(f"{PROBE}.rule")
    code_digest([probe], versions={})  # the code that ran is the source's: not refused
    assert pyc_flags(rule) == 0b11


def test_a_stale_pyc_that_cannot_be_rewritten_is_refused(
    probe: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def read_only(pyc: Path, code: object, source: bytes) -> None:
        raise PermissionError(13, "Permission denied", str(pyc))

    monkeypatch.setattr(pipeline.bytecode, "_write_checked_hash", read_only)
    code_digest([probe], versions={})  # a correct .pyc: nothing to refuse
    rule = probe / "rule.py"
    same_size_edit(rule, '"passed"', '"failed"')
    with pytest.raises(InputErrors) as refused:
        code_digest([probe], versions={})
    assert str(refused.value) == (
        f"{rule.as_posix()}: expected __pycache__/rule.cpython-311.pyc compiled from this "
        "source, found an older compilation that cannot be rewritten (Permission denied); "
        "recompile with `python -m compileall --invalidation-mode checked-hash`"
    )


@pytest.fixture
def packages(tmp_path: Path) -> Path:
    """A copy of core/, pipeline/ and checks/ with the timestamp .pycs an ordinary import writes."""
    source = tmp_path / "src"
    for root in code_roots():
        shutil.copytree(root, source / root.name, ignore=shutil.ignore_patterns("__pycache__"))
    timestamp_pycs(source)
    return source


def pipeline_run(
    packages: Path, *extra: str, command: str = "run"
) -> subprocess.CompletedProcess[str]:
    warehouse = packages.parent / "wh"
    main = "import sys; from pipeline.cli import main; sys.exit(main(sys.argv[1:]))"
    raw = ("--raw", str(RAW)) if command == "run" else ()
    args = (command, *raw, "--warehouse", str(warehouse), *extra)
    return python("-c", main, *args, cwd=packages.parent, path=packages)


@pytest.mark.parametrize("command, extra", [("run", ()), ("run", ("--full",)), ("check", ())])
def test_a_check_edited_keeping_size_and_time_is_the_check_that_runs(
    packages: Path, command: str, extra: tuple[str, ...]
) -> None:
    """In an incremental run, a full one and `check` (which import every check: the digest
    comes first) the edited check is the one that runs: not the old .pyc, not a refusal."""
    assert pipeline_run(packages).returncode == 0
    timestamp_pycs(packages)
    rule = packages / "checks" / "rules" / "tallies.py"
    agree = (  # every count of the infobox agrees with the results (count_agrees)
        '.cast(pl.Int64) == pl.col("found")\n'
        "    return data.lazyframe.select((pl.col(key) != kind) | agree)"
    )
    same_size_edit(rule, agree, agree.replace(") == pl.col", ") != pl.col"))
    edited = pipeline_run(packages, *extra, command=command)
    assert edited.returncode == 1, edited.stderr
    assert "tallies.competitors: the infobox claims 26 competitors" in edited.stdout


def test_a_run_that_imported_a_stale_module_is_refused_then_the_next_passes(
    packages: Path,
) -> None:
    assert pipeline_run(packages).returncode == 0
    timestamp_pycs(packages)
    errors = packages / "core" / "errors.py"
    same_size_edit(errors, "EXCERPT_CHARS = 100", "EXCERPT_CHARS = 101")
    refused = pipeline_run(packages)
    assert (refused.returncode, refused.stdout) == (2, "")
    assert refused.stderr == (
        f"error: {errors.as_posix()}: expected __pycache__/errors.cpython-311.pyc compiled from "
        "this source, found an older compilation, which this run has executed (the file was "
        "edited keeping its size and time); it is recompiled now: run again\n"
    )
    assert pipeline_run(packages).returncode == 0
