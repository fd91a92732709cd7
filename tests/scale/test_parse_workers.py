"""Batches parsed in worker processes: in order, each worker handed its context once, and only a
few batches handed out ahead of those consumed (a pool handed every batch at once could hang
as the build stopped early: its feeding thread blocked on a full pipe no worker read)."""

from __future__ import annotations

import os
import threading
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from pipeline import parse_workers
from pipeline.parse_workers import AHEAD_PER_WORKER, parsed_in_workers


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
