"""The parts of `pipeline add`: edit distance, ids, date conflicts, notes no rule explains, and
appending to a registry file as it is written."""

from __future__ import annotations

from pathlib import Path

import pytest
import rtoml

from core.escape import toml_string
from core.rows import AthleteRow
from pipeline.add.names import Printed
from pipeline.add.new_athletes import Ledger, register_names, slug
from pipeline.resolve.nearmatch import edit_distance
from pipeline.resolve.registry import load_registry
from tests.add.helpers import Cli, fixture_page, nocs_only, raw_with, write_page
from tests.conftest import RAW, SEED


@pytest.mark.parametrize(
    "a, b, distance",
    [
        ("li juajun", "li jiajun", 1),  # a substitution
        ("matus uzak", "matus usak", 1),
        ("ivan probe", "ivan probes", 1),  # an insertion
        ("abdc", "abcd", 1),  # two neighbours swapped: one edit
        ("pieter gysel", "pieter gijsel", 2),
        ("li ye", "lee ho-suk", 3),  # far apart: cut off at 3
        ("", "ab", 2),
    ],
)
def test_edit_distance(a: str, b: str, distance: int) -> None:
    assert edit_distance(a, b) == distance == edit_distance(b, a)


@pytest.mark.parametrize(
    "name, athlete_id",
    [
        ("François-Louis Tremblay", "francois-louis-tremblay"),
        ("Éric Bédard", "eric-bedard"),
        ("Søren Øster-Łukasz", "soren-oster-lukasz"),
        ("Jean  Charles Mattei", "jean-charles-mattei"),
        ("李野", "athlete"),
    ],
)
def test_slug(name: str, athlete_id: str) -> None:
    assert slug(name) == athlete_id


def test_an_id_taken_gets_the_noc_then_a_number() -> None:
    ledger = Ledger(load_registry(RAW / "registry", "raw/registry"), 28)
    assert ledger.free_id("Ahn Hyun Soo", "USA") == "ahn-hyun-soo-usa"
    assert ledger.free_id("Li Ye", None) == "li-ye-2"


def test_a_new_athlete_is_spelled_as_the_page_prints_them_most(tmp_path: Path) -> None:
    raw = nocs_only(tmp_path)
    ledger = Ledger(load_registry(raw / "registry", "r", new_registry=True), 2)
    names = [
        Printed("Ahn Hyun-soo", 45, None, None),
        Printed("Ahn Hyun-Soo", 77, "KOR", "KOR", checked=True),
        Printed("Ahn Hyun-Soo", 110, None, None),
        Printed("Ahn Hyun-soo", 120, None, None),
        Printed("Ahn Hyun-Soo", 130, None, None),
    ]
    assert register_names(ledger, "page.txt", names) == []
    assert ledger.rows == [AthleteRow("ahn-hyun-soo", "Ahn Hyun-Soo", "KOR", "r/athletes.csv", 2)]


def test_a_round_given_two_days_gets_a_placeholder(cli: Cli, tmp_path: Path) -> None:
    raw = raw_with(tmp_path, *(RAW / "registry").iterdir())
    page = write_page(
        tmp_path, SEED, ("round was held on 15 February", "round was held on 16 February")
    )
    result = cli("add", str(page), "--raw", str(raw))
    toml = raw / "events" / SEED / "event.toml"
    assert result.code == 0
    assert (
        f"  {toml}:21: the page gives the heats two days (15 February and 16 February): write "
        "the day they were skated" in result.out.splitlines()
    )
    lines = toml.read_text().splitlines()
    assert lines[13:20] == [
        "# Page line 7: the event's Dates begin on 15 February, the day of its first round.",
        '# Page line 19: "…began on 15 February…"',
        "# Page line 27: the Heat 1 record was set on 15 February.",
        '# Page line 33: "The first round was held on 16 February."',
        "# Review: the page gives the heats two days (15 February and 16 February): write the "
        "day they",
        "# were skated.",
        "[rounds.heats]",
    ]
    assert lines[20] == 'date = "REVIEW: the day the heats were skated"'


def test_notes_no_fastest_rule_explains_are_flagged(cli: Cli, tmp_path: Path) -> None:
    # q to Mattei (1:28.009) instead of Nachbar (1:27.994, faster): no "N fastest" gives that.
    raw = raw_with(tmp_path, *(RAW / "registry").iterdir())
    page = write_page(
        tmp_path,
        SEED,
        ("| Jean Charles Mattei | | 1:28.009 | |", "| Jean Charles Mattei | | 1:28.009 | q |"),
        ("| Arian Nachbar | | 1:27.994 | q |", "| Arian Nachbar | | 1:27.994 | |"),
    )
    assert cli("add", str(page), "--raw", str(raw)).code == 0
    lines = (raw / "events" / SEED / "event.toml").read_text().splitlines()
    at = lines.index('    { note = "q", ranks = [3], fastest = 4 },')
    assert lines[at - 3 : at] == [
        "    # Page lines 39, 47 and 57: q to 3 of the 8 skaters placed 3 in the heats, the 4 "
        "fastest.",
        "    # The notes follow no fastest-N rule: compare them with the prose. Review against "
        "the page's",
        "    # prose (line 33).",
    ]


def test_registry_rows_are_appended_in_the_file_own_line_endings(cli: Cli, tmp_path: Path) -> None:
    raw = nocs_only(tmp_path)
    athletes = raw / "registry" / "athletes.csv"
    athletes.write_bytes(b"athlete_id,name,noc\r\nsomeone,Some One,USA")  # no final newline
    assert cli("add", str(fixture_page("2099-men-1500m")), "--raw", str(raw)).code == 0
    assert athletes.read_bytes().split(b"\r\n")[:4] == [
        b"athlete_id,name,noc",
        b"someone,Some One,USA",
        b"ivan-probe,Ivan Probe,RUS",
        b"kim-draft,Kim Draft,KOR",
    ]
    assert athletes.read_bytes().endswith(b"pavel-sketch,Pavel Sketch,POL\r\n")
    assert b"\n" not in athletes.read_bytes().replace(b"\r\n", b"")


def test_page_text_quoted_in_a_comment_is_escaped(cli: Cli, tmp_path: Path) -> None:
    # TOML forbids control characters in comments: a quoted sentence shows them escaped.
    raw = raw_with(tmp_path, *(RAW / "registry").iterdir())
    page = write_page(tmp_path, SEED, ("round was held", "round was\x1b[2J held"))
    assert cli("add", str(page), "--raw", str(raw)).code == 0
    text = (raw / "events" / SEED / "event.toml").read_text()
    assert '# Page line 33: "The first round was\\x1b[2J held on 15 February."' in text
    assert "\x1b" not in text


def test_toml_strings_hold_any_page_text() -> None:
    text = 'Li "Lucky" Ye \\ \x1b[31m\u2028'
    assert toml_string(text) == '"Li \\"Lucky\\" Ye \\\\ \\u001b[31m\u2028"'
    assert rtoml.loads(f"reason = {toml_string(text)}") == {"reason": text}
