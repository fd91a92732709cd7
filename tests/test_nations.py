"""Every nation, named as sources name them: raw/registry/nocs.csv and nation_names.csv are
drawn from country_converter's data (pipeline.nations) and stay as drawn."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from core.errors import SourceError
from pipeline.nations import HISTORICAL, _library_rows, registry_texts
from pipeline.resolve.registry import Registry, load_registry
from pipeline.resolve.teams import team_noc
from tests.conftest import RAW


def test_the_registry_nations_are_what_the_library_and_the_reviewed_lists_give() -> None:
    """A library update or a hand edit fails here: run `python -m pipeline.nations` and
    review the diff."""
    for name, text in registry_texts().items():
        assert (RAW / "registry" / name).read_text(encoding="utf-8") == text, name


def test_every_ioc_code_of_the_library_and_every_historical_code_is_listed(
    registry: Registry,
) -> None:
    codes = {row["IOC"] for row in _library_rows()} | set(HISTORICAL)
    assert len(codes) >= 216
    assert {nation.noc for nation in registry.nations} == codes


@pytest.mark.parametrize(
    ("printed", "noc"),
    [
        ("South Korea", "KOR"),
        ("Korea", "KOR"),
        ("Republic of Korea", "KOR"),
        ("Great Britain", "GBR"),
        ("United Kingdom", "GBR"),
        ("Chinese Taipei", "TPE"),
        ("Czech Republic", "CZE"),
        ("Czechia", "CZE"),
        ("Turkey", "TUR"),
        ("Türkiye", "TUR"),
        ("Hong Kong", "HKG"),
        ("Hong Kong, China", "HKG"),
        ("China", "CHN"),
        ("Kazakhstan", "KAZ"),
        ("Unified Team", "EUN"),
        ("ROC", "ROC"),
        ("Olympic Athletes from Russia", "OAR"),
        ("AIN", "AIN"),
    ],
)
def test_the_spellings_pages_print_name_their_nation(
    registry: Registry, printed: str, noc: str
) -> None:
    assert registry.noc_of(printed) == noc


def _refused(tmp_path: Path, row: str) -> SourceError:
    folder = tmp_path / "registry"
    folder.mkdir()
    for name in ("nocs.csv", "athletes.csv", "aliases.csv"):
        (folder / name).write_bytes((RAW / "registry" / name).read_bytes())
    text = (RAW / "registry" / "nation_names.csv").read_text(encoding="utf-8")
    (folder / "nation_names.csv").write_text(text + row + "\n", encoding="utf-8")
    with pytest.raises(SourceError) as refused:
        load_registry(folder, "raw/registry")
    line = len(list(csv.reader(io.StringIO(text)))) + 1
    assert refused.value.line == line
    return refused.value


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("XYZ,Atlantis,a test", "a NOC listed in raw/registry/nocs.csv"),
        ("KOR,Corea,", "a reason for the spelling"),
        ("KOR,Japan,a test", "a spelling no other nation has (JPN is Japan)"),
        ("KOR,\u200b,a test", "a non-blank nation name"),
    ],
)
def test_a_spelling_that_cannot_stand_is_refused_at_its_line(
    tmp_path: Path, row: str, expected: str
) -> None:
    assert _refused(tmp_path, row).expected == expected


@pytest.mark.parametrize(
    ("cell", "how"),
    [("South Korea", "exact"), ("KOR", "exact"), ("south korea", "folded"), ("Korea", "alias")],
)
def test_a_team_named_by_a_reviewed_spelling_matched_as_an_alias(
    registry: Registry, cell: str, how: str
) -> None:
    """Found by review: a nation_names.csv spelling was recorded as `folded`."""
    assert team_noc("page.txt", 1, registry, cell) == ("KOR", how)
