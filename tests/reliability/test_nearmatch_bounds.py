"""The near-match search of `pipeline add` does work bounded by the names, not their square.

No timing here: the work is counted. The banded distance reads a band of cells around the
diagonal (and stops once every cell of a row is too far), the index offers a name only the
spellings that may be near it, and a refusal names a long name, or many near ones, in short.
The times these bounds buy are measured by `python -m benchmarks.nearmatch`."""

from __future__ import annotations

import random
import string
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.resolve import nearmatch
from pipeline.resolve.nearmatch import NearIndex, edit_distance
from tests.add.helpers import Cli, fixture_page, nocs_only

LAST_HEAT_ROW = "| 4 | 3 | Tomas Figment | Slovakia | 1:28.000 | +1.800 | YC |"
EXPECTED = "a registered athlete, or a new name more than 2 edits from every other of its NOC"


class Counted(str):
    """A string that counts the characters read from it one at a time."""

    reads = 0

    def __getitem__(self, index: object) -> str:
        Counted.reads += 1
        return str.__getitem__(self, index)  # type: ignore[index]


def reference_distance(a: str, b: str) -> int:
    """The optimal string alignment distance, every cell of the table computed."""
    table = [[i + j if i * j == 0 else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
    return table[-1][-1]


def page_with(tmp_path: Path, names: list[str]) -> Path:
    """The fixture page with these names added to its heats (twelve to a heat) as Canadians."""
    rows = [
        f"| {place} | {index // 12 + 4} | {name} | Canada | 1:{29 + place}.000 | – | |"
        for index, name in enumerate(names)
        for place in [index % 12 + 1]
    ]
    text = fixture_page("2099-men-1000m").read_text(encoding="utf-8")
    page = tmp_path / "incoming" / "2099-men-1000m" / "page.txt"
    page.parent.mkdir(parents=True)
    page.write_text(text.replace(LAST_HEAT_ROW, "\n".join([LAST_HEAT_ROW, *rows])))
    return page


FIRST_ADDED_LINE = 51  # the line of the first name page_with adds


@given(st.text("abc", max_size=9), st.text("abc", max_size=9), st.integers(0, 3))
@settings(max_examples=2000, deadline=None)
def test_banded_distance_is_the_full_distance_within_the_limit(a: str, b: str, limit: int) -> None:
    assert edit_distance(a, b, limit) == min(reference_distance(a, b), limit + 1)


@given(st.lists(st.text("ab", max_size=9), max_size=60), st.text("ab", max_size=9))
@settings(max_examples=300, deadline=None)
def test_the_index_finds_exactly_the_near_spellings_in_order(
    spellings: list[str], key: str
) -> None:
    index = NearIndex()
    for spelling in spellings:
        index.add(spelling)
    expected = [p for p, s in enumerate(spellings) if s != key and reference_distance(key, s) <= 2]
    assert index.near(key) == expected


def test_banded_distance_reads_a_band_not_the_square() -> None:
    stem = "".join(random.Random(1).choices(string.ascii_lowercase, k=999))
    Counted.reads = 0
    assert edit_distance(Counted(stem + "x"), Counted(stem + "y")) == 1
    # At most 6 reads for each of the 5 cells of a row's band (old: every cell of 1000 x 1000).
    assert Counted.reads <= 6 * 5 * 1000


def test_banded_distance_stops_at_the_first_row_beyond_the_limit() -> None:
    stem = "".join(random.Random(2).choices(string.ascii_lowercase, k=997))
    Counted.reads = 0
    # Different ends too: what two spellings share at their ends is set aside before the band.
    assert edit_distance(Counted("abc" + stem + "d"), Counted("xyz" + stem + "e")) == 3
    assert Counted.reads <= 6 * 5 * 3 + 4  # three rows of the band, and the two ends' look


def comparisons(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A count (its one item) of the edit distances computed from now on."""
    compared = [0]
    distance = nearmatch.edit_distance

    def counted(a: str, b: str, limit: int = nearmatch.NEAR) -> int:
        compared[0] += 1
        return distance(a, b, limit)

    monkeypatch.setattr(nearmatch, "edit_distance", counted)
    return compared


def test_a_thousand_new_names_are_each_compared_with_a_few(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(1000)

    def word() -> str:
        return "".join(rng.choices(string.ascii_lowercase, k=rng.randint(4, 9))).title()

    names = [f"{word()} {word()}" for _ in range(1000)]
    compared = comparisons(monkeypatch)
    raw = nocs_only(tmp_path)
    result = cli("add", str(page_with(tmp_path, names)), "--raw", str(raw))
    assert (result.code, result.err) == (0, "")
    registered = (raw / "registry" / "athletes.csv").read_text().splitlines()
    assert len(registered) == 1 + 12 + 1000
    # Old: every new name against every earlier one, about 500,000 comparisons.
    assert compared[0] <= 5 * len(names)


def test_a_long_near_name_is_refused_in_one_short_line(cli: Cli, tmp_path: Path) -> None:
    stem = "A" + "bc" * 1000
    page = page_with(tmp_path, [stem + "x", stem + "y"])
    raw = nocs_only(tmp_path)
    result = cli("add", str(page), "--raw", str(raw))
    shown = f"'{stem[:100]}…' (2,002 characters)"
    shown_id = f"'{stem.lower()[:100]}…' (2,002 characters)"
    athletes, aliases = f"{raw}/registry/athletes.csv", f"{raw}/registry/aliases.csv"
    assert (result.code, result.out, result.err.splitlines()) == (
        2,
        "",
        [
            f"error: {page}:{FIRST_ADDED_LINE + 1}: expected {EXPECTED}, found {shown}; "
            f"if it is {shown} (CAN, {page}:{FIRST_ADDED_LINE}, new), add to {athletes}: "
            f'"{shown_id}","{shown}",CAN and to {aliases}: "{shown}","{shown_id}",<reason>; '
            f"if it is another athlete, add them to {athletes}"
        ],
    )


def test_a_name_near_many_names_counts_those_past_five(cli: Cli, tmp_path: Path) -> None:
    names = [f"Skater Ab{letter}" for letter in "cdefghij"]  # each one edit from every other
    page = page_with(tmp_path, names)
    raw = nocs_only(tmp_path)
    result = cli("add", str(page), "--raw", str(raw))
    athletes, aliases = f"{raw}/registry/athletes.csv", f"{raw}/registry/aliases.csv"
    clauses = [
        f"if it is Skater Ab{letter} (CAN, {page}:{FIRST_ADDED_LINE + number}, new), add to "
        f"{athletes}: skater-ab{letter},Skater Ab{letter},CAN and to {aliases}: "
        f"Skater Abj,skater-ab{letter},<reason>"
        for number, letter in enumerate("cdefg")
    ]
    last = (
        f"error: {page}:{FIRST_ADDED_LINE + 7}: expected {EXPECTED}, found 'Skater Abj'; "
        + "; ".join(clauses)
        + f"; 2 more near athletes not listed; if it is another athlete, add them to {athletes}"
    )
    assert result.code == 2
    assert result.err.splitlines()[-1] == last


def test_names_that_begin_alike_are_not_all_compared(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found in review: 1,000 new names all beginning "Kim " shared their first piece, and
    each was compared with every other (8.6 s)."""
    rng = random.Random(4)

    def word(shortest: int, longest: int) -> str:
        return "".join(rng.choices(string.ascii_lowercase, k=rng.randint(shortest, longest)))

    names = [f"Kim {word(6, 9).title()}-{word(3, 5)}" for _ in range(1000)]
    compared = comparisons(monkeypatch)
    result = cli("add", str(page_with(tmp_path, names)), "--raw", str(nocs_only(tmp_path)))
    assert result.code == 0, result.err
    assert compared[0] <= 20 * len(names)  # was about half of 1,000 x 1,000


def test_a_shared_start_and_end_cost_only_the_difference() -> None:
    stem = "Andersson-Karlsson Van Der Berg "
    Counted.reads = 0
    assert edit_distance(Counted(stem + "Bcd"), Counted(stem + "Bdc")) == 1
    assert Counted.reads <= 2 * len(stem) + 12  # the shared start read once, no band over it
