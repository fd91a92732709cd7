"""Issue 23, 2: the World Tour's rounds. Preliminaries → heats (with the seeded) → repechage
quarterfinals → repechage semifinals → quarterfinals → semifinals → Finals A and B, on a
fictional page written as such results are published: it goes in with `pipeline add` (the
drafted event.toml is the fixture's, byte for byte) and `pipeline run`, and passes every check.
Its corruptions are in tests/checks/corruptions.py."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from core.errors import SourceError
from pipeline.add.page_facts import draft_event
from pipeline.add.source import source_from_bytes
from pipeline.derive.event_rows import EventTables
from pipeline.derive.from_raw import event_tables
from pipeline.publish import DUCKDB_FILE
from pipeline.read.event_toml import array_items
from pipeline.resolve.registry import load_registry
from tests.add.helpers import Cli
from tests.checks.harness import build_and_check, open_failures
from tests.conftest import FIXTURES, RAW, corrupt, fixture_refusal, line_of

EVENT_ID = "2099-2100-isu-short-track-world-tour-stage-2-women-1000m"
HEADER = "| Rank | Athlete | Country | Result | Notes |"
FOLDER = FIXTURES / "events" / EVENT_ID


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse built from a raw/ that held only the nations, after adding the page."""
    from typer.testing import CliRunner

    from pipeline.cli import app

    tmp_path = tmp_path_factory.mktemp("world-tour")
    raw = tmp_path / "raw"
    (raw / "registry").mkdir(parents=True)
    for name in ("nocs.csv", "nation_names.csv"):
        shutil.copy(RAW / "registry" / name, raw / "registry" / name)
    runner = CliRunner()
    added = runner.invoke(app, ["add", str(FOLDER / "page.txt"), "--raw", str(raw)])
    assert added.exit_code == 0, added.output
    drafted = raw / "events" / EVENT_ID
    assert (drafted / "page.txt").read_bytes() == (FOLDER / "page.txt").read_bytes()
    # No hand edit: the reviewed fixture is exactly what add drafts.
    assert (drafted / "event.toml").read_bytes() == (FOLDER / "event.toml").read_bytes()
    built = runner.invoke(app, ["run", "--raw", str(raw), "--warehouse", str(tmp_path / "wh")])
    assert built.exit_code == 0, built.output
    assert "PASSED: 47 checks, 47 passed, 0 failed" in built.output
    return tmp_path / "wh" / DUCKDB_FILE


def _query(warehouse: Path, sql: str) -> list[tuple[object, ...]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.sql(sql).fetchall()


def test_its_rounds_are_numbered_in_skating_order_and_the_heats_take_the_seeded(
    warehouse: Path,
) -> None:
    assert _query(warehouse, "SELECT round, round_order, date::VARCHAR, seeded FROM rounds") == [
        ("preliminaries", 1, "2099-11-13", False),
        ("heats", 2, "2099-11-14", True),
        ("repechage_quarterfinals", 3, "2099-11-14", False),
        ("repechage_semifinals", 4, "2099-11-14", False),
        ("quarterfinals", 5, "2099-11-15", False),
        ("semifinals", 6, "2099-11-15", False),
        ("finals", 7, "2099-11-15", False),
    ]


def test_a_race_captioned_heat_is_known_by_its_round_and_caption(warehouse: Path) -> None:
    races = _query(warehouse, "SELECT race_id, round, race_number, label, source_line FROM races")
    assert [(r[1], r[2], r[3], r[4]) for r in races] == [
        ("preliminaries", 1, "Preliminaries Heat 1", 27),
        ("preliminaries", 2, "Preliminaries Heat 2", 34),
        ("heats", 1, "Heat 1", 45),
        ("heats", 2, "Heat 2", 52),
        ("heats", 3, "Heat 3", 59),
        ("heats", 4, "Heat 4", 66),
        ("repechage_quarterfinals", 1, "Repechage quarterfinals Heat 1", 77),
        ("repechage_quarterfinals", 2, "Repechage quarterfinals Heat 2", 84),
        ("repechage_semifinals", 1, "Repechage semifinals Heat 1", 94),
        ("quarterfinals", 1, "Quarterfinal 1", 105),
        ("quarterfinals", 2, "Quarterfinal 2", 113),
        ("semifinals", 1, "Semifinal 1", 125),
        ("semifinals", 2, "Semifinal 2", 131),
        ("finals", 1, "Final A", 140),
        ("finals", 2, "Final B", 147),
    ]
    assert races[6][0] == f"{EVENT_ID}/repechage-quarterfinals-heat-1"


def test_each_rule_says_where_it_sends(warehouse: Path) -> None:
    assert _query(
        warehouse,
        "SELECT round, note, rank_min, rank_max, to_round, to_label, source_line "
        "FROM advancement_rules",
    ) == [
        ("preliminaries", "Q", 1, 2, "heats", None, 21),
        ("heats", "Q", 1, 2, "quarterfinals", None, 33),
        ("heats", None, 3, 4, "repechage_quarterfinals", None, 36),
        ("repechage_quarterfinals", "Q", 1, 2, "repechage_semifinals", None, 45),
        ("repechage_semifinals", "Q", 1, 2, "quarterfinals", None, 54),
        ("quarterfinals", "Q", 1, 3, "semifinals", None, 63),
        ("semifinals", "QA", 1, 2, "finals", "Final A", 72),
        ("semifinals", "QB", 3, 3, "finals", "Final B", 75),
    ]


def test_the_repechage_path_is_each_skaters_one_way_into_the_quarterfinals(
    warehouse: Path,
) -> None:
    assert _query(
        warehouse,
        "SELECT path FROM athlete_paths JOIN athletes USING (athlete_id) "
        "WHERE name IN ('Giulia Finta', 'Han Gajja', 'Yui Kasouda') ORDER BY name",
    ) == [
        (
            "Heat 3 #3 1:29.790 → Repechage quarterfinals Heat 2 #1 1:30.033 Q → "
            "Repechage semifinals Heat 1 #1 1:29.884 Q → Quarterfinal 2 #3 1:29.105 Q → "
            "Semifinal 2 #3 1:29.390 QB → Final B #1 1:30.120",
        ),
        (
            "Heat 1 #1 1:29.412 Q → Quarterfinal 1 #1 1:28.904 Q → Semifinal 1 #1 1:29.120 QA "
            "→ Final A #2 1:28.700",
        ),
        (
            "Preliminaries Heat 1 #2 1:31.377 Q → Heat 2 #4 1:30.612 → "
            "Repechage quarterfinals Heat 2 #4 1:31.240",
        ),
    ]


def test_the_isu_order_ranks_later_rounds_in_skating_order_first(warehouse: Path) -> None:
    assert _query(
        warehouse,
        "SELECT c.position, a.name, c.last_race, c.place_in_last_race FROM classification AS c "
        "JOIN athletes AS a USING (athlete_id) ORDER BY c.rowid",
    ) == [
        (1, "Seo Mockyoung", "Final A", 1),
        (2, "Han Gajja", "Final A", 2),
        (3, "Alice Fauxbois", "Final A", 3),
        (4, "Demi Fictiefsma", "Final A", 4),
        (5, "Giulia Finta", "Final B", 1),
        (6, "Britt Nepstra", "Final B", 2),
        # Out in the quarterfinals: by place, then by the time of that race.
        (7, "Brooke Nottareal", "Quarterfinal 2", 4),
        (8, "Yoon Sampleji", "Quarterfinal 1", 4),
        (9, "Anouk Verzinsel", "Quarterfinal 2", 5),
        (10, "Zhang Fakelan", "Quarterfinal 1", 5),
        # Then the repechage semifinals, the repechage quarterfinals, the preliminaries.
        (11, "Liu Mockmei", "Repechage semifinals Heat 1", 3),
        (12, "Claire Madeupton", "Repechage semifinals Heat 1", 4),
        (13, "Ava Pretendson", "Repechage quarterfinals Heat 1", 3),
        (14, "Sara Inventata", "Repechage quarterfinals Heat 2", 3),
        (15, "Ola Fikcyjna", "Repechage quarterfinals Heat 1", 4),
        (16, "Yui Kasouda", "Repechage quarterfinals Heat 2", 4),
        (17, "Mia Testwell", "Preliminaries Heat 2", 3),
        (18, "Zofia Udawana", "Preliminaries Heat 1", 3),
        (19, "Lien Verzonnen", "Preliminaries Heat 1", 4),
        (20, "Rina Mockimura", "Preliminaries Heat 2", 4),
    ]


def test_a_heat_caption_of_another_round_under_a_repechage_heading_is_refused(
    tmp_path: Path,
) -> None:
    first_repechage_row = "| 1 | Britt Nepstra | Netherlands | 1:30.102 | Q |"
    refused, page = fixture_refusal(
        tmp_path,
        EVENT_ID,
        (
            f";Heat 1\n{HEADER}\n{first_repechage_row}",
            f";Semifinal 1\n{HEADER}\n{first_repechage_row}",
        ),
    )
    assert (refused.line, refused.expected, refused.found) == (
        line_of(page, ";Semifinal 1"),
        "a repechage quarterfinals label under 'Repechage quarterfinals'",
        "Semifinal 1",
    )


def test_a_whole_repechage_round_in_one_table_numbers_its_races_in_a_heat_column(
    tmp_path: Path,
) -> None:
    """The repechage semifinal as one table of its round, its race in a `Heat` column."""
    text = (FOLDER / "page.txt").read_text(encoding="utf-8")
    start = text.index(";Heat 1", text.index("===Repechage semifinals==="))
    end = text.index("===Quarterfinals===")
    rows = [line for line in text[start:end].splitlines() if line.startswith("| ")][1:]
    whole = f"| Heat {HEADER}\n" + "".join(f"| 1 {row}\n" for row in rows)
    edited = text[:start] + whole + "\n" + text[end:]
    registry = load_registry(FIXTURES / "registry", "registry")
    toml = (FOLDER / "event.toml").read_bytes()
    whole_round = event_tables(EVENT_ID, "page.txt", edited.encode(), toml, registry)
    as_printed = event_tables(EVENT_ID, "page.txt", text.encode(), toml, registry)
    assert [race.label for race in whole_round.races] == [race.label for race in as_printed.races]

    def facts(tables: EventTables) -> list[tuple[object, ...]]:
        return [(r.race_id, r.entrant_id, r.rank, r.time_ms, r.note) for r in tables.results]

    assert facts(whole_round) == facts(as_printed)
    assert len(facts(whole_round)) == 58


def _copy(tmp_path: Path) -> Path:
    """A private copy of the fixture raw/, and the World Tour event's folder in it."""
    raw = Path(shutil.copytree(FIXTURES, tmp_path / "raw"))
    return raw / "events" / EVENT_ID


def _read(folder: Path) -> EventTables:
    registry = load_registry(folder.parent.parent / "registry", "registry")
    return event_tables(
        EVENT_ID,
        "event",
        (folder / "page.txt").read_bytes(),
        (folder / "event.toml").read_bytes(),
        registry,
    )


@pytest.mark.parametrize(
    ("old", "new", "blamed", "expected"),
    [
        (  # a rule without a note sends to a round, never to one race of it
            'to = "repechage_quarterfinals"',
            'to = "Repechage quarterfinals Heat 1"',
            'to = "Repechage quarterfinals Heat 1"',
            "a round (a rule without a note sends to a round: repechage_quarterfinals, "
            "repechage_semifinals, quarterfinals, semifinals, finals)",
        ),
        (  # a race the page lacks
            'to = "Final B"',
            'to = "Final C"',
            'to = "Final C"',
            "to = a later round (quarterfinals) or a race such as Final A",
        ),
        (
            '{ note = "QB", ranks = [3], to = "Final B" }',
            '{ note = "QB", ranks = [3], to = "Semifinal 3" }',
            'to = "Semifinal 3"',
            "a race of a round after the semifinals (finals)",
        ),
        (
            '{ note = "QA", ranks = [1, 2], to = "Final A" },',
            '{ note = "QA", ranks = [1, 2], to = "Final A" },\n    { note = "QA", ranks = [3] },',
            '{ note = "QA", ranks = [3] }',
            "one note QA in the semifinals (the first at line 72)",
        ),
        (
            '{ ranks = [3, 4], to = "repechage_quarterfinals" },',
            '{ ranks = [3], to = "repechage_quarterfinals" },\n'
            '    { ranks = [4], to = "repechage_quarterfinals" },',
            "{ ranks = [4],",
            "one rule without a note in the heats (the first at line 36)",
        ),
        ("seeded = true", 'seeded = "yes"', 'seeded = "yes"', "rounds.heats.seeded: Input should"),
        (
            "[rounds.preliminaries]\ndate = 2099-11-13",
            "[rounds.preliminaries]\ndate = 2099-11-13\nseeded = true",
            "seeded = true",  # the first of the two
            "seeded = true only on a round after the event's first",
        ),
    ],
)
def test_a_rule_or_seeding_that_cannot_stand_is_refused_at_its_line(
    tmp_path: Path, old: str, new: str, blamed: str, expected: str
) -> None:
    folder = _copy(tmp_path)
    toml = corrupt(folder / "event.toml", old, new)
    with pytest.raises(SourceError) as refused:
        _read(folder)
    assert (refused.value.line, refused.value.expected[: len(expected)]) == (
        line_of(toml, blamed),
        expected,
    )


def test_a_brace_in_a_comment_does_not_move_a_rules_line(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    toml = corrupt(
        folder / "event.toml",
        "advance = [\n    # Page lines 47-69: Q to every skater placed 1-2 in the heats. Review "
        "against the page's\n    # prose (lines 42 and 43). The page's Q skate the quarterfinals "
        'next.\n    { note = "Q", ranks = [1, 2], to = "quarterfinals" },\n',
        '# was: { note = "Q" }\nadvance = [\n    { note = "Q", ranks = [1, 2], to = '
        '"quarterfinals" },  # {\n',
    )
    rules = [(r.round, r.note, r.source_line) for r in _read(folder).advancement_rules]
    assert ("heats", None, line_of(toml, "{ ranks = [3, 4]")) in rules
    assert ("heats", "Q", line_of(toml, '{ note = "Q", ranks = [1, 2], to')) in rules


def test_a_yellow_card_is_sent_nowhere_by_a_rule_without_a_note(tmp_path: Path) -> None:
    """Ola Fikcyjna, 4th in her heat with a yellow card, is out: she skates no repechage."""
    folder = _copy(tmp_path)
    page = folder / "page.txt"
    corrupt(
        page,
        "| 4 | Ola Fikcyjna | Poland | 1:30.455 | |",
        "| 4 | Ola Fikcyjna | Poland | 1:30.455 | YC |",
    )
    corrupt(page, "| 4 | Ola Fikcyjna | Poland | 1:31.006 | |\n", "")
    run = build_and_check(folder.parent.parent, tmp_path / "scratch")
    assert open_failures(run) == set()
    assert [f for f in run.failures if "Ola" in f.message] == []


def test_an_unseeded_heat_says_how_to_declare_its_seeded(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    corrupt(folder / "event.toml", "seeded = true\n", "")
    run = build_and_check(folder.parent.parent, tmp_path / "scratch")
    seeded = [f for f in run.failures if f.check_id == "advancement.only-advancers"]
    assert len(seeded) == 12
    assert seeded[0].found == "no earlier round (seeded? declare seeded = true on the round)"
    assert (
        seeded[0].message
        == "Han Gajja skates Heat 1 without advancing to it from the preliminaries"
    )


def test_a_spelling_of_another_round_does_not_change_the_draft(cli: Cli, tmp_path: Path) -> None:
    """`add` follows each skater by who the registry says it is: Hàn Gajja in a quarterfinal
    is Han Gajja of the heats, not a seeded newcomer."""
    page = Path(shutil.copy(FOLDER / "page.txt", tmp_path / "page.txt"))
    corrupt(
        page,
        "| 1 | Han Gajja | South Korea | 1:28.904 | Q |",
        "| 1 | Hàn Gajja | South Korea | 1:28.904 | Q |",
    )
    raw = tmp_path / "raw"
    (raw / "registry").mkdir(parents=True)
    shutil.copy(RAW / "registry" / "nocs.csv", raw / "registry" / "nocs.csv")
    assert cli("add", str(page), "--raw", str(raw)).code == 0
    drafted = raw / "events" / EVENT_ID / "event.toml"
    assert drafted.read_bytes() == (FOLDER / "event.toml").read_bytes()
    assert cli("run", "--raw", str(raw), "--warehouse", str(tmp_path / "wh")).code == 0


def test_one_unmarked_skater_further_on_drafts_no_rule(tmp_path: Path) -> None:
    """A qualifier's lost Q is a mistake for the checks to find, not a rule to draft."""
    text = (
        (FOLDER / "page.txt")
        .read_text(encoding="utf-8")
        .replace(
            "| 2 | Liu Mockmei | China | 1:30.245 | Q |", "| 2 | Liu Mockmei | China | 1:30.245 | |"
        )
    )
    draft = draft_event(source_from_bytes("page.txt", text.encode()), EVENT_ID)
    [repechage] = [r for r in draft.rounds if r.date.round == "repechage_quarterfinals"]
    assert [(rule.note, rule.ranks, rule.to) for rule in repechage.rules] == [("Q", [1, 2], None)]


def test_rules_written_as_an_array_of_tables_are_found_at_their_headers() -> None:
    lines = [
        "[rounds.heats]",
        "date = 2099-11-14",
        "[[rounds.heats.advance]]",
        'note = "Q"  # { not an item',
        "ranks = [1, 2]",
        "[[rounds.heats.advance]]",
        "ranks = [3, 4]",
        'to = "repechage_quarterfinals"',
        "[rounds.finals]",
        'advance = [{ note = "x{", ranks = [1] }, { note = "Q", ranks = [2] }]',
    ]
    assert array_items(lines, "advance") == {
        ("rounds", "heats"): [3, 6],
        ("rounds", "finals"): [10, 10],
    }
