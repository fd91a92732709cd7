"""Which build a report judged, told from its folder: the name its mark records, the UTC time
in that name, the raw folder its manifest records, where it stands (published, changed since,
rejected) and the --warehouse that reaches it again."""

from __future__ import annotations

import datetime
from pathlib import Path

from pipeline.buildmark import BUILD_NAME, is_moved_build, marked_name
from pipeline.manifest import Manifest
from pipeline.seal import broken_seal
from report.build_info import BuildInfo


def _built_at(name: str | None) -> datetime.datetime | None:
    if name is None:
        return None
    try:
        stamp = datetime.datetime.strptime(name[:15], "%Y%m%dT%H%M%S")
    except ValueError:
        return None
    return stamp.replace(tzinfo=datetime.UTC)


def build_info(database: Path) -> BuildInfo:
    """The build `database` (a build's DuckDB file, or a link to one) belongs to."""
    folder = database.resolve().parent
    name = marked_name(folder)
    if name is None and BUILD_NAME.fullmatch(folder.name):
        name = folder.name
    manifest = Manifest.load(folder)
    raw = None if manifest is None else manifest.raw
    warehouse = database.parent
    if is_moved_build(folder):
        state = "rejected: not published"
    elif (folder.parent.parent / "current").resolve() == folder:
        changed = broken_seal(folder)
        state = "published" if changed is None else f"published, changed since ({changed})"
        if warehouse.resolve() == folder:  # given as the build itself: reach it by the warehouse
            warehouse = folder.parent.parent
    else:
        state = "not published"
    return BuildInfo(name, _built_at(name), raw, state, warehouse.as_posix())
