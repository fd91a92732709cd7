"""An athlete cell (`Li Ye`, `Wang Meng (CHN)`) and an optional country cell, resolved."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from core.errors import SourceError
from pipeline.read.printed import split_noc_suffix
from pipeline.resolve.registry import Registry


class Athlete(NamedTuple):
    athlete_id: str
    how: str  # exact, folded or alias
    name_as_printed: str
    country_as_printed: str | None


def resolve_athlete(
    path: str, line: int, registry: Registry, cell: str, country: str | None, on: dt.date
) -> Athlete:
    """Resolve the name as of the event's first day `on`; a country, in its own cell or
    bracketed, must be the NOC the athlete skated for then (registry and nationalities.csv)."""
    name = cell
    bracketed = split_noc_suffix(cell)
    if bracketed:
        name, noc_in_name = bracketed
        if country is not None and registry.noc_of(country) != noc_in_name:
            raise SourceError(
                path, line, f"the country cell to agree with the bracketed {noc_in_name}", country
            )
        country = country or noc_in_name
    athlete_id, how = registry.resolve(path, line, name, on)
    if country is not None:
        noc = registry.noc_of(country)
        if noc is None:
            raise SourceError(path, line, registry.nation_expected, country)
        athlete = registry.by_id[athlete_id]
        entry_noc = registry.noc_on(athlete_id, on)
        if noc != entry_noc:
            changes = " or a change in nationalities.csv" if entry_noc == athlete.noc else ""
            raise SourceError(
                path,
                line,
                f"{entry_noc} for {athlete.name} ({athlete.source_file}:{athlete.source_line}"
                f"{changes})",
                country,
            )
    return Athlete(athlete_id, how, name, country)
