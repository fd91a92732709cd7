"""Generate realistic events in the raw page and registry format of raw/, deterministically.

`python -m benchmarks.generate --events N --out DIR [--seed S]` writes DIR/registry/ and
DIR/events/<event_id>/{page.txt,event.toml}. Event i is the same whatever N is, so corpora of
different sizes share their first events. Every error-level check passes on the output.
"""

from __future__ import annotations

import argparse
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from core.timefmt import format_time

NOCS_FILE = Path(__file__).resolve().parent.parent / "raw" / "registry" / "nocs.csv"
FIRST = (
    "Ana Ben Cai Dae Eli Fen Gus Hye Ivo Jae Kai Lin Max Nia Oto Pia Quin Rui Sol Tae Uma "
    "Vic Wen Xia Yun Zoe Aki Bea Cho Dov"
).split()
LAST = (
    "Arlen Brook Castel Dorne Ekman Falk Garra Holt Ilves Jarr Kovac Lund Marek Nyx Orsini "
    "Pardo Quill Roth Sato Tavi Ulm Varga Wirth Xu Ymir Zorn Abe Bakke Cruz Dahl Eng Frey "
    "Gald Haru Ibsen Joss Kern Lowe Moro Nash"
).split()
DISTANCES = (
    500,
    550,
    600,
    650,
    700,
    750,
    800,
    850,
    900,
    950,
    1000,
    1050,
    1100,
    1150,
    1200,
    1250,
    1300,
    1350,
    1400,
    1500,
)
MONTHS = ("January", "February", "March")
HEAT_SIZES = (4, 4, 4, 4, 4, 3, 3)  # 26 skaters in 7 heats, as in the seed event
ATHLETE_POOL = 1200


@dataclass(frozen=True)
class Athlete:
    athlete_id: str
    name: str
    noc: str
    alias: str | None


def registry(out: Path) -> list[Athlete]:
    """Write registry/ (NOCs, athletes, aliases) and return the athlete pool."""
    folder = out / "registry"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(NOCS_FILE, folder / "nocs.csv")
    nocs = [line.split(",")[0] for line in NOCS_FILE.read_text().splitlines()[1:]]
    pool = []
    for index in range(ATHLETE_POOL):
        first, last = FIRST[index % len(FIRST)], LAST[index // len(FIRST) % len(LAST)]
        name = f"{first} {last}"
        # Every 25th athlete is also printed with a doubled last letter somewhere: an alias.
        alias = f"{name}{name[-1]}" if index % 25 == 7 else None
        pool.append(Athlete(f"{first}-{last}".lower(), name, nocs[index % len(nocs)], alias))
    lines = ["athlete_id,name,noc", *(f"{a.athlete_id},{a.name},{a.noc}" for a in pool)]
    (folder / "athletes.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    aliases = ["alias,athlete_id,reason"] + [
        f"{a.alias},{a.athlete_id},Generated misspelling of {a.name} for the benchmark."
        for a in pool
        if a.alias
    ]
    (folder / "aliases.csv").write_text("\n".join(aliases) + "\n", encoding="utf-8")
    return pool


@dataclass
class Row:
    athlete: Athlete
    rank: int | None
    time_ms: int | None
    note: str = ""
    printed: str = ""


@dataclass
class Race:
    label: str
    rows: list[Row] = field(default_factory=list)


def _race(
    rng: random.Random,
    label: str,
    skaters: list[Athlete],
    pace: float,
    distance: int,
    dq_chance: float,
) -> Race:
    """Times by skater, sorted into ranks; maybe one DQ (never a top-two place)."""
    base = distance * pace
    times = sorted((round(base * rng.uniform(1.0, 1.06)), a.athlete_id, a) for a in skaters)
    for place in range(1, len(times)):  # no accidental dead heat: those are made on purpose
        if times[place][0] <= times[place - 1][0]:
            times[place] = (times[place - 1][0] + 1, *times[place][1:])
    race = Race(label)
    dq = len(times) >= 4 and rng.random() < dq_chance
    for rank, (time_ms, _, athlete) in enumerate(times, start=1):
        if dq and rank == len(times):
            race.rows.append(Row(athlete, None, None))
        else:
            race.rows.append(Row(athlete, rank, time_ms))
    return race


def _finishers(race: Race) -> list[Row]:
    return [row for row in race.rows if row.rank is not None]


def _qualify_top_two(races: list[Race]) -> list[Athlete]:
    """Mark ranks 1-2 of each race Q; the qualifiers, race by race."""
    qualified = []
    for race in races:
        for row in _finishers(race):
            if row.rank is not None and row.rank <= 2:
                row.note = "Q"
                qualified.append(row.athlete)
    return qualified


Rounds = list[tuple[str, list[Race]]]


def _heats(rng: random.Random, skaters: list[Athlete], pace: float, distance: int) -> list[Race]:
    """Heats: ranks 1-2 Q, the two fastest third places q; sometimes a referee's ADV."""
    heats, start = [], 0
    for number, size in enumerate(HEAT_SIZES, start=1):
        heats.append(
            _race(rng, f"Heat {number}", skaters[start : start + size], pace, distance, 0.15)
        )
        start += size
    return heats


def _heat_advancers(rng: random.Random, heats: list[Race]) -> list[Athlete]:
    """Mark the heats' notes; the skaters they send to the quarterfinals."""
    advancing = _qualify_top_two(heats)
    thirds = [row for heat in heats for row in _finishers(heat) if row.rank == 3]
    thirds.sort(key=lambda row: (row.time_ms, row.athlete.athlete_id))
    while len(thirds) > 2 and thirds[2].time_ms == thirds[1].time_ms:
        thirds[2].time_ms = (thirds[2].time_ms or 0) + 1  # no accidental tie at the cut-off
    for row in thirds[:2]:
        row.note = "q"
        advancing.append(row.athlete)
    if rng.random() < 0.1 and len(thirds) > 2:
        thirds[-1].note = "ADV"
        advancing.append(thirds[-1].athlete)
    return advancing


def _knockout_rounds(
    rng: random.Random, advancing: list[Athlete], pace: float, distance: int
) -> Rounds:
    """Quarterfinals (round robin; ranks 1-2 Q; sometimes a dead heat for third), semifinals
    (ranks 1-2 to Final A, the others to Final B) and the two finals."""
    quarters = [
        _race(rng, f"Quarterfinal {n}", advancing[n - 1 :: 4], pace * 0.99, distance, 0.1)
        for n in range(1, 5)
    ]
    if rng.random() < 0.2:
        rows = quarters[0].rows
        if len(rows) >= 4 and rows[2].time_ms and rows[3].time_ms:
            rows[3].time_ms = rows[2].time_ms
    semi_field = _qualify_top_two(quarters)
    semis = [
        _race(rng, f"Semifinal {n}", semi_field[n - 1 :: 2], pace * 0.985, distance, 0.0)
        for n in (1, 2)
    ]
    final_a: list[Athlete] = []
    final_b: list[Athlete] = []
    for semi in semis:
        for row in semi.rows:
            row.note = "QA" if (row.rank or 9) <= 2 else "QB"
            (final_a if row.note == "QA" else final_b).append(row.athlete)
    finals = [
        _race(rng, "Final A", final_a, pace * 0.98, distance, 0.0),
        _race(rng, "Final B", final_b, pace * 0.99, distance, 0.0),
    ]
    return [("quarterfinals", quarters), ("semifinals", semis), ("finals", finals)]


def _print_names(rng: random.Random, rounds: Rounds) -> None:
    """Names as printed: mostly exact; sometimes in capitals (folded) or through the alias."""
    for _, races in rounds:
        for race in races:
            for row in race.rows:
                roll = rng.random()
                row.printed = (
                    row.athlete.alias
                    if row.athlete.alias and roll < 0.3
                    else row.athlete.name.upper()
                    if roll < 0.002
                    else row.athlete.name
                )


@dataclass(frozen=True)
class Schedule:
    """The event's days, and the Olympic record standing before it."""

    year: int
    month: str
    day1: int
    day2: int
    prior_ms: int

    def date(self, day: int) -> str:
        return f"{self.year}-{MONTHS.index(self.month) + 1:02d}-{day:02d}"


def _schedule(rng: random.Random, index: int, year: int, rounds: Rounds) -> Schedule:
    """A prior record near the event's best time, and two days of racing."""
    all_times = [row.time_ms for _, races in rounds for r in races for row in r.rows if row.time_ms]
    prior = round(min(all_times) * rng.uniform(0.995, 1.01))
    day1, month = rng.randint(1, 20), MONTHS[index % 3]
    return Schedule(year, month, day1, day1 + rng.randint(1, 3), prior)


def _record_rows(rounds: Rounds, schedule: Schedule) -> list[str]:
    """Walk the races in order; each race whose best beats the standing OR sets one."""
    standing, records = schedule.prior_ms, []
    for name, races in rounds:
        for race in races:
            best = min((row.time_ms for row in _finishers(race) if row.time_ms), default=None)
            if best is not None and best < standing:
                standing = best
                day = schedule.day1 if name == "heats" else schedule.day2
                records.append(
                    f"| {day} {schedule.month} | {race.label} | | {format_time(best)} | OR | |"
                )
    return records


def _page(
    index: int,
    gender: str,
    distance: int,
    rounds: Rounds,
    schedule: Schedule,
    skaters: list[Athlete],
) -> str:
    """The page text: infobox, records table, one table for the heats, one per later race."""
    year, month = schedule.year, schedule.month
    medalists = [row.athlete for row in rounds[-1][1][0].rows[:3]]
    title = f"Generated event {index} – {gender.capitalize()}'s {distance} metres"
    lines = [
        f"= {title} =",
        "",
        "Infobox",
        f"- Event: {gender.capitalize()}'s {distance} metres",
        f"- Games: {year} Winter",
        "- Venue: Generated Arena",
        f"- Dates: {schedule.day1}–{schedule.day2} {month} {year}",
        f"- Competitors: {len(skaters)}",
        f"- Nations: {len({a.noc for a in skaters})}",
    ]
    for medal, athlete in zip(("Gold", "Silver", "Bronze"), medalists, strict=True):
        lines += [f"- {medal}: {athlete.name}", f"- {medal}noc: {athlete.noc}"]
    lines += [
        "",
        "A generated page for benchmarks.",
        "",
        "==Records==",
        "| Date | Event | Team | Time | OR | WR |",
        *_record_rows(rounds, schedule),
        "",
        "==Results==",
        "===Heats===",
        "Heats",
        "| Heat | Rank | Athlete | Country | Result | Notes |",
    ]
    for number, heat in enumerate(rounds[0][1], start=1):
        lines += [f"| {number} | {_cells(row)}" for row in heat.rows]
    for name, races in rounds[1:]:
        lines += ["", f"==={name.capitalize()}==="]
        for race in races:
            lines += ["", f";{race.label}", "| Rank | Athlete | Country | Result | Notes |"]
            lines += [f"| {_cells(row)}" for row in race.rows]
    return "\n".join(lines) + "\n"


def _event_toml(schedule: Schedule) -> str:
    """event.toml: the prior record, each round's date and the advancement rules."""
    first, second = schedule.date(schedule.day1), schedule.date(schedule.day2)
    return f"""[prior_record]
kind = "OR"
time = "{format_time(schedule.prior_ms)}"
athlete = "Generated Holder"
noc = "CAN"
date = {schedule.year - 4:04d}-02-16

[rounds.heats]
date = {first}
advance = [{{ note = "Q", ranks = [1, 2] }}, {{ note = "q", ranks = [3], fastest = 2 }}]

[rounds.quarterfinals]
date = {second}
advance = [{{ note = "Q", ranks = [1, 2] }}]

[rounds.semifinals]
date = {second}
advance = [
    {{ note = "QA", ranks = [1, 2], to = "Final A" }},
    {{ note = "QB", ranks = [3, 4], to = "Final B" }},
]

[rounds.finals]
date = {second}
"""


def event(index: int, pool: list[Athlete], seed: int) -> tuple[str, str, str]:
    """(event_id, page text, event.toml text) of generated event `index`."""
    rng = random.Random(seed * 1_000_003 + index)
    gender = ("men", "women")[index % 2]
    distance = DISTANCES[index // 2 % len(DISTANCES)]
    year = 1000 + index // (2 * len(DISTANCES))
    event_id = f"{year}-{gender}-{distance}m-{index:06d}"
    skaters = rng.sample(pool, sum(HEAT_SIZES))
    pace = rng.uniform(84, 92)  # milliseconds per metre
    heats = _heats(rng, skaters, pace, distance)
    advancing = _heat_advancers(rng, heats)
    rounds = [("heats", heats), *_knockout_rounds(rng, advancing, pace, distance)]
    _print_names(rng, rounds)
    schedule = _schedule(rng, index, year, rounds)
    return (
        event_id,
        _page(index, gender, distance, rounds, schedule, skaters),
        _event_toml(schedule),
    )


def _cells(row: Row) -> str:
    rank = "–" if row.rank is None else str(row.rank)
    result = "DQ" if row.time_ms is None else format_time(row.time_ms)
    return f"{rank} | {row.printed} | | {result} | {row.note} |"


def generate(events: int, out: Path, seed: int = 2006) -> None:
    """Write a complete raw folder of `events` generated events to `out`."""
    pool = registry(out)
    for index in range(events):
        event_id, page, toml = event(index, pool, seed)
        folder = out / "events" / event_id
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "page.txt").write_text(page, encoding="utf-8")
        (folder / "event.toml").write_text(toml, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=2006)
    args = parser.parse_args()
    generate(args.events, args.out, args.seed)


if __name__ == "__main__":
    main()
