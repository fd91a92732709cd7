"""The final classification of an event: standings 1..n derived from its races.

1. Final A places first, then the later finals' places after them (a Final B that was not
   contested awards its one qualifier the first Final B place).
2. Then the entrants eliminated in each earlier round, later rounds first; within a round by
   place in their last race, then by ISU points over all their races, then by best time.
   Entrants still equal share the position (competition ranking: 1, 2, 2, 4).
3. Disqualified (or DNF/DNS) in their last race: unranked, listed after the ranked, unless
   event.toml declares that a disqualification in a final ranks last of that final.
4. A place awarded by the referee is declared in event.toml and overrides the derivation.
5. A yellow card (YC) puts its skater out of the competition: unranked, listed last of all.

That is the Olympic order. Off the Olympics the ISU's order applies (`Ordering.isu`): eliminated
entrants by their last round, place and the time of that race; one without a place ranks last
of its round.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from core.codes import RANKED_STATUSES, REFEREE_FINALS, ROUND_ORDER, ROUND_TITLES, YELLOW_CARD
from core.rows import (
    AdvancementRuleRow,
    ClassificationRow,
    EntrantRow,
    RaceRow,
    ResultRow,
)
from pipeline.read.event_toml import ClassificationSpec

# ISU points for places 1-8 in a race; a dead heat shares the mean of the places it covers.
ISU_POINTS = (34.0, 21.0, 13.0, 8.0, 5.0, 3.0, 2.0, 1.0)
# (finals first, round, place, points, best time): ascending is better; equal keys share.
SortKey = tuple[int, int, int, float, int]


NO_TIME = 2**31  # sorts a skater with no time after every timed one


def _time_key(best_time_ms: int | None) -> int:
    """Best time as a sort key: without any time, after everyone with one."""
    return NO_TIME if best_time_ms is None else best_time_ms


def _place_points(place: int) -> float:
    return ISU_POINTS[place - 1] if 1 <= place <= len(ISU_POINTS) else 0.0


def isu_points(places: list[int]) -> float:
    """Points for each of entrants sharing the places listed (one place unless a dead heat)."""
    if len(places) == 1:
        return _place_points(places[0])
    return sum(_place_points(place) for place in places) / len(places)


@dataclass(slots=True)
class _Path:
    """One entrant's races in the event, in order, with what they earned."""

    entrant: EntrantRow
    results: list[tuple[RaceRow, ResultRow, int | None]] = field(default_factory=list)
    points: float = 0.0
    best_time_ms: int | None = None  # the fastest of its times, None without any

    @property
    def last(self) -> tuple[RaceRow, ResultRow, int | None]:
        return self.results[-1]


def _placed(results: list[ResultRow]) -> list[tuple[int | None, list[int]]]:
    """Each result's (place in the race, places its dead heat covers): equal times share the
    better place, as the advancement rules read them."""
    by_time: dict[int, list[int]] = defaultdict(list)
    for result in results:
        if result.status == "finished" and result.rank is not None and result.time_ms is not None:
            by_time[result.time_ms].append(result.rank)
    placed: list[tuple[int | None, list[int]]] = []
    for result in results:
        if result.status not in RANKED_STATUSES or result.rank is None:
            placed.append((None, []))
            continue
        covered = by_time.get(result.time_ms, [result.rank]) if result.time_ms else [result.rank]
        if len(covered) == 1:
            placed.append((covered[0], covered))
        else:
            placed.append((min(covered), sorted(covered)))
    return placed


def _paths(
    entrants: list[EntrantRow], races: list[RaceRow], results: list[ResultRow]
) -> list[_Path]:
    """Every entrant's races in skating order, with ISU points summed over them."""
    order = {race.race_id: (ROUND_ORDER[race.round], race.race_number) for race in races}
    by_race: dict[str, list[ResultRow]] = defaultdict(list)
    for result in results:
        by_race[result.race_id].append(result)
    race_of = {race.race_id: race for race in races}
    paths = {entrant.entrant_id: _Path(entrant) for entrant in entrants}
    placed = {race_id: _placed(race_results) for race_id, race_results in by_race.items()}
    # Points are summed in the order the page prints the races: a float sum depends on its
    # order once a dead heat of three shares a place's points (26/3), and the rows must not
    # change with the code that sums them.
    for race_id, race_results in by_race.items():
        for result, (_, covered) in zip(race_results, placed[race_id], strict=True):
            if covered:
                paths[result.entrant_id].points += isu_points(covered)
    # The races in skating order (a stable sort: equal ones as first printed), so that each
    # entrant's races are appended in that order.
    for race_id in sorted(by_race, key=order.__getitem__):
        race = race_of[race_id]
        for result, (place, _) in zip(by_race[race_id], placed[race_id], strict=True):
            path = paths[result.entrant_id]
            path.results.append((race, result, place))
            time_ms = result.time_ms
            if time_ms is not None and (path.best_time_ms is None or time_ms < path.best_time_ms):
                path.best_time_ms = time_ms
    return [path for path in paths.values() if path.results]


def _note_targets(rules: list[AdvancementRuleRow]) -> dict[tuple[str, str | None], str]:
    """(round, note) -> the label of the race that note sends to, as event.toml's rules declare
    (one rule per round and note: a second is refused when event.toml is read)."""
    return {(rule.round, rule.note): rule.to_label for rule in rules if rule.to_label}


def _awarded_final(
    path: _Path, targets: dict[tuple[str, str | None], str], races: dict[str, RaceRow]
) -> RaceRow | None:
    """The uncontested race an entrant's last note sends it to, if any (the seed's Final B)."""
    race, result, _ = path.last
    target = targets.get((race.round, result.note), REFEREE_FINALS.get(result.note or ""))
    final = races.get(target or "")
    return final if final is not None and not final.contested else None


LAST_OF_ROUND = 999  # a place after every finisher of its round


def _last_of_round(
    race: RaceRow, result: ResultRow, row: ClassificationRow, rules: Ordering
) -> tuple[int | None, ClassificationRow]:
    """Where an entrant without a place in its last race stands: by the ISU's order last of
    that round (of that final), as an Olympic event.toml may declare for finals; else unranked."""
    where = race.label if race.round == "finals" else ROUND_TITLES[race.round]
    in_final = race.round == "finals"
    if rules.isu or (in_final and rules.declared.disqualified_in_final == "last"):
        return LAST_OF_ROUND, row._replace(status=f"{result.status}, ranked last of {where}")
    return None, row


def _ranked_key(
    race: RaceRow, place: int, path: _Path, result: ResultRow, rules: Ordering
) -> SortKey:
    """Finals by race and place; then later rounds first, by place, then (Olympic) by ISU
    points over all races and best time, or (ISU) by the time in that race."""
    if race.round == "finals":
        return (0, race.race_number, place, 0.0, 0)
    if rules.isu:
        return (1, -ROUND_ORDER[race.round], place, 0.0, _time_key(result.time_ms))
    return (1, -ROUND_ORDER[race.round], place, -path.points, _time_key(path.best_time_ms))


@dataclass(frozen=True)
class Ordering:
    """Which order ranks an event: the Olympic one (the default) or the ISU's."""

    declared: ClassificationSpec
    isu: bool = False


def classify(
    event_id: str,
    entrants: list[EntrantRow],
    races: list[RaceRow],
    results: list[ResultRow],
    rules: list[AdvancementRuleRow],
    ordering: Ordering,
) -> list[ClassificationRow]:
    """The classification rows of one event, ranked first, in position order."""
    by_label = {race.label: race for race in races}
    targets = _note_targets(rules)
    ranked: list[tuple[SortKey, _Path, ClassificationRow]] = []
    unranked: list[tuple[SortKey, ClassificationRow]] = []
    carded: list[ClassificationRow] = []
    for path in _paths(entrants, races, results):
        race, result, place = path.last
        final = _awarded_final(path, targets, by_label)
        status = "ranked" if place is not None else result.status
        if final is not None:  # awarded the first place of a final that was not skated
            race, place, status = final, 1, "ranked"
        row = ClassificationRow(
            event_id,
            None,
            path.entrant.entrant_id,
            path.entrant.athlete_id,
            path.entrant.noc,
            race.round,
            race.label,
            place,
            path.points,
            path.best_time_ms,
            status,
            result.source_file,
            result.source_line,
        )
        if result.note == YELLOW_CARD:
            carded.append(row._replace(status="yellow card"))
            continue
        if place is None:
            place, row = _last_of_round(race, result, row, ordering)
        if place is None:
            later_first = (
                0,
                -ROUND_ORDER[race.round],
                0,
                -path.points,
                _time_key(path.best_time_ms),
            )
            unranked.append((later_first, row))
            continue
        ranked.append((_ranked_key(race, place, path, result, ordering), path, row))
    unranked.sort(key=lambda item: item[0])
    return [*_positioned(ranked, ordering.declared), *(row for _, row in unranked), *carded]


def _positioned(
    ranked: list[tuple[SortKey, _Path, ClassificationRow]], declared: ClassificationSpec
) -> list[ClassificationRow]:
    """The ranked rows in order with their positions: equal keys share one (1, 2, 2, 4), and a
    place declared in event.toml is awarded as declared."""
    awarded = {place.entrant: place for place in declared.awarded}
    rows: list[ClassificationRow] = []
    previous: SortKey | None = None
    for number, (key, path, row) in enumerate(sorted(ranked, key=lambda item: item[0]), 1):
        position = rows[-1].position if key == previous else number
        declared_place = awarded.get(path.entrant.athlete_id or path.entrant.noc)
        if declared_place is not None:
            position, row = declared_place.position, row._replace(status="awarded")
        rows.append(row._replace(position=position))
        previous = key
    return rows
