"""What `pipeline add` proposes from the references (raw/reference/): where a reference event
that is the page's names a medalist in a spelling no registered name or alias has, the alias
line to review (Olympedia's `Hyeon-Su An` for the page's Ahn Hyun-soo), never written by itself:
the same skater under two spellings is a person's call."""

from __future__ import annotations

from pipeline.add.source import SourcePage
from pipeline.resolve.reference import References, reference_id
from pipeline.resolve.registry import Registry


def alias_proposals(source: SourcePage, registry: Registry, references: References) -> list[str]:
    """Review notes for the page's event: each reference medalist the registry cannot name,
    beside the page's medalist of that place (`review:` lines, file:line of the reference)."""
    event = source.event
    if event.competition_kind != "olympics" or event.games_year is None or event.is_relay:
        return []
    key = reference_id(event.games_year, event.gender, event.distance_m, event.is_relay)
    notes = []
    for podium in references.podiums:
        # Resolved now: the names this add registers count too.
        if podium.reference_id != key or registry.lookup(podium.name) is not None:
            continue
        field = source.fields.get(podium.medal)
        page_name = field.value if field is not None else None
        athlete = registry.lookup(page_name) if page_name else None
        page_side = (
            f"the page's {podium.medal} medalist is {page_name} ({athlete}): if one skater, "
            f"declare `{podium.name},{athlete},<reason>` in registry/aliases.csv"
            if athlete is not None
            else f"the page names no registered {podium.medal} medalist to compare"
        )
        notes.append(
            f"{podium.source_file}:{podium.source_line}: the reference spells the "
            f"{podium.medal} medalist {podium.name}, a name no athlete or alias has; {page_side}"
        )
    return notes
