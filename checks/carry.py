"""Failures saved with a build, so that an incremental build carries the unchanged events'."""

from __future__ import annotations

import json
from pathlib import Path

from checks.framework.check import Failure
from checks.outcome import CheckRun
from checks.selection import event_folder

FAILURES_FILE = "failures.json"


def save_failures(run: CheckRun, folder: Path) -> None:
    """Keep a build's failures in events (before waivers) for the next incremental run, which
    judges only the events that changed (the global rules' too: a duplicate key in an
    unchanged event is still reported, and its waiver still used)."""
    kept = [{**f.as_dict(), "waiver": None} for f in run.failures if event_folder(f.path)]
    (folder / FAILURES_FILE).write_text(json.dumps(kept, ensure_ascii=False), encoding="utf-8")


def carried_failures(folder: Path, unchanged: set[str]) -> list[Failure] | None:
    """The saved per-event failures of the events in `unchanged`; None if none were saved."""
    try:
        saved = json.loads((folder / FAILURES_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    failures = [Failure(**entry) for entry in saved]
    return [f for f in failures if event_folder(f.path) in unchanged]
