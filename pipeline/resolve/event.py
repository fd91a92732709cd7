"""One event's printed entrants and record NOCs resolved against the registry, every problem
collected."""

from __future__ import annotations

from functools import partial
from typing import NamedTuple

from core.errors import SourceError
from core.rows import PriorRecordRow
from pipeline.read.event_page import PrintedEvent
from pipeline.read.printed import PrintedEntrant
from pipeline.read.problems import Problems
from pipeline.resolve.entrant import Entrant, EntrantResolver
from pipeline.resolve.registry import Registry


class ResolvedEvent(NamedTuple):
    """Who each printed entrant is, and the records standing before the event with their NOCs."""

    entrants: dict[PrintedEntrant, Entrant]
    prior_records: list[PriorRecordRow]


def resolve_prior_record(registry: Registry, row: PriorRecordRow) -> PriorRecordRow:
    """A prior record's NOC: the bracketed code, or the nation its holder cell names."""
    noc = row.noc or registry.noc_of(row.athlete_name)
    if noc is not None and not registry.has_noc(noc):
        raise SourceError(row.source_file, row.source_line, "a NOC listed in nocs.csv", noc)
    return row._replace(noc=noc)


def resolve_event(printed: PrintedEvent, registry: Registry, problems: Problems) -> ResolvedEvent:
    """Resolve every printed entrant of the event (each failure kept in `problems`)."""
    event = printed.event
    resolver = EntrantResolver(event.event_id, event.start_date, registry)
    entrants: dict[PrintedEntrant, Entrant] = {}
    for entrant in printed.entrants():
        found = problems.attempt(partial(resolver.resolve, entrant))
        if found is not None:
            entrants[entrant] = found
    prior = []
    for row in printed.prior_records:
        resolved = problems.attempt(partial(resolve_prior_record, registry, row))
        if resolved is not None:
            prior.append(resolved)
    return ResolvedEvent(entrants, prior)
