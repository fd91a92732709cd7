"""Every kind of line parses, or is refused, in linear time: long adversarial lines (runs of
`=`, `-`, `(`, spaces, digits …) in each place a parser reads take well under a second.

A regex that backtracks (`(=+)\\s*(.*?)\\s*(=+)` on 4,000 `=` took a minute) would let one line
of a page stall a build; each case is also interrupted after a few seconds so that a regression
fails here quickly instead of hanging the suite."""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from core.errors import PipelineError
from pipeline.derive.from_raw import event_tables
from pipeline.resolve.registry import Registry
from tests.conftest import RAW, SEED

BOUND_SECONDS = 1.0  # per line of up to 4 runs of 20,000 characters: linear code takes ms
PAGE = (RAW / "events" / SEED / "page.txt").read_text(encoding="utf-8")
TOML = (RAW / "events" / SEED / "event.toml").read_text(encoding="utf-8")

# Where a line of each kind stands: (file, text it replaces, template; {} is the long text).
PLACES: dict[str, tuple[str, str, str]] = {
    "any page line": ("page", "\nInfobox\n", "\n{}\nInfobox\n"),
    "heading": ("page", "==Results==", "={}="),
    "subheading": ("page", "===Heats===", "==={}==="),
    "infobox field": ("page", "- Prev: 2002", "-{}"),
    "infobox key": ("page", "- Prev: 2002", "- Prev{}: 2002"),
    "event": ("page", "- Event: Men's 1000 metres", "- Event: {}"),
    "games": ("page", "- Games: 2006 Winter", "- Games: {}"),
    "dates": ("page", "- Dates: 15–18 February 2006", "- Dates: {}"),
    "count": ("page", "- Competitors: 26", "- Competitors: {}"),
    "caption": ("page", "\nHeats\n", "\n{}\n"),
    "race caption": ("page", ";Quarterfinal 1", ";{}"),
    "athlete": ("page", "| 1 | 1 | Li Ye | | 1:27.048 | Q |", "| 1 | 1 | {} | | 1:27.048 | Q |"),
    "athlete and NOC": ("page", "| 1 | 1 | Li Ye |", "| 1 | 1 | Li Ye{}(CHN) |"),
    "rank": ("page", "| 1 | 1 | Li Ye |", "| 1 | {} | Li Ye |"),
    "time": ("page", "| Li Ye | | 1:27.048 |", "| Li Ye | | {} |"),
    "note": ("page", "| 1:27.048 | Q |", "| 1:27.048 | {} |"),
    "table header": ("page", "| Heat | Rank |", "| Heat{}| Rank |"),
    "record date": ("page", "| 15 February | Heat 1 |", "| {} | Heat 1 |"),
    "record race": ("page", "| 15 February | Heat 1 |", "| 15 February | {} |"),
    "toml table": ("toml", "[rounds.heats]", "[{}rounds.heats{}]"),
    "toml quoted table": ("toml", "[rounds.heats]", '[rounds{}."heats"]'),
    "toml table comment": ("toml", "[rounds.heats]", "[rounds.heats]{}"),
    "toml key": ("toml", "date = 2006-02-15", "date{}= 2006-02-15"),
    "toml value": ("toml", 'note = "Q", ranks = [1, 2]', 'note = "Q{}", ranks = [1, 2]'),
    "toml comment": ("toml", "[rounds.heats]", "#{}\n[rounds.heats]"),
}
CHARACTERS = ["=", "-", "(", ")", "[", "]", "|", ":", "#", '"', ".", " ", "\t", "1", "a", "A", "–"]
RUNS = st.lists(
    st.tuples(st.sampled_from(CHARACTERS), st.sampled_from([1, 3, 20_000])), min_size=1, max_size=4
)


class TooSlow(Exception):
    pass


@contextmanager
def interrupted_after(seconds: float) -> Iterator[None]:
    """Raise TooSlow in the block after `seconds` (the regex engine checks for signals)."""

    def stop(signum: int, frame: FrameType | None) -> None:
        raise TooSlow(f"still parsing after {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def seconds_to_parse(registry: Registry, place: str, text: str) -> float:
    """Parse the seed event with `text` put in `place`; parsed or refused, it must end."""
    where, old, template = PLACES[place]
    new = template.replace("{}", text)
    page, toml = (
        (PAGE.replace(old, new, 1), TOML) if where == "page" else (PAGE, TOML.replace(old, new, 1))
    )
    started = time.perf_counter()
    with interrupted_after(5 * BOUND_SECONDS):
        try:
            event_tables(SEED, f"raw/events/{SEED}", page.encode(), toml.encode(), registry)
        except PipelineError:
            pass  # refused at its line: as good as parsed, if in time
    return time.perf_counter() - started


@pytest.mark.parametrize("place", PLACES)
def test_every_place_exists_in_the_seed_event(place: str) -> None:
    where, old, _ = PLACES[place]
    assert old in (PAGE if where == "page" else TOML)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(place=st.sampled_from(sorted(PLACES)), runs=RUNS)
# The blowups found by review, each of which took from seconds to hours before:
@example(place="any page line", runs=[("=", 20_000), ("a", 1)])
@example(place="heading", runs=[("=", 20_000), (" ", 20_000), ("a", 1)])
@example(place="infobox field", runs=[(" ", 1), ("a", 1), (" ", 20_000), ("-", 1)])
@example(place="athlete and NOC", runs=[(" ", 20_000), ("(", 1), ("A", 3), (")", 1)])
@example(place="toml quoted table", runs=[(" ", 20_000)])
@example(place="toml table comment", runs=[(" ", 20_000), ("a", 1)])
def test_a_long_line_parses_or_is_refused_in_linear_time(
    registry: Registry, place: str, runs: list[tuple[str, int]]
) -> None:
    text = "".join(character * count for character, count in runs)
    assert seconds_to_parse(registry, place, text) < BOUND_SECONDS
