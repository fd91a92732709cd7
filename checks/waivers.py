"""Applying raw/waivers.toml: accepted failures are kept and marked; unused waivers fail."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import duckdb

from checks.framework.check import Check, Failure

UNUSED_WAIVER = Check(
    id="waivers.unused",
    severity="error",
    description="Every waiver in raw/waivers.toml matches a failure (waivers cannot rot).",
    message="the waiver of {check_id} at {file}:{line} matches no failure",
    expected="a {check_id} failure at {file}:{line}",
    found="none",
)


def apply_waivers(
    con: duckdb.DuckDBPyConnection,
    failures: list[Failure],
    not_run: frozenset[str] = frozenset(),
    checked: Callable[[str], bool] = lambda path: True,
) -> list[Failure]:
    """Mark waived failures with their reason; add a failure for each waiver matching none,
    except waivers that had no chance to match: of a check in `not_run`, or of a file whose
    failures were not `checked`."""
    waivers = con.sql("SELECT * FROM waivers").pl()
    by_place = {
        (row["check_id"], row["file"], row["line"]): row["reason"]
        for row in waivers.iter_rows(named=True)
    }
    used: set[tuple[str, str, int]] = set()
    marked = []
    for failure in failures:
        place = (failure.check_id, failure.path, failure.line)
        reason = by_place.get(place)
        if reason is not None:
            used.add(place)
            failure = replace(failure, waiver=reason)
        marked.append(failure)
    for row in waivers.iter_rows(named=True):
        if row["check_id"] in not_run or not checked(row["file"]):
            continue
        if (row["check_id"], row["file"], row["line"]) not in used:
            marked.append(UNUSED_WAIVER.failure(row))
    return marked
