"""Corrupted copies of the real page are refused at the exact file and line, never guessed."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import InputErrors, SourceError, messages
from pipeline.derive.from_raw import folder_event_tables
from pipeline.read.printed import PrintedEntrant
from pipeline.resolve.registry import load_registry
from tests.conftest import FIXTURES, SEED, corrupt, fixture_refusal, line_of

RELAY = "2099-women-3000m-relay"

PAGE_CASES = [
    # (old text, new text, text of the line that must be blamed, words of the expectation)
    (
        "| 1 | Li Ye | | 1:27.048 | Q |",
        "| 1 | Lee Yee | | 1:27.048 | Q |",
        "Lee Yee",
        "an athlete in raw/registry/athletes.csv or aliases.csv",
    ),
    (
        "| 3 | Peter Darazs | | 1:27.929 | q |",
        "| 3 | Peter Darazs | 1:27.929 | q |",
        "Peter Darazs | 1:27.929",
        "6 cells as in the header at line 36",
    ),
    (
        "| 3 | Pieter Gysel | | 1:27.994 | q |",
        "| 3 | Pieter Gysel | | 1:27.994 | q | x |",
        "Pieter Gysel | | 1:27.994 | q | x",
        "6 cells as in the header at line 36",
    ),
    (
        ";Quarterfinal 1\n| Rank |",
        ";Quarterfinal 1\n| Position |",
        "| Position |",
        "a column header, one of: Heat, Quarterfinal, Semifinal, Race, Rank, Place, Athlete",
    ),
    (
        ";Quarterfinal 1\n| Rank | Athlete | Country | Result | Notes |",
        ";Quarterfinal 1\n| Rank | Athlete | Country | Notes |",
        "| Rank | Athlete | Country | Notes |",
        "a Result / Time column",
    ),
    (
        "| 1 | Li Ye | | 1:27.048 | Q |",
        "| 1 | Li Ye | | 1:27:048 | Q |",
        "1:27:048",
        "a time like 1:27.048 or 41.80, or DQ/DNF/DNS/no time",
    ),
    (
        "| 2 | Satoru Terao |",
        "| two | Satoru Terao |",
        "| two |",
        "a rank (a whole number up to 127) or –",
    ),
    (";Quarterfinal 2", ";Quaterfinal 2", "Quaterfinal 2", "a round label (Heats, Heat 1"),
    (";Quarterfinal 4", ";Semifinal 4", ";Semifinal 4", "a quarterfinals label under"),
    (
        "| 18 February | Quarterfinal 1 |",
        "| 18 February | Quarterfinal 9 |",
        "Quarterfinal 9",
        "a race of this page (Heat 1,",
    ),
    (
        "| 15 February | Heat 1 |",
        "| 31 February | Heat 1 |",
        "31 February",
        "a date such as 15 February",
    ),
    (
        "| 15 February | Heat 1 | | 1:27.048 | OR | |",
        "| 15 February | Heat 1 | | 1:27.048 | OR | OR |",
        "1:27.048 | OR | OR",
        "WR or an empty cell",
    ),
    (
        "- Competitors: 26",
        "- Competitors: twenty-six",
        "Competitors",
        "Competitors as a whole number up to 9999",
    ),
    (
        "- Dates: 15–18 February 2006",
        "- Dates: mid-February 2006",
        "- Dates",
        "Dates such as 15–18 February 2006",
    ),
    (
        "- Event: Men's 1000 metres",
        "- Event: Men's 5000 metre hurdles",
        "- Event:",
        "an event such as Men's 1000 metres, Women's 3000 metre relay or Mixed 2000 metre relay",
    ),
    ("- Gold: Ahn Hyun-soo", "- Gold: Ahn Hyun", "- Gold:", "an athlete in raw/registry"),
    ("==Results==", "==Resultats==", "| Heat | Rank |", "tables only under ==Records=="),
    (
        "===Quarterfinals===",
        "===Quarter finals===",
        "===Quarter finals===",
        "a round heading (Heats, Heat 1",
    ),
    (
        "| 1 | Li Ye | |",
        "| 1 | Li Ye | KOR |",
        "| Li Ye | KOR |",
        "CHN for Li Ye (raw/registry/athletes.csv:2 or a change in nationalities.csv)",
    ),
    (
        "| 1 | Li Ye | |",
        "| 1 | Li Ye | Narnia |",
        "| Li Ye | Narnia |",
        "a NOC code or nation name from raw/registry/nocs.csv, or a spelling from nation_names.csv",
    ),
    ("| 1 | 1 | Li Ye |", "| x | 1 | Li Ye |", "| x | 1 | Li Ye", "a race number from 1 to 99"),
    # Layout mistakes: the parser names what it knows instead of guessing.
    (
        "\nHeats\n| Heat |",
        "\n;Heat 1\n| Heat |",
        ";Heat 1",
        "no Heat column under a single race label",
    ),
    (
        ";Quarterfinal 1",
        ";Quarterfinals",
        ";Quarterfinals",
        "a race-number column (Heat, Quarterfinal, Semifinal), or a label naming one race, "
        "e.g. Quarterfinal 1",
    ),
    (
        "| 1 | Li Ye | |",
        "| 1 | Li Ye (CHN) | KOR |",
        "Li Ye (CHN) | KOR",
        "the country cell to agree with the bracketed CHN",
    ),
    (
        "| Date | Event | Team |",
        "| Date | Event | Holder |",
        "| Date | Event | Holder |",
        "a column header, one of: Date, Event, Race, Round, Team",
    ),
    (
        "| 15 February | Heat 1 | |",
        "| 15 February | Heat 1 | Nobody |",
        "| Nobody |",
        "an athlete in raw/registry/athletes.csv",
    ),
    (
        "| Date | Event | Team | Time | OR | WR |",
        "| Date | Event | Team | Time | OR |",
        "| Date | Event | Team | Time | OR |",
        "OR and WR columns, or a Record column",
    ),
]


def refusal(raw_copy: Path, seed_copy: Path) -> SourceError:
    """The error that parsing the (corrupted) seed event in raw_copy must raise."""
    registry = load_registry(raw_copy / "registry", "raw/registry")
    with pytest.raises(SourceError) as caught:
        folder_event_tables(seed_copy.parent, f"raw/events/{SEED}", registry)
    return caught.value


@pytest.mark.parametrize("old, new, blamed, expected", PAGE_CASES)
def test_corrupted_page_is_refused_at_its_line(
    raw_copy: Path, seed_copy: Path, old: str, new: str, blamed: str, expected: str
) -> None:
    corrupt(seed_copy, old, new)
    error = refusal(raw_copy, seed_copy)
    assert (error.path, error.line) == (
        f"raw/events/{SEED}/page.txt",
        line_of(seed_copy, blamed),
    )
    assert error.expected.startswith(expected), error.expected


def test_a_second_table_for_one_race_is_refused(raw_copy: Path, seed_copy: Path) -> None:
    corrupt(seed_copy, ";Quarterfinal 2", ";Quarterfinal 1")
    error = refusal(raw_copy, seed_copy)
    assert str(error) == (
        f"raw/events/{SEED}/page.txt:75: expected one table for Quarterfinal 1 "
        "(already at line 67), found 'Quarterfinal 1'"
    )


def test_a_name_matching_two_athletes_is_refused(raw_copy: Path, seed_copy: Path) -> None:
    athletes = raw_copy / "registry" / "athletes.csv"
    athletes.write_text(athletes.read_text() + "ahn-hyun-soo-b,AHN HYUN-SOO,KOR\n")
    registry = load_registry(raw_copy / "registry", "raw/registry")
    with pytest.raises(InputErrors) as refused:
        folder_event_tables(raw_copy / "events" / SEED, f"raw/events/{SEED}", registry)
    # Every line printing the ambiguous spelling is refused in one run, in page order.
    assert messages(refused.value) == [
        f"raw/events/{SEED}/page.txt:{line}: expected a name that matches one athlete "
        "(disambiguate namesakes with distinct registry names and aliases.csv), "
        f"found '{name} (matches ahn-hyun-soo, ahn-hyun-soo-b)'"
        for line, name in ((77, "Ahn Hyun-Soo"), (110, "Ahn Hyun-Soo"))
    ]


def test_an_alias_of_two_athletes_is_refused_at_the_page_line(
    raw_copy: Path, seed_copy: Path
) -> None:
    aliases = raw_copy / "registry" / "aliases.csv"
    aliases.write_text(aliases.read_text() + 'li juajun,li-ye,"The same misspelling, for Li Ye."\n')
    error = refusal(raw_copy, seed_copy)
    assert (error.line, error.found) == (84, "Li Juajun (matches li-jiajun, li-ye)")
    assert "disambiguate namesakes" in error.expected


TOML_CASES = [
    (
        '{ label = "Final B"',
        '{ label = "Final A"',
        '{ label = "Final A"',
        "a race with no table (the page has Final A at line 118)",
    ),
    ('{ label = "Final B"', '{ label = "Heat 2"', '"Heat 2"', "a finals race label"),
    (
        "[rounds.semifinals]",
        "[rounds.semis]",
        "[rounds.semis]",
        "rounds.semis: Input should be 'preliminaries', 'heats', 'repechage_quarterfinals', "
        "'repechage_semifinals', 'quarterfinals', 'semifinals' or 'finals'",
    ),
    (
        '{ note = "q", ranks = [3]',
        '{ note = "q", ranks = [3, 5]',
        "ranks = [3, 5]",
        "rounds.heats.advance.1.ranks: Value error, ranks must be consecutive",
    ),
    (
        'time = "1:27.185"',
        'time = "1:27.1855"',
        'time = "1:27.1855"',
        "prior_record.time: Value error, time must look like",
    ),
    ("date = 2006-02-15", "date = 2006-02-30", "date = 2006-02-30", "valid TOML"),
    (
        'to = "Final A"',
        'to = "Final C"',
        'to = "Final C"',
        "to = a later round (quarterfinals) or a race such as Final A",
    ),
    # A rule's `to` names a later round the page has, or a race of one.
    (
        'to = "Final A"',
        'to = "quarterfinals"',
        'to = "quarterfinals"',
        "a round after the semifinals that the page has (finals)",
    ),
    (
        'to = "Final A"',
        'to = "repechage_semifinals"',
        'to = "repechage_semifinals"',
        "a round after the semifinals that the page has (finals)",
    ),
    (
        'to = "Final A"',
        'to = "Heat 1"',
        'to = "Heat 1"',
        "a race of a round after the semifinals (finals)",
    ),
    # A rule without a note says where it sends, and is no `fastest` rule.
    (
        '{ note = "q", ranks = [3], fastest = 2 }',
        "{ ranks = [3] }",
        "{ ranks = [3] }",
        "rounds.heats.advance.1: Value error, a rule without a note needs `to`",
    ),
    (
        '{ note = "q", ranks = [3], fastest = 2 }',
        '{ ranks = [3], fastest = 2, to = "quarterfinals" }',
        "{ ranks = [3], fastest = 2",
        "rounds.heats.advance.1: Value error, a rule without a note needs `to`",
    ),
    # Ranks and fastest are int8 columns: beyond 127 Arrow would fail after parsing (exit 3).
    (
        "ranks = [3], fastest = 2 }",
        "ranks = [3], fastest = 128 }",
        "fastest = 128",
        "rounds.heats.advance.1.fastest: Input should be less than or equal to 127",
    ),
    (
        'ranks = [3, 4], to = "Final B"',
        'ranks = [127, 128], to = "Final B"',
        "ranks = [127, 128]",
        "rounds.semifinals.advance.1.ranks.1: Input should be less than or equal to 127",
    ),
]


@pytest.mark.parametrize("old, new, blamed, expected", TOML_CASES)
def test_corrupted_event_file_is_refused_at_its_line(
    raw_copy: Path, seed_copy: Path, old: str, new: str, blamed: str, expected: str
) -> None:
    toml = corrupt(seed_copy.parent / "event.toml", old, new)
    error = refusal(raw_copy, seed_copy)
    assert (error.path, error.line) == (
        f"raw/events/{SEED}/event.toml",
        line_of(toml, blamed),
    )
    assert error.expected.startswith(expected), error.expected


def test_a_page_round_missing_from_the_event_file_is_refused(
    raw_copy: Path, seed_copy: Path
) -> None:
    toml = seed_copy.parent / "event.toml"
    text = toml.read_text()
    toml.write_text(text[: text.index("# Held between")])
    error = refusal(raw_copy, seed_copy)
    assert str(error) == (
        f"raw/events/{SEED}/page.txt:101: expected a [rounds.semifinals] entry with its date "
        f"in raw/events/{SEED}/event.toml, found 'semifinals'"
    )


def test_every_unknown_name_and_nation_of_a_page_is_reported_in_one_run(
    raw_copy: Path, seed_copy: Path
) -> None:
    corrupt(seed_copy, "- Bronze: Apolo Anton Ohno", "- Bronze: Apolo Ohno")
    corrupt(seed_copy, "| 4 | 2 | Matus Uzak |", "| 4 | 2 | Matus Usak |")
    corrupt(seed_copy, "| 2 | Li Ye | |", "| 2 | Li Ye | Atlantis |")
    corrupt(seed_copy, "| 4 | Dariusz Kulesza |", "| 4 | Dariusz Kulezsa |")
    registry = load_registry(raw_copy / "registry", "raw/registry")
    with pytest.raises(InputErrors) as refused:
        folder_event_tables(raw_copy / "events" / SEED, f"raw/events/{SEED}", registry)
    page = f"raw/events/{SEED}/page.txt"
    unknown = "expected an athlete in raw/registry/athletes.csv or aliases.csv"
    assert messages(refused.value) == [
        f"{page}:14: {unknown}, found 'Apolo Ohno'",  # too far from Apolo Anton Ohno to guess
        f"{page}:49: {unknown}, found 'Matus Usak'{did_you_mean('Matus Uzak', 'matus-uzak')}",
        f"{page}:70: expected a NOC code or nation name from raw/registry/nocs.csv, or a "
        "spelling from nation_names.csv, found 'Atlantis'",
        f"{page}:80: {unknown}, found 'Dariusz Kulezsa'"
        + did_you_mean("Dariusz Kulesza", "dariusz-kulesza"),
    ]


def did_you_mean(name: str, athlete_id: str) -> str:
    """The advice after an unknown name that is a few edits from a registered one."""
    return (
        f"; did you mean {name} ({athlete_id})? A misspelling of the page is declared in "
        "raw/registry/aliases.csv (alias,athlete_id,reason)"
    )


def test_every_event_file_mistake_is_reported_in_one_run(raw_copy: Path) -> None:
    toml = raw_copy / "events" / SEED / "event.toml"
    corrupt(toml, 'kind = "OR"', 'kind = "XR"')
    corrupt(
        toml, '{ note = "q", ranks = [3], fastest = 2 }', '{ note = "q", ranks = [3], fastest = 0 }'
    )
    registry = load_registry(raw_copy / "registry", "raw/registry")
    with pytest.raises(InputErrors) as refused:
        folder_event_tables(raw_copy / "events" / SEED, f"raw/events/{SEED}", registry)
    lines = [message.split(": expected")[0] for message in messages(refused.value)]
    assert lines == [
        f"raw/events/{SEED}/event.toml:{line_of(toml, 'kind = ')}",
        f"raw/events/{SEED}/event.toml:{line_of(toml, 'fastest = 0')}",
    ]


def test_every_unreadable_row_of_a_page_is_reported_in_one_run(
    raw_copy: Path, seed_copy: Path
) -> None:
    corrupt(
        seed_copy, "| 1 | 2 | Nicola Rodigari | | 1:27.184 | Q |", "| 1 | 2 | Nicola Rodigari |"
    )
    corrupt(seed_copy, "| 3 | Satoru Terao | | 1:28.499 |", "| 3 | Satoru Terao | | 1:28.4x9 |")
    corrupt(seed_copy, "| 4 | Peter Darazs |", "| four | Peter Darazs |")
    registry = load_registry(raw_copy / "registry", "raw/registry")
    with pytest.raises(InputErrors) as refused:
        folder_event_tables(raw_copy / "events" / SEED, f"raw/events/{SEED}", registry)
    assert [message.split(": expected")[0] for message in messages(refused.value)] == [
        f"raw/events/{SEED}/page.txt:{line_of(seed_copy, text)}"
        for text in ("| Nicola Rodigari |", "1:28.4x9", "| four | Peter Darazs |")
    ]


def test_every_unreadable_results_table_is_reported_in_one_run(
    raw_copy: Path, seed_copy: Path
) -> None:
    corrupt(seed_copy, ";Quarterfinal 2\n| Rank | Athlete |", ";Quarterfinal 2\n| Rank | Lane |")
    corrupt(seed_copy, ";Semifinal 1", ";Semifinal one")
    registry = load_registry(raw_copy / "registry", "raw/registry")
    with pytest.raises(InputErrors) as refused:
        folder_event_tables(raw_copy / "events" / SEED, f"raw/events/{SEED}", registry)
    assert [message.split(": expected")[0] for message in messages(refused.value)] == [
        f"raw/events/{SEED}/page.txt:{line_of(seed_copy, '| Rank | Lane |')}",
        f"raw/events/{SEED}/page.txt:{line_of(seed_copy, ';Semifinal one')}",
    ]


def test_a_malformed_deficit_cell_is_refused_at_its_line(tmp_path: Path) -> None:
    """The later layout's Deficit/Gap column is read, not skipped: a cell that is no gap is
    refused (a mutation that dropped this check went unseen)."""
    gap = ("| 1:25.600 | +0.300 | Q |", "| 1:25.600 | +0.3O0 | Q |")
    refused, page = fixture_refusal(tmp_path, "2099-men-1000m", gap)
    assert (refused.line, refused.expected, refused.found) == (
        line_of(page, "+0.3O0"),
        "a gap such as +0.147, or –",
        "+0.3O0",
    )


def test_a_page_without_a_title_shows_what_its_first_line_holds(
    raw_copy: Path, seed_copy: Path
) -> None:
    """Found by a newcomer's trial: every such page said found 'none'."""
    first = seed_copy.read_text(encoding="utf-8").split("\n", 1)[0]
    corrupt(seed_copy, first, "Hello world")
    registry = load_registry(raw_copy / "registry", "raw/registry")
    with pytest.raises(SourceError) as refused:
        folder_event_tables(seed_copy.parent, f"raw/events/{SEED}", registry)
    assert str(refused.value) == (
        f"raw/events/{SEED}/page.txt:1: expected a title line '= … =', found 'Hello world'"
    )


def test_a_short_row_hides_no_other_problem_of_its_table(raw_copy: Path, seed_copy: Path) -> None:
    """Found by a newcomer's trial: a row with a cell too many was reported alone, the bad time
    and rank above it in the same table only after it was fixed."""
    corrupt(seed_copy, "| 1 | 1 | Li Ye | | 1:27.048 | Q |", "| 1 | 1 | Li Ye | | 1:27,048 | Q |")
    corrupt(seed_copy, "| 1 | 2 | Nicola Rodigari |", "| 1 | two | Nicola Rodigari |")
    corrupt(
        seed_copy,
        "| 1 | 4 | Paul Stanley | | 1:28.511 | |",
        "| 1 | 4 | Paul Stanley | | 1:28.511 | | x |",
    )
    registry = load_registry(raw_copy / "registry", "raw/registry")
    with pytest.raises(InputErrors) as refused:
        folder_event_tables(raw_copy / "events" / SEED, f"raw/events/{SEED}", registry)
    assert [message.split(": expected")[0] for message in messages(refused.value)] == [
        f"raw/events/{SEED}/page.txt:{line_of(seed_copy, text)}"
        for text in ("1:27,048", "| 1 | two |", "| | x |")
    ]


@pytest.mark.parametrize("event_id", ["2099-men-1000m", RELAY])
def test_every_printed_entrant_is_resolved_by_one_resolver(
    monkeypatch: pytest.MonkeyPatch, event_id: str
) -> None:
    """Issue 22: one athlete-or-team resolver for the infobox's medallists, the records
    table's holders and the results rows, in individual events and relays alike."""
    from pipeline.resolve.entrant import Entrant, EntrantResolver

    lines: list[int] = []
    resolve = EntrantResolver.resolve

    def counted(self: EntrantResolver, printed: PrintedEntrant) -> Entrant:
        lines.append(printed.line)
        return resolve(self, printed)

    monkeypatch.setattr(EntrantResolver, "resolve", counted)
    registry = load_registry(FIXTURES / "registry", "raw/registry")
    tables = folder_event_tables(FIXTURES / "events" / event_id, f"raw/events/{event_id}", registry)
    medals = [medal.source_line for medal in tables.medals]
    holders = [record.source_line for record in tables.records if record.holder_as_printed]
    results = [result.source_line for result in tables.results]
    assert len(medals) == 3 and holders and results
    assert lines == [*medals, *holders, *results]


def test_a_row_with_an_unknown_athlete_and_an_unreadable_time_reports_both(
    raw_copy: Path, seed_copy: Path
) -> None:
    """Reading comes before resolving, and resolving reads every printed entrant: the bad time
    no longer hides the unknown name of its row (nor the name the time)."""
    corrupt(seed_copy, "| 1 | 1 | Li Ye | | 1:27.048 | Q |", "| 1 | 1 | Li Yee | | 1:27,048 | Q |")
    registry = load_registry(raw_copy / "registry", "raw/registry")
    with pytest.raises(InputErrors) as refused:
        folder_event_tables(raw_copy / "events" / SEED, f"raw/events/{SEED}", registry)
    line = line_of(seed_copy, "Li Yee")
    assert sorted(messages(refused.value)) == [
        f"raw/events/{SEED}/page.txt:{line}: expected a time like 1:27.048 or 41.80, or "
        "DQ/DNF/DNS/no time, found '1:27,048'",
        f"raw/events/{SEED}/page.txt:{line}: expected an athlete in raw/registry/athletes.csv "
        "or aliases.csv, found 'Li Yee'" + did_you_mean("Li Ye", "li-ye"),
    ]


def test_another_converters_layout_is_named_at_its_lines_in_one_run(
    raw_copy: Path, seed_copy: Path
) -> None:
    """Issue 23, 8: tables without their leading `|` parsed to no tables without a word, and an
    `[Infobox …]` with `key: value` lines was 'no infobox' at line 1."""
    corrupt(seed_copy, "Infobox\n", "[Infobox Olympic event]\n")
    heat_1 = "| 1 | 1 | Li Ye | | 1:27.048 | Q |\n| 1 | 2 |"
    corrupt(seed_copy, heat_1, heat_1.replace("| ", "", 1).replace("\n| ", "\n", 1))
    registry = load_registry(raw_copy / "registry", "raw/registry")
    with pytest.raises(InputErrors) as refused:
        folder_event_tables(raw_copy / "events" / SEED, f"raw/events/{SEED}", registry)
    page = f"raw/events/{SEED}/page.txt"
    assert messages(refused.value) == [
        f"{page}:{line_of(seed_copy, '[Infobox')}: expected an infobox in this layout: a line "
        "'Infobox', then '- Key: Value' lines, found '[Infobox Olympic event]'",
        f"{page}:{line_of(seed_copy, '1 | 1 | Li Ye')}: expected a table row with a leading |, "
        "found '1 | 1 | Li Ye | | 1:27.048 | Q |'",
    ]


def test_an_event_page_without_a_results_table_is_refused_at_its_heading(
    raw_copy: Path, seed_copy: Path
) -> None:
    text = seed_copy.read_text(encoding="utf-8")
    seed_copy.write_text(text[: text.index("==Results==")] + "==Results==\n", encoding="utf-8")
    refused = refusal(raw_copy, seed_copy)
    assert str(refused) == (
        f"raw/events/{SEED}/page.txt:{line_of(seed_copy, '==Results==')}: expected a results "
        "table under ==Results==, found 'none'"
    )


def test_one_line_of_prose_with_bars_is_prose_not_a_lost_table(
    raw_copy: Path, seed_copy: Path
) -> None:
    """Found by review: `Times | ranks | notes are as printed.` under ==Results== was refused
    as a table row without its leading |; a page must never need an edit to be read."""
    corrupt(seed_copy, "===Heats===\n", "===Heats===\nTimes | ranks | notes are as printed.\n")
    registry = load_registry(raw_copy / "registry", "raw/registry")
    tables = folder_event_tables(raw_copy / "events" / SEED, f"raw/events/{SEED}", registry)
    assert len(tables.results) == 58


def test_a_race_label_without_its_table_is_refused_at_the_label(
    raw_copy: Path, seed_copy: Path
) -> None:
    """Found by a newcomer's trial: `;Final A` left above no table was dropped without a word
    (and pipeline add declared Final A not contested)."""
    text = seed_copy.read_text(encoding="utf-8")
    start = text.index(";Final A\n") + len(";Final A\n")
    end = text.find("\n\n", start)
    rest = "" if end < 0 else text[end + 1 :]
    seed_copy.write_text(text[:start] + rest, encoding="utf-8")
    refused = refusal(raw_copy, seed_copy)
    assert str(refused) == (
        f"raw/events/{SEED}/page.txt:{line_of(seed_copy, ';Final A')}: expected a table right "
        "below the label, found ';Final A'"
    )


def test_one_row_that_lost_its_bar_beside_a_table_is_refused(
    raw_copy: Path, seed_copy: Path
) -> None:
    """Found by review: a single row without its leading | was taken for prose and dropped."""
    corrupt(seed_copy, "| 5 | Li Ye | | 1:29.918 | |", "5 | Li Ye | | 1:29.918")
    refused = refusal(raw_copy, seed_copy)
    assert (refused.line, refused.expected) == (
        line_of(seed_copy, "5 | Li Ye | | 1:29.918"),
        "a table row with a leading |",
    )
