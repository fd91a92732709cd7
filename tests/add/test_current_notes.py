"""`pipeline add` drafts the rules of current results' notes (found by review): qA/qB get their
rule, and a skater with no time is never among the fastest."""

from __future__ import annotations

from pipeline.add.page_facts import draft_event
from pipeline.add.source import source_from_bytes
from tests.conftest import SEED, SEED_PAGE


def _rules(text: str, round_name: str) -> list[tuple[str, list[int], int | None, str | None]]:
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
