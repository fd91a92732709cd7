"""What `pipeline add` proposes from the references (raw/reference/): where a reference event
that is the page's names a medalist in a spelling no registered name or alias has, the alias
line to review (Olympedia's `Hyeon-Su An` for the page's Ahn Hyun-soo), never written by itself:
the same skater under two spellings is a person's call."""

from __future__ import annotations

import csv
import io
from typing import NamedTuple

from core.codes import ALIAS_REASON_PLACEHOLDER
from pipeline.add.source import SourcePage
from pipeline.resolve.reference import (
    References,
    athletes_named_by,
    event_id_for,
    name_orders,
)
from pipeline.resolve.registry import Registry


class _Medalist(NamedTuple):
    reference_id: str
    medal: str
    name: str  # as the reference prints it
    spellings: list[str]  # the forms of it a page may print (a medals file's name orders)
    where: str  # file:line of the reference row


def _medalists(references: References) -> list[_Medalist]:
    """Each individual medalist of the references: the tallies' podiums and the medals rows."""
    found = [
        _Medalist(p.reference_id, p.medal, p.name, [p.name], f"{p.source_file}:{p.source_line}")
        for p in references.podiums
    ]
    found += [
        _Medalist(
            m.reference_id,
            m.medal,
            m.athlete,
            name_orders(m.athlete),
            f"{m.source_file}:{m.source_line}",
        )
        for m in references.medals
        if not m.is_relay
    ]
    return found


def _csv_cell(text: str) -> str:
    """A name as a cell of aliases.csv (quoted where it holds a comma or a quote)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow([text])
    return buffer.getvalue()


def alias_proposals(source: SourcePage, registry: Registry, references: References) -> list[str]:
    """Review notes for the page's event: each reference medalist the registry cannot name,
    beside the page's medalist of that place (`review:` lines, file:line of the reference)."""
    event = source.event
    if event.competition_kind != "olympics" or event.games_year is None or event.is_relay:
        return []
    key = event_id_for(event.games_year, event.gender, event.distance_m, event.is_relay)
    notes = []
    for medalist in _medalists(references):
        if medalist.reference_id != key:
            continue
        # Resolved now: the athletes this add registers count too.
        named = athletes_named_by(registry, medalist.spellings)
        if len(named) == 1:
            continue
        said = f"{medalist.where}: the reference's {medalist.medal} medalist {medalist.name}"
        if named:
            notes.append(
                f"{said} names several athletes ({', '.join(sorted(named))}): give each a "
                "name or alias of their own in registry/aliases.csv"
            )
            continue
        field = source.fields.get(medalist.medal)
        athlete = registry.lookup(field.value) if field is not None else None
        if field is None or athlete is None:
            notes.append(f"{said} is no athlete or alias, and the page names none to compare")
            continue
        notes.append(
            f"{said} is no athlete or alias; the page's is {field.value} ({athlete}): if one "
            f"skater, declare `{_csv_cell(medalist.name)},{athlete},{ALIAS_REASON_PLACEHOLDER}` in "
            "registry/aliases.csv"
        )
    return notes
