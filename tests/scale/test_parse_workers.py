"""Batches parsed in worker processes: in order, each worker handed its context once, and only a
few batches handed out ahead of those consumed (a pool handed every batch at once could hang
as the build stopped early: its feeding thread blocked on a full pipe no worker read)."""

from __future__ import annotations

import errno
import os
import pickle
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

import pytest

from benchmarks.generate import generate
from core.errors import InputError
from pipeline import ingest, parse_workers
from pipeline.parse_workers import AHEAD_PER_WORKER, parsed_in_workers
from pipeline.resolve.registry import Registry
from tests.conftest import CliResult


def named(context: str, folders: list[Path]) -> tuple[str, list[str], int]:
    return context, [folder.name for folder in folders], os.getpid()


def test_batches_come_back_in_order_from_the_workers() -> None:
    batches = [[Path(f"raw/events/e{i}-{j}") for j in range(3)] for i in range(12)]
    results = list(parsed_in_workers(named, "ctx", batches, 2))
    assert [(context, names) for context, names, _ in results] == [
        ("ctx", [folder.name for folder in batch]) for batch in batches
    ]
    assert os.getpid() not in {pid for _, _, pid in results}


def locked(context: threading.Lock, folders: list[Path]) -> list[str]:
    with context:
        return [folder.name for folder in folders]


def test_the_context_is_inherited_not_sent_with_each_batch() -> None:
    # A lock cannot be pickled: handed with each batch (the registry, a few hundred kB, once
    # was), a batch could outgrow the pool's pipe and hang a build stopped early.
    batches = [[Path(f"e{i}")] for i in range(6)]
    parsed = list(parsed_in_workers(locked, threading.Lock(), batches, 2))
    assert parsed == [[f"e{i}"] for i in range(6)]


def test_only_a_few_batches_are_handed_out_ahead_of_those_consumed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    handed: list[int] = []
    consumed = 0
    real = ProcessPoolExecutor.submit

    def counted(pool: ProcessPoolExecutor, *args: Any, **kwargs: Any) -> Any:
        handed.append(consumed)
        return real(pool, *args, **kwargs)

    monkeypatch.setattr(ProcessPoolExecutor, "submit", counted)
    batches = [[Path(f"e{i}")] for i in range(40)]
    parsed = parsed_in_workers(named, "ctx", batches, 2)
    for _ in range(3):
        next(parsed)
        consumed += 1
    parsed.close()  # the build stops early: the batches under way finish, no more start
    assert len(handed) == 3 + AHEAD_PER_WORKER * 2
    # Each batch handed out while `consumed` were consumed stays within the window.
    assert all(index < at + AHEAD_PER_WORKER * 2 + 1 for index, at in enumerate(handed))
    assert parse_workers._handed == []  # the context went to the workers, not set here


def killed_at(context: str, folders: list[Path]) -> list[str]:
    """Parse a batch, unless it holds the folder `context` names: then the system kills the
    worker parsing it (SIGKILL, as the kernel's out-of-memory killer does)."""
    if any(folder.name == context for folder in folders):
        os.kill(os.getpid(), signal.SIGKILL)
    return [folder.name for folder in folders]


def crashed_at(context: str, folders: list[Path]) -> list[str]:
    """A worker that dies of itself (a crash): a bug, not the machine's want of memory."""
    if any(folder.name == context for folder in folders):
        os._exit(70)
    return [folder.name for folder in folders]


KILLED = (
    "expected the parsing workers to finish, found one killed by the system (process {pid}, "
    "signal 9, as the kernel's out-of-memory killer sends it); nothing was published: free "
    "memory and run again"
)


def test_a_worker_killed_by_the_system_is_an_input_error() -> None:
    batches = [[Path(f"raw/events/e{i}")] for i in range(8)]
    parsed = parsed_in_workers(killed_at, "e5", batches, 2)
    with pytest.raises(InputError) as refused:
        for _ in range(8):
            next(parsed)
    pid = refused.value.message.split("(process ")[1].split(",")[0]
    assert (refused.value.path, refused.value.message) == ("raw/events", KILLED.format(pid=pid))


def test_a_worker_that_crashes_stays_a_bug() -> None:
    batches = [[Path(f"e{i}")] for i in range(8)]
    with pytest.raises(BrokenProcessPool):
        list(parsed_in_workers(crashed_at, "e2", batches, 2))


def test_a_run_whose_worker_is_killed_exits_2_and_publishes_nothing(
    cli: Callable[..., CliResult], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    generate(6, tmp_path / "raw")
    monkeypatch.setattr(ingest, "CHUNK_EVENTS", 2)
    monkeypatch.setattr(ingest, "PARALLEL_FROM", 2)  # workers for six events, three batches
    third = sorted((tmp_path / "raw" / "events").iterdir())[4]
    real = ingest.parse_chunk

    def parse(registry: Registry, folders: list[Path]) -> Any:
        killed_at(third.name, folders)
        return real(registry, folders)

    monkeypatch.setattr(ingest, "parse_chunk", parse)  # the workers are forked: they inherit it
    result = cli("run", "--raw", str(tmp_path / "raw"), "--warehouse", str(tmp_path / "wh"))
    assert (result.code, result.out) == (2, "")
    pid = result.err.split("(process ")[1].split(",")[0]
    events = (tmp_path / "raw" / "events").as_posix()
    assert result.err == f"error: {events}: {KILLED.format(pid=pid)}\n"
    assert not (tmp_path / "wh").exists()


def megabytes(context: int, folders: list[Path]) -> bytes:
    return b"x" * context * 1_000_000


def test_a_result_crosses_the_pipe_as_a_file_name_whatever_its_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The pool's result thread, given half a message by a worker killed as it wrote, waited for
    # the rest for ever: what crosses the pipe is now shorter than one atomic write of it.
    monkeypatch.setattr(parse_workers, "_handed", [megabytes, 10, str(tmp_path)])
    sent = parse_workers._parse_batch([Path("e0")])
    assert len(pickle.dumps(sent, protocol=pickle.HIGHEST_PROTOCOL)) < select.PIPE_BUF
    assert Path(sent).parent == tmp_path and Path(sent).stat().st_size > 10_000_000
    assert parse_workers._taken(sent) == b"x" * 10_000_000
    assert list(tmp_path.iterdir()) == []


KILLED_WRITING = """
import os, signal, sys
from pathlib import Path
from core.errors import InputError
from pipeline.parse_workers import parsed_in_workers

class KilledWhenWritten:
    def __reduce__(self):
        os.kill(os.getpid(), signal.SIGKILL)

def parse(context, folders):
    if folders[0].name == context:  # killed once 40 MB of its result are written
        return [b"x" * 40_000_000, KilledWhenWritten()]
    return folders[0].name

try:
    list(parsed_in_workers(parse, "e3", [[Path(f"raw/events/e{i}")] for i in range(6)], 2))
except InputError as error:
    print(error.path, error.message.split(" (")[0])
"""


def test_a_worker_killed_as_it_writes_its_result_ends_the_run(tmp_path: Path) -> None:
    spill = tmp_path / "tmp"
    spill.mkdir()
    command = [sys.executable, "-c", KILLED_WRITING]
    environment = {**os.environ, "TMPDIR": str(spill)}
    ended = subprocess.run(
        command, capture_output=True, text=True, timeout=120, env=environment, check=True
    )
    assert ended.stdout == (
        "raw/events expected the parsing workers to finish, found one killed by the system\n"
    )
    assert list(spill.iterdir()) == []  # the partial result went with the run's folder


def slow_after_the_first(context: str, folders: list[Path]) -> str:
    if folders[0].name != context:
        time.sleep(60)
    return folders[0].name


def test_a_parse_stopped_early_ends_its_workers_without_waiting_for_them(tmp_path: Path) -> None:
    batches = [[Path(f"e{i}")] for i in range(6)]
    parsed = parsed_in_workers(slow_after_the_first, "e0", batches, 2, tmp_path)
    assert next(parsed) == "e0"
    assert [entry.name[:7] for entry in tmp_path.iterdir()] == [".parse-"]
    started = time.monotonic()
    parsed.close()  # a page refused: the batches under way are not awaited (a minute each)
    assert time.monotonic() - started < 20
    assert list(tmp_path.iterdir()) == []


class Locked(Exception):
    """An exception pickle cannot carry back (it holds a lock)."""

    def __init__(self) -> None:
        super().__init__("the parse held a lock")
        self.lock = threading.Lock()


def locked_out(context: str, folders: list[Path]) -> str:
    raise Locked


def test_an_exception_pickle_cannot_carry_comes_back_in_words() -> None:
    with pytest.raises(RuntimeError) as raised:
        list(parsed_in_workers(locked_out, "", [[Path("e0")], [Path("e1")]], 2))
    assert str(raised.value) == "tests.scale.test_parse_workers.Locked: the parse held a lock"
    assert "in locked_out" in str(raised.value.__cause__)


def test_a_result_that_cannot_be_written_names_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(**_: object) -> tuple[int, str]:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(tempfile, "mkstemp", full)  # the workers are forked: they inherit it
    with pytest.raises(InputError) as refused:
        list(parsed_in_workers(named, "ctx", [[Path("e0")], [Path("e1")]], 2, tmp_path))
    assert Path(refused.value.path).parent == tmp_path
    assert refused.value.message == (
        "expected to write a parsing worker's result, found: No space left on device"
    )
