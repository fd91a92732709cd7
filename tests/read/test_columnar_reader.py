"""The columnar reader against its oracle, the row reader, over every page the tests hold: the
bundled raw/, the fictional fixtures, every layout variant, a generated corpus, every
corruption the checks are tested with, the refused pages, and hypothesis's edits of the seed
page. Where the row reader reads a chunk, the columnar reader gives exactly its rows (order
included) and its printed results; where the row reader refuses one, the columnar reader gives
nothing (the chunk is then read row by row, which words the problem)."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.generate import generate
from core.errors import PipelineError, SourceError
from pipeline.derive.columnar import EventFiles, chunk_tables, columnar_tables
from pipeline.derive.event_rows import EventTables
from pipeline.derive.from_raw import event_tables
from pipeline.ingest import build_tables, parse_chunk
from pipeline.read.event_page import read_event_files
from pipeline.read.folder import read_event
from pipeline.read.problems import Problems
from pipeline.read.result_cell_columns import Unreadable
from pipeline.read.result_columns import (
    PendingPage,
    read_result_columns,
    read_rows_later,
)
from pipeline.read.results import ResultsOnPage
from pipeline.resolve.registry import Registry, load_registry
from tests.add.helpers import Cli
from tests.checks.corruptions import CORRUPTIONS, WARNINGS
from tests.checks.harness import Corruption
from tests.conftest import FIXTURES, RAW, SEED
from tests.read import variants
from tests.read.test_layouts import LAYOUTS, SEED_TEXT
from tests.read.test_refusals import PAGE_CASES
from tests.reliability.test_fuzz import EDIT, LINES, apply


def events_of(raw: Path, edits: dict[tuple[str, str], bytes] | None = None) -> list[EventFiles]:
    """Every event of a raw/ folder as the ingest reads it, with some files replaced."""
    events = []
    for folder in sorted((raw / "events").iterdir()):
        page, toml = read_event(folder, folder.as_posix())
        edits = edits or {}
        page = edits.get((folder.name, "page.txt"), page)
        toml = edits.get((folder.name, "event.toml"), toml)
        events.append(EventFiles(folder.name, folder.as_posix(), page, toml))
    return events


def registry_of(raw: Path) -> Registry:
    return load_registry(raw / "registry", (raw / "registry").as_posix())


def row_read(events: Sequence[EventFiles], registry: Registry) -> list[EventTables] | None:
    """The row reader's tables; None where it refuses an event."""
    try:
        return [event_tables(*event, registry) for event in events]
    except PipelineError:
        return None


def results_both(events: Sequence[EventFiles]) -> tuple[list[ResultsOnPage], list[ResultsOnPage]]:
    """Each page's printed results by the row reader and by the columnar reader."""
    rows = [read_event_files(*event, Problems()).results for event in events]
    pending: list[PendingPage] = []
    for event in events:
        read_event_files(*event, Problems(), read_rows_later(pending))
    return rows, read_result_columns(pending)


def assert_same_as_oracle(events: Sequence[EventFiles], registry: Registry) -> None:
    """The columnar reader reads the chunk, exactly as the row reader does."""
    expected = row_read(events, registry)
    assert expected is not None, "the row reader refuses this chunk"
    assert columnar_tables(events, registry) == expected
    by_rows, by_columns = results_both(events)
    assert by_columns == by_rows


def assert_refused_by_both(events: Sequence[EventFiles], registry: Registry) -> None:
    assert row_read(events, registry) is None
    with pytest.raises((Unreadable, PipelineError)):
        columnar_tables(events, registry)


def seed_edited(page: str | bytes) -> list[EventFiles]:
    data = page.encode() if isinstance(page, str) else page
    return events_of(RAW, {(SEED, "page.txt"): data})


@pytest.fixture(scope="module")
def raw_registry() -> Registry:
    return registry_of(RAW)


@pytest.fixture(scope="module")
def fixture_registry() -> Registry:
    return registry_of(FIXTURES)


def test_bundled_pages(raw_registry: Registry) -> None:
    events = events_of(RAW)
    assert_same_as_oracle(events, raw_registry)
    rows = columnar_tables(events, raw_registry)[0].results
    assert len(rows) == 58 and rows[0].source_line == 37  # `| 1 | 1 | Li Ye | | 1:27.048 | Q |`


def test_fixture_pages_one_chunk_and_each_alone(fixture_registry: Registry) -> None:
    events = events_of(FIXTURES)
    assert len(events) == 6
    assert_same_as_oracle(events, fixture_registry)
    for event in events:
        assert_same_as_oracle([event], fixture_registry)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_layout_variants(raw_registry: Registry, layout: str) -> None:
    assert_same_as_oracle(seed_edited(LAYOUTS[layout](SEED_TEXT)), raw_registry)


@pytest.mark.parametrize("form", ["noc", "name", "bracket"])
def test_filled_country_variants(raw_registry: Registry, form: str) -> None:
    page = variants.fill_country(SEED_TEXT, raw_registry, form)
    assert_same_as_oracle(seed_edited(page), raw_registry)


def test_file_from_another_system(raw_registry: Registry) -> None:
    assert_same_as_oracle(seed_edited(variants.windows_file(SEED_TEXT)), raw_registry)


def test_generated_corpus(tmp_path: Path) -> None:
    generate(60, tmp_path / "raw")
    events = events_of(tmp_path / "raw")
    assert_same_as_oracle(events, registry_of(tmp_path / "raw"))


EDITED = [case for case in (*CORRUPTIONS, *WARNINGS) if case.file in ("page.txt", "event.toml")]


@pytest.mark.parametrize("case", EDITED, ids=[case.name for case in EDITED])
def test_corrupted_pages_the_checks_catch(
    case: Corruption, raw_registry: Registry, fixture_registry: Registry
) -> None:
    registry = raw_registry if case.raw == RAW else fixture_registry
    original = (case.raw / "events" / case.event / case.file).read_text(encoding="utf-8")
    assert original.count(case.old) >= case.count
    edited = original.replace(case.old, case.new, case.count).encode()
    assert_same_as_oracle(events_of(case.raw, {(case.event, case.file): edited}), registry)


@pytest.mark.parametrize("old, new", [case[:2] for case in PAGE_CASES])
def test_refused_pages(raw_registry: Registry, old: str, new: str) -> None:
    assert SEED_TEXT.count(old) >= 1
    events = seed_edited(SEED_TEXT.replace(old, new, 1))
    assert_refused_by_both(events, raw_registry)
    # The chunk is then read row by row: the row reader's own error, as the build raises it.
    with pytest.raises(PipelineError) as by_rows:
        [event_tables(*event, raw_registry) for event in events]
    with pytest.raises(PipelineError) as by_chunk:
        chunk_tables(events, raw_registry)
    assert str(by_chunk.value) == str(by_rows.value)


def test_the_build_reads_results_rows_as_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    """A clean corpus never falls back to the row reader."""

    def refuse(*_: object) -> EventTables:
        raise AssertionError("the row reader was used")

    monkeypatch.setattr("pipeline.derive.columnar.event_tables", refuse)
    tables = build_tables(FIXTURES)
    assert tables["results"].num_rows > 0


def test_a_build_says_how_many_events_the_columnar_reader_declined(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A declined chunk costs only time (the row reader reads alike), but the build says so."""

    def decline(*_: object) -> list[EventTables]:
        raise Unreadable

    warehouse = str(tmp_path / "wh")
    clean = cli("run", "--raw", str(FIXTURES), "--warehouse", warehouse, "--full")
    assert clean.code == 0 and "(6 events);" in clean.out and "row by row" not in clean.out
    monkeypatch.setattr("pipeline.derive.columnar.columnar_tables", decline)
    declined = cli("run", "--raw", str(FIXTURES), "--warehouse", warehouse, "--full")
    assert declined.code == 0
    summary = "(6 events; 6 events parsed row by row, declined by the columnar reader);"
    assert summary in declined.out


# hypothesis runs a test many times: the registries are loaded once
FUZZ_REGISTRY, FIXTURE_REGISTRY = registry_of(RAW), registry_of(FIXTURES)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(EDIT, min_size=1, max_size=4))
def test_edited_seed_pages(edits: list[tuple[str, int, int, str]]) -> None:
    lines = LINES
    for edit in edits:
        lines = apply(lines, edit)
    events = seed_edited("\n".join(lines))
    registry = FUZZ_REGISTRY
    if row_read(events, registry) is None:
        assert_refused_by_both(events, registry)
    else:
        assert_same_as_oracle(events, registry)


# Cells as results rows print them, and the edge cases of each kind of cell: the row reader
# and the columnar reader must agree on every one, in every column it lands in.
CELL_TOKENS = st.sampled_from(
    [
        *("0", "007", "127", "128", "00000000000000000001", "1" * 19, "–", "—", "-", ""),
        *("1:27.048", "9:59.99", "59.9", "1:60.000", "01:27.048", "1:27.0480", "41.80"),
        *("+0.147", "++0.1", "+", "dq", "Dsq", "no time", "NO  TIME", "DNſ", "ß", "dnf"),
        *("Q, OR", "ADV A", "QA WR", "PEN", "YC", "q", "WR OR"),
        *("A", "b", "C", "99", "100", "07", "1"),
        *("\x1c", "\u2003", "\x85", " \t ", "A<br>B", "A, B", " / ", "Li Ye (CHN)", "|"),
    ]
)
CELL_EDIT = st.tuples(
    st.integers(0, 10_000), st.integers(0, 10), st.lists(CELL_TOKENS, min_size=1, max_size=2)
)
PAGES = [(RAW, SEED), *((FIXTURES, folder.name) for folder in (FIXTURES / "events").iterdir())]


def edit_cell(lines: list[str], edit: tuple[int, int, list[str]]) -> list[str]:
    """Replace one cell of one table row (a header too) with the tokens, space-padded or not."""
    row_at, cell_at, tokens = edit
    rows = [index for index, line in enumerate(lines) if line.startswith("|")]
    index = rows[row_at % len(rows)]
    cells = lines[index].split("|")
    cells[1 + cell_at % max(len(cells) - 2, 1)] = (
        " ".join(tokens) if cell_at % 2 else "".join(tokens)
    )
    return [*lines[:index], "|".join(cells), *lines[index + 1 :]]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(PAGES), st.lists(CELL_EDIT, min_size=1, max_size=5))
def test_edited_cells(page: tuple[Path, str], edits: list[tuple[int, int, list[str]]]) -> None:
    raw, event = page
    lines = (raw / "events" / event / "page.txt").read_text(encoding="utf-8").split("\n")
    for edit in edits:
        lines = edit_cell(lines, edit)
    events = events_of(raw, {(event, "page.txt"): "\n".join(lines).encode()})
    registry = FUZZ_REGISTRY if raw == RAW else FIXTURE_REGISTRY
    if row_read(events, registry) is None:
        assert_refused_by_both(events, registry)
    else:
        assert_same_as_oracle(events, registry)


def test_an_earlier_events_problem_is_reported_before_a_later_unreadable_file(
    tmp_path: Path,
) -> None:
    """A chunk reads every folder's files before parsing them: a file gone from a later folder
    (deleted mid-build) still yields to the problem of an earlier page, as event by event."""
    raw = Path(shutil.copytree(RAW, tmp_path / "raw"))
    first = raw / "events" / SEED
    second = Path(shutil.copytree(first, raw / "events" / "2006-men-1000m-copy"))
    page = first / "page.txt"
    page.write_text(
        page.read_text(encoding="utf-8").replace("| 1 | 1 | Li Ye |", "| 1 | x | Li Ye |", 1),
        encoding="utf-8",
    )
    (second / "event.toml").unlink()
    with pytest.raises(SourceError) as raised:
        parse_chunk(registry_of(raw), [first, second])
    assert (Path(raised.value.path).name, raised.value.line, raised.value.found) == (
        "page.txt",
        37,
        "x",
    )
