"""A build's whole check run, saved beside it, so that a rerun with nothing to do reports it
again without running (or importing) a single check."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from checks.framework.check import Check, Failure
from checks.outcome import CheckRun, Coverage

REPORT_FILE = "report.json"


def save_report(run: CheckRun, folder: Path) -> None:
    """Keep a build's check run (the checks as declared, the failures with their waivers)."""
    document = {
        "checks": [asdict(check) for check in run.checks],
        "failures": [failure.as_dict() for failure in run.failures],
        "coverage": None if run.coverage is None else asdict(run.coverage),
    }
    (folder / REPORT_FILE).write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")


def _check(entry: dict[str, object]) -> Check:
    """A check as saved (JSON keeps its `related` tuple as a list)."""
    related = entry.get("related")
    if isinstance(related, list):
        entry = {**entry, "related": tuple(related)}
    return Check(**entry)  # type: ignore[arg-type]


def saved_report(folder: Path) -> CheckRun | None:
    """The check run saved with a build; None if it has none or an unreadable one."""
    try:
        document = json.loads((folder / REPORT_FILE).read_text(encoding="utf-8"))
        checks = tuple(_check(entry) for entry in document["checks"])
        failures = tuple(Failure(**entry) for entry in document["failures"])
        saved = document.get("coverage")
        coverage = None if saved is None else Coverage(**saved)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return CheckRun(checks, failures, coverage=coverage)
