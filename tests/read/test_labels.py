"""Round and race labels as pages print them."""

from __future__ import annotations

import pytest

from pipeline.read.labels import RoundLabel, parse_label, race_id, race_label


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Heats", RoundLabel("heats", None)),
        ("Heat 7", RoundLabel("heats", 7)),
        ("Quarterfinals", RoundLabel("quarterfinals", None)),
        ("Quarterfinal 1", RoundLabel("quarterfinals", 1)),
        ("Quarter-final 4", RoundLabel("quarterfinals", 4)),
        ("Semifinal 2", RoundLabel("semifinals", 2)),
        ("semifinals", RoundLabel("semifinals", None)),
        ("Finals", RoundLabel("finals", None)),
        ("Final", RoundLabel("finals", 1)),
        ("Final A", RoundLabel("finals", 1)),
        ("Final B", RoundLabel("finals", 2)),
        ("Preliminaries", RoundLabel("preliminaries", None)),
        ("Preliminary round", RoundLabel("preliminaries", None)),
        ("Preliminaries Heat 3", RoundLabel("preliminaries", 3)),
        ("Repechage quarterfinals", RoundLabel("repechage_quarterfinals", None)),
        ("Repechage Quarter-Finals Heat 2", RoundLabel("repechage_quarterfinals", 2)),
        ("Repechage semifinals", RoundLabel("repechage_semifinals", None)),
        ("repechage semifinal heat 1", RoundLabel("repechage_semifinals", 1)),
    ],
)
def test_known_labels(text: str, expected: RoundLabel) -> None:
    assert parse_label(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Heat",
        "Heat A",
        "Heats 1",
        "Final C",
        "Final 1",
        "Heat 0",
        "Repechage 1",
        "Repechage",
        "Repechage quarterfinals Heat 0",
        "Repechage finals",
        "Preliminaries Heat",
        "Preliminaries Heat １",
        "Quarterfinal １",
        "Results",
        "",
    ],
)
def test_unknown_labels(text: str) -> None:
    assert parse_label(text) is None


def test_canonical_labels_and_ids() -> None:
    assert race_label("heats", 3) == "Heat 3"
    assert race_label("quarterfinals", 1) == "Quarterfinal 1"
    assert race_label("finals", 2) == "Final B"
    assert race_label("finals", 1, lettered_final=False) == "Final"
    assert race_id("2006-men-1000m", "Final A") == "2006-men-1000m/final-a"


def test_a_race_of_a_round_captioned_by_heat_is_known_by_its_round_and_caption() -> None:
    assert race_label("preliminaries", 3) == "Preliminaries Heat 3"
    assert race_label("repechage_quarterfinals", 2) == "Repechage quarterfinals Heat 2"
    assert race_label("repechage_semifinals", 1) == "Repechage semifinals Heat 1"
    assert race_id("e", "Repechage quarterfinals Heat 2") == "e/repechage-quarterfinals-heat-2"
    # The canonical label reads back as the same race.
    assert parse_label("Repechage quarterfinals Heat 2") == RoundLabel("repechage_quarterfinals", 2)


def test_only_short_text_is_kept_in_the_label_cache() -> None:
    """Labels repeat on every page and are parsed once each; a long line of prose (which
    `pipeline add` also tries as a label) is parsed each time, never held by the cache."""
    from pipeline.read import labels

    cache = labels._cached_label
    cache.cache_clear()  # type: ignore[attr-defined]
    assert parse_label("Final B " + "x" * 10_000) is None
    assert cache.cache_info().currsize == 0  # type: ignore[attr-defined]
    assert parse_label("Final B") == parse_label("Final B") == RoundLabel("finals", 2)
    hits, misses, *_ = cache.cache_info()  # type: ignore[attr-defined]
    assert (hits, misses) == (1, 1)
