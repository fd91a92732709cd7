"""Batches of event folders parsed in worker processes, the results in batch order.

Each worker is handed the parse and what it needs (the registry) once, as it starts; a batch is
then only its folders (a few kB). No more than AHEAD_PER_WORKER batches a worker are handed out
at a time, and a build that stops early (a page refused, an interrupt) ends its workers rather
than wait for the batches under way. multiprocessing.Pool, handed every batch at once and
terminated, hung about one run in a dozen at 10,000 events with a duplicated event in the
first batch: its feeding thread blocked on a full pipe no worker read any more, or its result
thread reading half a result whose worker was killed mid-write.

A batch's result (megabytes of Arrow tables) comes back in a file the worker writes into a
folder of the run's own: what crosses the pool's pipe is the file's name, a message far
shorter than a pipe writes at once (PIPE_BUF). A worker killed as it writes its result (when
its memory peaks, and with it the kernel's out-of-memory killer's interest) leaves a partial
file, never half a message: the pool's result thread, once given half of one, waited for the
rest for ever (a review saw 2 runs in 12 hang, a worker killed at a random moment).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import signal
import tempfile
import traceback
from collections import deque
from collections.abc import Callable, Generator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar

from core.errors import InputError

Result = TypeVar("Result")
AHEAD_PER_WORKER = 2

# What a worker process parses with: set once, as it starts (it is forked: nothing is pickled),
# and the folder it writes its results into.
_handed: list[Any] = []


class WorkerTraceback(Exception):
    """Where in its worker an exception of a batch's parse was raised (its cause)."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text

    def __str__(self) -> str:
        return f"\n{self.text}"


def _start_worker(parse: Callable[[Any, list[Path]], Any], context: object, spill: str) -> None:
    """A parsing worker makes hundreds of thousands of short-lived row tuples and no reference
    cycles worth collecting: the inherited objects are frozen out of the cyclic collector and
    it runs 50x less often (measured: 16% of the parse's wall time at 10,000 events)."""
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)
    _handed[:] = [parse, context, spill]


def _parse_batch(folders: list[Path]) -> str:
    """Parse a batch in a worker; its outcome (the result, or the exception raised with its
    traceback) is written to a file of the spill folder, whose path is returned."""
    parse, context, spill = _handed
    try:
        outcome: tuple[bool, object] = (True, parse(context, folders))
    except Exception as error:  # raised again where the batch is taken
        outcome = (False, _portable(error, traceback.format_exc()))
    try:
        handle, path = tempfile.mkstemp(suffix=".pickle", dir=spill)
        with os.fdopen(handle, "wb") as file:
            pickle.dump(outcome, file, protocol=pickle.HIGHEST_PROTOCOL)
    except OSError as error:  # a full disk, said of the folder it is on
        found = error.strerror or str(error)
        raise InputError(
            spill, f"expected to write a parsing worker's result, found: {found}"
        ) from None
    return path


def _portable(error: Exception, trace: str) -> tuple[Exception, str]:
    """The exception and its traceback, or, for one that would not come back through pickle
    as it is, a RuntimeError carrying its traceback (its words are not lost)."""
    try:
        pickle.loads(pickle.dumps(error, protocol=pickle.HIGHEST_PROTOCOL))
    except Exception:
        return RuntimeError(trace.rstrip().rsplit("\n", 1)[-1]), trace
    return error, trace


def _taken(path: str) -> Any:
    """A batch's outcome from the file its worker wrote (then removed): its result, or the
    exception its parse raised."""
    try:
        with open(path, "rb") as file:
            succeeded, value = pickle.load(file)
    finally:
        os.unlink(path)
    if succeeded:
        return value
    error, trace = value
    raise error from WorkerTraceback(trace)


def parsed_in_workers(
    parse: Callable[[Any, list[Path]], Result],
    context: object,
    batches: Sequence[list[Path]],
    workers: int,
    spill_in: Path | None = None,
) -> Generator[Result, None, None]:
    """`parse(context, batch)` of each batch, in order, by `workers` forked processes (fork:
    they inherit the imported modules instead of importing them again), each result back in
    a file of a temporary folder made in `spill_in` (the build's own folder, which a killed
    run's next run clears; the system's temporary folder if None), removed at the end with
    whatever a stopped build left in it. Stopped early, it ends its workers (a worker ended
    as it writes leaves a partial file, never half a message in the pool's pipe). A worker
    killed by the system is an input error (exit 2, as a full disk); one that dies
    otherwise, BrokenProcessPool (a bug)."""
    with tempfile.TemporaryDirectory(prefix=".parse-", dir=spill_in) as spill:
        yield from _through_pool(parse, context, batches, workers, spill)


def _through_pool(
    parse: Callable[[Any, list[Path]], Result],
    context: object,
    batches: Sequence[list[Path]],
    workers: int,
    spill: str,
) -> Generator[Result, None, None]:
    """parsed_in_workers, its workers writing their results into `spill`."""
    pool = ProcessPoolExecutor(
        workers, multiprocessing.get_context("fork"), _start_worker, (parse, context, spill)
    )
    upcoming = iter(batches)
    waiting: deque[Future[str]] = deque()
    finished = False
    try:
        for batch in islice(upcoming, AHEAD_PER_WORKER * workers):
            waiting.append(pool.submit(_parse_batch, batch))
        while waiting:
            result: Result = _taken(waiting.popleft().result())
            following = next(upcoming, None)
            if following is not None:
                waiting.append(pool.submit(_parse_batch, following))
            yield result
        finished = True
    except BrokenProcessPool as broken:
        killed = _killed_worker(pool)
        if killed is None:  # it crashed, or its start failed: a bug
            raise
        raise _out_of_memory(batches, killed) from broken
    finally:
        if not finished:  # stopped early (a page refused, an interrupt): no batch is awaited
            for process in list((pool._processes or {}).values()):
                process.terminate()
        pool.shutdown(wait=True, cancel_futures=True)


def _killed_worker(pool: ProcessPoolExecutor) -> int | None:
    """The process id of a worker the system killed (SIGKILL: what the kernel's out-of-memory
    killer sends), if one was; the pool ends its other workers itself (SIGTERM). Its processes
    are read once it has reaped them all (its shutdown forgets them; before, a process being
    reaped by its manager thread can show no exit code yet)."""
    processes = dict(pool._processes or {})
    pool.shutdown(wait=True, cancel_futures=True)
    return next(
        (pid for pid, process in processes.items() if process.exitcode == -signal.SIGKILL), None
    )


def _out_of_memory(batches: Sequence[list[Path]], pid: int) -> InputError:
    """A worker killed by the system is not a bug of the pipeline's, nor a mistake of raw/'s:
    the machine ran out of something, as a full disk is out of space (exit 2, said alike). It
    names the folder of the events being parsed (which worker parsed which batch is the
    pool's to know)."""
    where = next((batch[0].parent.as_posix() for batch in batches if batch), "pipeline run")
    return InputError(
        where,
        "expected the parsing workers to finish, found one killed by the system (process "
        f"{pid}, signal 9, as the kernel's out-of-memory killer sends it); nothing was "
        "published: free memory and run again",
    )
