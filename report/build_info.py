"""Which build a report describes: its id, when it was built, from which raw folder, and whether
it is the published one. The pipeline reads these from the build folder (its mark and manifest)
and hands them to the report, which reads no build file itself."""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class BuildInfo:
    build_id: str | None  # the build folder's name, e.g. 20261207T031023-612111566-953
    built_at: datetime.datetime | None  # UTC, from the id's stamp
    raw: str | None  # the raw folder, as the run was given it
    state: str  # published (or changed since), rejected: not published, or not published
    warehouse: str | None = None  # the --warehouse that reaches the build again

    @property
    def built_at_text(self) -> str | None:
        return None if self.built_at is None else self.built_at.strftime("%Y-%m-%d %H:%M:%S UTC")


UNKNOWN_BUILD = BuildInfo(None, None, None, "unknown")
