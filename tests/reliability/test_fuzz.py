"""Random edits of the real pages either parse or raise the project's own located error."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.errors import InputError, InputErrors, PipelineError, SourceError
from pipeline.ingest import build_tables
from tests.conftest import RAW, SEED, SEED_PAGE

LINES = SEED_PAGE.read_text(encoding="utf-8").split("\n")
TOKENS = st.sampled_from(
    [
        "|",
        "||",
        " | ",
        "–",
        "DQ",
        "Q",
        "q",
        "QB",
        "ADV",
        "1:27.048",
        "41.80",
        "99:99.999",
        "0",
        "127",
        "128",
        "99999",
        "Heat 8",
        ";Final C",
        ";Heat 1",
        "===Heats===",
        "==Records==",
        "= T =",
        "- Gold: Nobody",
        "- Competitors: 1e3",
        "Infobox",
        "\t",
        "\u00a0",
        "\ufeff",
        "Ahn Hyun-Soo",
        "Li Juajun (CHN)",
        "(KOR)",
        "\r",
        "é",
        "\x00",
    ]
)
EDIT = st.tuples(
    st.sampled_from(["delete", "duplicate", "insert", "replace", "swap", "truncate", "splice"]),
    st.integers(0, len(LINES) - 1),
    st.integers(0, len(LINES) - 1),
    st.lists(st.one_of(TOKENS, st.text(max_size=6)), max_size=4).map("".join),
)


def apply(lines: list[str], edit: tuple[str, int, int, str]) -> list[str]:
    kind, at, other, text = edit
    lines = list(lines)
    at %= len(lines)
    other %= len(lines)
    if kind == "delete":
        del lines[at]
    elif kind == "duplicate":
        lines.insert(at, lines[at])
    elif kind == "insert":
        lines.insert(at, text)
    elif kind == "replace":
        lines[at] = text
    elif kind == "swap":
        lines[at], lines[other] = lines[other], lines[at]
    elif kind == "truncate":
        lines = lines[: max(at, 1)]
    else:  # splice text into the middle of a line
        middle = len(lines[at]) // 2
        lines[at] = lines[at][:middle] + text + lines[at][middle:]
    return lines or [""]


@pytest.fixture(scope="module")
def fuzz_raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return Path(shutil.copytree(RAW, tmp_path_factory.mktemp("fuzz") / "raw"))


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(EDIT, min_size=1, max_size=4))
def test_edited_page_parses_or_fails_with_a_location(
    fuzz_raw: Path, edits: list[tuple[str, int, int, str]]
) -> None:
    lines = LINES
    for edit in edits:
        lines = apply(lines, edit)
    page = "\n".join(lines)
    (fuzz_raw / "events" / SEED / "page.txt").write_text(page, encoding="utf-8")
    try:
        tables = build_tables(fuzz_raw)
    except PipelineError as raised:
        # One problem, or every problem of a kind (InputErrors), each located.
        for error in raised.errors if isinstance(raised, InputErrors) else [raised]:
            assert_located(error, page)
    else:
        assert tables["results"].num_rows >= 1


def assert_located(error: PipelineError, page: str) -> None:
    if isinstance(error, SourceError):
        assert error.path.endswith((f"events/{SEED}/page.txt", f"events/{SEED}/event.toml"))
        if error.path.endswith("page.txt"):
            assert 1 <= error.line <= page.count("\n") + 1  # an edit's text may hold newlines
        assert error.line >= 1
        assert error.expected
    elif isinstance(error, InputError):
        assert error.path and error.message
    else:  # pragma: no cover - every PipelineError is one of the two
        pytest.fail(f"unlocated error {error!r}")
