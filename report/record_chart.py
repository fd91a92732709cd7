"""The record progression of an event as chart geometry: record times against the races in
skating order, the record standing before the event as a horizontal line. The HTML template
draws it as inline SVG; here are only numbers and the texts placed at them."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from core.codes import ROUND_TITLES
from core.timefmt import format_time

WIDTH, HEIGHT = 480, 250
LEFT, RIGHT, TOP, BOTTOM = 60, 12, 22, 44
MIN_SPAN_MS = 200  # a lone record still gets a readable scale
TICK_STEPS_MS = (10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 30_000, 60_000)
MAX_TICKS = 5
LABEL_CLEARANCE = 24  # a dot this close below a prior record's line has its label under it
CHAR_WIDTH = 7.2  # of the 12-unit axis font: a band too narrow for its round's title is abbreviated
SHORT_TITLES = {"heats": "H", "quarterfinals": "QF", "semifinals": "SF", "finals": "F"}


@dataclass(frozen=True)
class Point:
    """A record set during the event."""

    race_label: str
    time_ms: int
    time: str
    holder: str | None
    noc: str | None
    kind: str  # OR, or WR (a world record is an Olympic record too)
    source_file: str | None = None  # the records table row it was read from
    source_line: int | None = None


@dataclass(frozen=True)
class Prior:
    """A record standing before the event."""

    kind: str
    time_ms: int
    time: str
    holder: str
    noc: str | None
    date: datetime.date


@dataclass(frozen=True)
class Placed:
    x: float
    y: float
    point: Point
    label_anchor: str  # start, or end near the right edge
    label_y: float  # above the dot, or below it where a prior record's label would be


@dataclass(frozen=True)
class Line:
    y: float
    prior: Prior


@dataclass(frozen=True)
class Band:
    x0: float
    x1: float
    title: str  # shown: the round's title, or its abbreviation when the band is narrow
    full_title: str
    shaded: bool


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class RecordChart:
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    points: tuple[Placed, ...]
    priors: tuple[Line, ...]
    bands: tuple[Band, ...]
    ticks: tuple[Tick, ...]
    step_path: str  # the standing record over the event, as an SVG path
    records: tuple[Point, ...]  # every record, for the table beside the chart


def _ticks(low: float, high: float) -> tuple[int, list[int]]:
    step = next((s for s in TICK_STEPS_MS if (high - low) / s <= MAX_TICKS), TICK_STEPS_MS[-1])
    first = int(-(-low // step) * step)
    return step, list(range(first, int(high) + 1, step))


def _bands(races: list[tuple[str, str]], slot: float) -> tuple[Band, ...]:
    """A band behind each round's races, titled, or abbreviated where it is too narrow."""
    bands = []
    for number, round_name in enumerate(dict.fromkeys(r for _, r in races)):
        slots = [i for i, (_, r) in enumerate(races) if r == round_name]
        x0, x1 = LEFT + slots[0] * slot, LEFT + (slots[-1] + 1) * slot
        full = ROUND_TITLES.get(round_name, round_name.capitalize())
        title = full if len(full) * CHAR_WIDTH <= x1 - x0 else SHORT_TITLES.get(round_name, full)
        bands.append(Band(round(x0, 1), round(x1, 1), title, full, number % 2 == 0))
    return tuple(bands)


def _step_path(first: float | None, placed: tuple[Placed, ...], right: float) -> str:
    """The standing record as an SVG path: from the prior one (`first`, its height: the
    Olympic record if both stand) down each time a record falls, to the end of the event."""
    path = [f"M{LEFT},{first}"] if first is not None else []
    for p in placed:
        path.append(f"H{p.x}V{p.y}" if path else f"M{p.x},{p.y}")
    if path:
        path.append(f"H{right}")
    return "".join(path)


def record_chart(
    races: list[tuple[str, str]], points: list[Point], priors: list[Prior]
) -> RecordChart | None:
    """The chart of an event's records over its contested races `(label, round)` in skating
    order; None when the event has neither records nor prior records."""
    if not points and not priors:
        return None
    index = {label: i for i, (label, _) in enumerate(races)}
    shown = sorted((p for p in points if p.race_label in index), key=lambda p: index[p.race_label])
    times = [p.time_ms for p in points] + [p.time_ms for p in priors]
    pad = max(max(times) - min(times), MIN_SPAN_MS) * 0.2
    low, high = min(times) - pad, max(times) + pad
    bottom, right = HEIGHT - BOTTOM, WIDTH - RIGHT
    slot = (right - LEFT) / max(len(races), 1)

    def y(ms: float) -> float:
        return round(TOP + (high - ms) / (high - low) * (bottom - TOP), 1)

    def x(i: int) -> float:
        return round(LEFT + (i + 0.5) * slot, 1)

    prior_ys = [y(p.time_ms) for p in priors]

    def label_y(dot: float) -> float:
        # A prior record's line and label sit just above a dot close below it: go under.
        crowded = any(0 <= dot - line < LABEL_CLEARANCE for line in prior_ys)
        return round(dot + 18 if crowded else dot - 8, 1)

    placed = tuple(
        Placed(
            x(index[p.race_label]),
            y(p.time_ms),
            p,
            "end" if index[p.race_label] >= len(races) * 0.75 else "start",
            label_y(y(p.time_ms)),
        )
        for p in shown
    )
    step, values = _ticks(low, high)
    decimals = 2 if step % 10 == 0 else 3
    start = next((p for p in priors if p.kind == "OR"), priors[0] if priors else None)
    first = y(start.time_ms) if start else None
    return RecordChart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right=right,
        top=TOP,
        bottom=bottom,
        points=placed,
        priors=tuple(Line(y(p.time_ms), p) for p in priors),
        bands=_bands(races, slot),
        ticks=tuple(Tick(y(v), format_time(v, decimals)) for v in values),
        step_path=_step_path(first, placed, right),
        records=(*shown, *(p for p in points if p.race_label not in index)),
    )
