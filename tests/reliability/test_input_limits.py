"""Input at its limits: every TOML spelling of a waiver, a CSV field past csv's limit, parts of a
message that quote a huge input, a U+2028 inside a registry row, names that only look alike or
look like nothing: exit 2 with one short line, or the right answer, never exit 3. (`pipeline
sql` at its limits: tests/test_sql_streaming.py.)"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import rtoml
from hypothesis import given, settings
from hypothesis import strategies as st

from core.errors import InputError, SourceError
from pipeline.read.toml import array_item_lines
from pipeline.read.waivers import load_waivers
from tests.conftest import SEED, CliResult

Cli = Callable[..., CliResult]
PAGE = f"events/{SEED}/page.txt"
REASON = "The source page miscounts; checked against the official report."


def _run(cli: Cli, raw: Path, tmp_path: Path) -> CliResult:
    return cli("run", "--raw", str(raw), "--warehouse", str(tmp_path / "wh"))


# --- 15. A waiver is found in the parsed TOML, whatever its spelling -------------------------

FIRST = f'check = "tallies.nations"\nfile = "{PAGE}"\nline = 9\nreason = "{REASON}"\n'
SECOND = f'check = "tallies.competitors"\nfile = "{PAGE}"\nline = 8\nreason = """\n{REASON}"""\n'
SPELLINGS = {
    "inline array": (
        "# reviewed\n"
        f'waiver = [\n  {{check = "tallies.nations", file = "{PAGE}", line = 9, '
        f'reason = "{REASON}"}},\n'
        f'  {{check = "tallies.competitors", file = "{PAGE}", line = 8, '
        f'reason = """{REASON}"""}},\n]\n',
        (3, 4),
    ),
    "spaced header": (f"[[ waiver ]]\n{FIRST}\n[[ waiver ]]\n{SECOND}", (1, 7)),
    "comment after the header": (
        f"[[waiver]]  # the first\n{FIRST}[[waiver]]# the second\n{SECOND}",
        (1, 6),
    ),
    "header inside a multi-line string": (
        "[[waiver]]\n"
        + FIRST.replace(f'"{REASON}"', '"""\n' + REASON + '\n[[waiver]]\n"""')
        + f"\n[[waiver]]\n{SECOND}",
        (1, 10),
    ),
}


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_every_toml_spelling_of_a_waiver_is_read_at_its_line(raw_copy: Path, spelling: str) -> None:
    text, lines = SPELLINGS[spelling]
    (raw_copy / "waivers.toml").write_text(text)
    shown = "raw"
    waivers = load_waivers(raw_copy, shown)
    assert [(w.check_id, w.file, w.line, w.source_file, w.source_line) for w in waivers] == [
        ("tallies.nations", f"raw/{PAGE}", 9, "raw/waivers.toml", lines[0]),
        ("tallies.competitors", f"raw/{PAGE}", 8, "raw/waivers.toml", lines[1]),
    ]
    if spelling == "header inside a multi-line string":  # part of the first one's reason
        assert [w.reason for w in waivers] == [f"{REASON}\n[[waiver]]\n", REASON]
    else:
        assert [w.reason for w in waivers] == [REASON, REASON]


def test_a_bad_waiver_in_an_inline_array_is_refused_at_its_line(
    cli: Cli, raw_copy: Path, tmp_path: Path
) -> None:
    text = SPELLINGS["inline array"][0].replace("line = 8", "line = 500")
    (raw_copy / "waivers.toml").write_text(text)
    result = _run(cli, raw_copy, tmp_path)
    assert (result.code, result.out, result.err) == (
        2,
        "",
        f"error: {raw_copy}/waivers.toml:4: expected line = a line of {PAGE} (1 to 124), "
        "found '500'\n",
    )


HEADERS = ["[[waiver]]", "[[ waiver ]]", '[["waiver"]]', "[[ 'waiver']]  # note", "[[waiver]]#"]
DECOYS = [  # lines that look like a waiver's header but are inside a value or a comment
    'basic{n} = """\n[[waiver]]\n"""',
    "literal{n} = '''\n[[waiver]]'''",
    "# [[waiver]]",
    'decoy{n} = "[[waiver]]"',
    "[[waiver.sub]]\nnote = 1",
]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(HEADERS), st.lists(st.sampled_from(DECOYS), max_size=2)),
        max_size=6,
    ),
    st.booleans(),
)
def test_waiver_lines_are_where_the_parser_reads_each_waiver(
    blocks: list[tuple[str, list[str]]], inline: bool
) -> None:
    """Built with a known line per waiver, in either spelling, among decoys: the lines found
    are those, and as many as the parser reads."""
    lines: list[str] = ["title = 'waivers'"]
    expected: list[int] = []
    if inline:
        lines.append("waiver = [")
        for number, (_, decoys) in enumerate(blocks):
            expected.append(len(lines) + 1)
            lines.append(f"  {{n = {number}, s = '{{'}}, # {{ [[waiver]]")
            lines.extend(f"  # {decoy}" for decoy in "\n".join(decoys).split("\n"))
        lines.append("]")
    else:
        for number, (header, decoys) in enumerate(blocks):
            expected.append(len(lines) + 1)
            keyed = "\n".join(decoy.format(n=index) for index, decoy in enumerate(decoys))
            lines.extend([header, f"n = {number}", *keyed.split("\n")])
    text = "\n".join(lines) + "\n"
    document = rtoml.loads(text)
    waivers = document.get("waiver", [])
    assert [waiver["n"] for waiver in waivers] == list(range(len(blocks)))
    assert array_item_lines(text, "waiver") == expected


# --- 16 and 18. Registry rows: csv's field limit; LF lines there and in event.toml ---------


def _append_athletes(raw: Path, text: str) -> None:
    athletes = raw / "registry" / "athletes.csv"
    athletes.write_bytes(athletes.read_bytes() + text.encode())


def test_a_field_over_the_csv_limit_is_refused_at_its_line(
    cli: Cli, raw_copy: Path, tmp_path: Path
) -> None:
    _append_athletes(raw_copy, "big," + "x" * 131_073 + ",KOR\n")
    result = _run(cli, raw_copy, tmp_path)
    assert (result.code, result.out, result.err) == (
        2,
        "",
        f"error: {raw_copy}/registry/athletes.csv:28: expected fields of at most 131,072 "
        f"characters, found {'big,' + 'x' * 96 + '…'!r} (131,081 characters)\n",
    )


def test_a_line_separator_inside_a_row_splits_nothing(
    cli: Cli, raw_copy: Path, tmp_path: Path
) -> None:
    """`str.splitlines` made two rows of this one: a hidden athlete was registered."""
    _append_athletes(raw_copy, "one-athlete,One Athlete,KOR\u2028hidden-athlete,Hidden,KOR\n")
    result = _run(cli, raw_copy, tmp_path)
    assert (result.code, result.err) == (
        2,
        f"error: {raw_copy}/registry/athletes.csv:28: expected 3 fields, found '5 fields'\n",
    )


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85", "\x0c", "\r"])
def test_registry_line_numbers_are_lf_lines(
    cli: Cli, raw_copy: Path, tmp_path: Path, separator: str
) -> None:
    """A line break inside a quoted name leaves the later lines' numbers as an editor shows."""
    _append_athletes(raw_copy, f'sep-name,"Sep{separator}Name",KOR\nli-ye,Li Ye Junior,CHN\n')
    result = _run(cli, raw_copy, tmp_path)
    assert (result.code, result.err) == (
        2,
        f"error: {raw_copy}/registry/athletes.csv:29: expected each athlete_id once, "
        "found 'li-ye'\n",
    )


def test_a_carriage_return_inside_an_unquoted_field_is_refused(
    cli: Cli, raw_copy: Path, tmp_path: Path
) -> None:
    _append_athletes(raw_copy, "one-athlete,One Athlete,KOR\rhidden-athlete,Hidden,KOR\n")
    result = _run(cli, raw_copy, tmp_path)
    assert (result.code, result.err) == (
        2,
        f"error: {raw_copy}/registry/athletes.csv:28: expected a carriage return only at the "
        "end of a line or inside a quoted field, found "
        "'one-athlete,One Athlete,KOR\\rhidden-athlete,Hidden,KOR'\n",
    )


def test_event_toml_lines_are_lf_lines(cli: Cli, raw_copy: Path, tmp_path: Path) -> None:
    """A U+2028 in a comment of event.toml ends no line: the mistake is reported where it is."""
    event_toml = raw_copy / "events" / SEED / "event.toml"
    text = event_toml.read_text()
    event_toml.write_text(
        "# a note\u2028with a line separator\n" + text.replace("fastest = 2", "fastest = 128")
    )
    result = _run(cli, raw_copy, tmp_path)
    assert (result.code, result.err) == (
        2,
        f"error: {raw_copy}/events/{SEED}/event.toml:20: expected rounds.heats.advance.1.fastest: "
        "Input should be less than or equal to 127, found '128'\n",
    )


# --- Names of nothing visible, names that look like another's -----------------------------


@pytest.mark.parametrize(
    "name, shown",
    [
        ("\u200b\u200b", "'\\u200b\\u200b'"),
        ("\u200d \ufeff\u2060", "'\\u200d \\ufeff\\u2060'"),
        ("\u034f\u3164", "'\u034f\u3164'"),  # a grapheme joiner and a Hangul filler
    ],
)
def test_a_name_of_zero_width_characters_is_refused(
    cli: Cli, raw_copy: Path, tmp_path: Path, name: str, shown: str
) -> None:
    _append_athletes(raw_copy, f"nobody,{name},KOR\n")
    result = _run(cli, raw_copy, tmp_path)
    assert (result.code, result.err) == (
        2,
        f"error: {raw_copy}/registry/athletes.csv:28: expected a non-blank name, found {shown}\n",
    )


LOOKS_REFUSED = (
    "error: {raw}/registry/athletes.csv:28: expected a name that does not look like another "
    "athlete's (Paul Stanley at line 5 looks the same; they differ by {letters}; disambiguate "
    "namesakes with distinct registry names and aliases.csv), found {found}\n"
)


@pytest.mark.parametrize(
    "name, letters",
    [
        (
            "\u0420\u0430ul Stanley",  # Cyrillic Р and а
            "U+0420 CYRILLIC CAPITAL LETTER ER, U+0430 CYRILLIC SMALL LETTER A",
        ),
        ("Paul Stanl\u0435y", "U+0435 CYRILLIC SMALL LETTER IE"),
        ("Paul \u0405tanley", "U+0405 CYRILLIC CAPITAL LETTER DZE"),
        ("\u03a1aul Stanley", "U+03A1 GREEK CAPITAL LETTER RHO"),
        ("Paul Stan\u200bley", "U+200B ZERO WIDTH SPACE"),
        ("Paul Stan\u034fley", "U+034F COMBINING GRAPHEME JOINER"),  # default-ignorable
    ],
)
def test_a_name_that_only_looks_like_another_is_refused(
    cli: Cli, raw_copy: Path, tmp_path: Path, name: str, letters: str
) -> None:
    _append_athletes(raw_copy, f"paul-stanley-2,{name},GBR\n")
    result = _run(cli, raw_copy, tmp_path)
    assert (result.code, result.err) == (
        2,
        LOOKS_REFUSED.format(raw=raw_copy, letters=letters, found=repr(name)),
    )


def test_a_cyrillic_name_of_its_own_is_accepted(raw_copy: Path) -> None:
    from pipeline.resolve.registry import load_registry

    _append_athletes(
        raw_copy, "viktor-an-ru,\u0412\u0438\u043a\u0442\u043e\u0440 \u0410\u043d,RUS\n"
    )
    registry = load_registry(raw_copy / "registry", "raw/registry")
    assert registry.by_exact["\u0412\u0438\u043a\u0442\u043e\u0440 \u0410\u043d"] == "viktor-an-ru"


# --- 17. Every part of every message is bounded ---------------------------------------------


def test_an_unclosed_heading_of_99000_signs_gives_a_short_line(
    cli: Cli, raw_copy: Path, tmp_path: Path
) -> None:
    page = raw_copy / PAGE
    lines = page.read_text().split("\n")
    lines.insert(2, "=" * 99_000)
    page.write_text("\n".join(lines))
    result = _run(cli, raw_copy, tmp_path)
    assert (result.code, result.err) == (
        2,
        f"error: {raw_copy}/{PAGE}:3: expected a heading closed by {'=' * 980}… "
        f"(99,019 characters), found {'=' * 100 + '…'!r} (99,000 characters)\n",
    )


def test_every_part_of_an_error_is_bounded() -> None:
    huge = "p" * 50_000
    source = SourceError(huge, 7, huge, huge, advice=huge)
    assert str(source) == (
        f"{'p' * 1000}… (50,000 characters):7: expected {'p' * 1000}… (50,000 characters), "
        f"found {'p' * 100 + '…'!r} (50,000 characters); {'p' * 4000}… (50,000 characters)"
    )
    assert str(InputError(huge, huge)) == (
        f"{'p' * 1000}… (50,000 characters): {'p' * 1000}… (50,000 characters)"
    )


def test_a_waiver_path_holding_nul_is_refused_at_its_line(
    cli: Cli, raw_copy: Path, tmp_path: Path
) -> None:
    (raw_copy / "waivers.toml").write_text(
        '[[waiver]]\ncheck = "tallies.nations"\nfile = "events/\\u0000"\nline = 8\n'
        'reason = "a reviewed reason of some length"\n'
    )
    result = _run(cli, raw_copy, tmp_path)
    assert (result.code, result.err) == (
        2,
        f"error: {raw_copy}/waivers.toml:1: expected file = a path relative to {raw_copy}/ that "
        "stays inside it, found 'events/\\x00'\n",
    )
