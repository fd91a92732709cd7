"""Failures saved with a build, so that an incremental build carries the unchanged events' and
the shared tables' (which it does not judge again)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

from checks.framework.check import Failure
from checks.outcome import CheckRun
from checks.selection import event_folder

FAILURES_FILE = "failures.json"


class Carried(NamedTuple):
    """What an incremental build takes from the sealed build instead of judging it again."""

    events: list[Failure]  # the unchanged events' failures, before waivers
    shared: list[Failure]  # those of the rules' shared-table parts (Rule.shared), the same


def save_failures(run: CheckRun, folder: Path) -> None:
    """Keep a build's failures in events (before waivers) for the next incremental run, which
    judges only the events that changed (the global rules' too: a duplicate key in an
    unchanged event is still reported, and its waiver still used), and the failures of the
    shared tables' own judgement, which it does not run again."""
    document = {
        "events": _unwaived(f for f in run.failures if event_folder(f.path)),
        "shared": _unwaived(run.shared),
    }
    (folder / FAILURES_FILE).write_text(json.dumps(document, ensure_ascii=False), "utf-8")


def _unwaived(failures: Iterable[Failure]) -> list[dict[str, object]]:
    """The failures as saved: before waivers, which the next run applies afresh."""
    return [{**failure.as_dict(), "waiver": None} for failure in failures]


def carried_failures(folder: Path, unchanged: set[str]) -> Carried | None:
    """The saved failures of the events in `unchanged` and of the shared tables; None if none
    were saved, or saved as an earlier version did (the build then judges everything)."""
    try:
        saved = json.loads((folder / FAILURES_FILE).read_text(encoding="utf-8"))
        events, shared = _before_waivers(saved["events"]), _before_waivers(saved["shared"])
    except (OSError, ValueError, TypeError, KeyError):
        return None
    return Carried([f for f in events if event_folder(f.path) in unchanged], shared)


def _before_waivers(entries: Iterable[dict[str, Any]]) -> list[Failure]:
    """Saved failures with no waiver, whatever the file says: the run applies its waivers
    afresh (made so here, in one pass: `dataclasses.replace` on 8,000 carried failures took
    a tenth of a second of a one-page build)."""
    return [Failure(**{**entry, "waiver": None}) for entry in entries]
