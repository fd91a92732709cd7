"""`pipeline add` drafts the rules of current results' notes (found by review): qA/qB get their
rule, and a skater with no time is never among the fastest."""

from __future__ import annotations

import pytest

from core.errors import SourceError
from pipeline.add.page_facts import draft_event
from pipeline.add.source import source_from_bytes
from tests.conftest import REPO, SEED, SEED_PAGE


def _rules(
    text: str, round_name: str
) -> list[tuple[str | None, list[int], int | None, str | None]]:
    source = source_from_bytes("page.txt", text.encode())
    draft = draft_event(source, SEED)
    [found] = [part for part in draft.rounds if part.date.round == round_name]
    return [(rule.note, rule.ranks, rule.fastest, rule.to) for rule in found.rules]


def test_qb_gets_its_rule_to_final_b() -> None:
    text = SEED_PAGE.read_text(encoding="utf-8").replace(
        "| 3 | Li Jiajun | | 1:29.183 | QB |", "| 3 | Li Jiajun | | 1:29.183 | qB |"
    )
    assert _rules(text, "semifinals") == [
        ("QA", [1, 2], None, "Final A"),
        ("qB", [3], None, "Final B"),
    ]


def test_a_third_with_no_time_is_not_counted_among_the_fastest() -> None:
    """Jon Eley, a third without q, loses his time: the rule stays as drafted (a
    'no time' counted as 0 ms made him the fastest third, and the rule one wider)."""
    seed = SEED_PAGE.read_text(encoding="utf-8")
    eley = seed.replace("| 2 | 3 | Jon Eley | | 1:29.147 | |", "| 2 | 3 | Jon Eley | | no time | |")
    assert (
        _rules(eley, "heats")
        == _rules(seed, "heats")
        == [
            ("Q", [1, 2], None, None),
            ("q", [3], 3, None),
        ]
    )


def test_a_missing_final_that_several_qualified_for_is_refused() -> None:
    """Found by a newcomer's trial: with Final A's table and label gone (Final B still there),
    add declared Final A not contested though four qualified for it."""
    page = REPO / "tests" / "fixtures" / "competitions" / "world-tour-men-500m.txt"
    text = page.read_text(encoding="utf-8")
    start = text.index(";Final A\n")
    end = text.index(";Final B\n")
    source = source_from_bytes("page.txt", (text[:start] + text[end:]).encode())
    with pytest.raises(SourceError) as refused:
        draft_event(source, "x")
    first_qa = text[: text.index("| QA |")].count("\n") + 1
    assert (refused.value.line, refused.value.found) == (first_qa, "none")
    assert refused.value.expected == (
        "a Final A table (4 skaters qualified for it, page lines 59, 60, 66 and 67)"
    )
