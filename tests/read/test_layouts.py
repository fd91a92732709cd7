"""Every layout of the seed page gives the same tables (issue: real pages vary)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from pipeline.ingest import build_tables
from pipeline.resolve.registry import Registry
from tests.conftest import RAW, SEED_PAGE
from tests.read import variants

COMPARED = ("results", "races", "athletes", "records", "rounds", "medals", "events")
SEED_TEXT = SEED_PAGE.read_text(encoding="utf-8")


def without(table: pa.Table, *columns: str) -> pa.Table:
    """The table less the named columns and every *source_file/*source_line column."""
    return table.drop_columns(
        [
            c
            for c in table.column_names
            if c in columns or c.endswith(("source_file", "source_line"))
        ]
    )


@pytest.fixture(scope="module")
def expected() -> dict[str, pa.Table]:
    return build_tables(RAW)


def build_variant(raw_copy: Path, page: str | bytes) -> dict[str, pa.Table]:
    target = raw_copy / "events" / "2006-men-1000m" / "page.txt"
    if isinstance(page, str):
        target.write_text(page, encoding="utf-8")
    else:
        target.write_bytes(page)
    return build_tables(raw_copy)


def assert_same_facts(
    found: dict[str, pa.Table],
    expected: dict[str, pa.Table],
    *ignored: str,
    tables: tuple[str, ...] = COMPARED,
) -> None:
    for name in tables:
        assert without(found[name], "source_line", "source_file", *ignored).equals(
            without(expected[name], "source_line", "source_file", *ignored)
        ), name


LAYOUTS: dict[str, Callable[[str], str]] = {
    "one table per heat": variants.per_heat_tables,
    "heat column second": lambda text: variants.reorder(
        text, ["Rank", "Heat", "Athlete", "Country", "Result", "Notes"], {}
    ),
    "Skater, Nation, Time, Place, Note": lambda text: variants.reorder(
        text,
        ["Heat", "Athlete", "Country", "Result", "Rank", "Notes"],
        {
            "Athlete": "Skater",
            "Country": "Nation",
            "Result": "Time",
            "Rank": "Place",
            "Notes": "Note",
        },
    ),
    "Name, NOC, Notes first": lambda text: variants.reorder(
        text,
        ["Notes", "Heat", "Result", "Country", "Athlete", "Rank"],
        {"Athlete": "Name", "Country": "NOC"},
    ),
}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_layout_gives_the_same_tables(
    raw_copy: Path, expected: dict[str, pa.Table], layout: str
) -> None:
    page = LAYOUTS[layout](SEED_TEXT)
    assert page != SEED_TEXT
    assert_same_facts(build_variant(raw_copy, page), expected)


def test_one_table_per_heat_has_its_own_labels(raw_copy: Path) -> None:
    found = build_variant(raw_copy, variants.per_heat_tables(SEED_TEXT))
    heats = found["races"].filter(pc.equal(found["races"]["round"], "heats"))
    page = (raw_copy / "events" / "2006-men-1000m" / "page.txt").read_text().split("\n")
    assert [page[line - 1] for line in heats["source_line"].to_pylist()] == [
        f";Heat {n}" for n in range(1, 8)
    ]


@pytest.mark.parametrize(
    "form, first_country", [("noc", "CHN"), ("name", "China"), ("bracket", "CHN")]
)
def test_filled_country_gives_the_same_tables(
    raw_copy: Path,
    registry: Registry,
    expected: dict[str, pa.Table],
    form: str,
    first_country: str,
) -> None:
    found = build_variant(raw_copy, variants.fill_country(SEED_TEXT, registry, form))
    assert_same_facts(found, expected, "country_as_printed")
    countries = found["results"]["country_as_printed"]
    assert countries.null_count == 0
    assert countries[0].as_py() == first_country
    assert found["results"]["name_as_printed"].equals(expected["results"]["name_as_printed"])


def test_file_from_another_system_gives_the_same_tables(
    raw_copy: Path, expected: dict[str, pa.Table]
) -> None:
    found = build_variant(raw_copy, variants.windows_file(SEED_TEXT))
    assert_same_facts(found, expected)
    # Line numbers survive CRLF and the BOM: the same rows sit on the same lines.
    assert found["results"]["source_line"].equals(expected["results"]["source_line"])


def test_page_without_records_table(raw_copy: Path, expected: dict[str, pa.Table]) -> None:
    start = SEED_TEXT.index("The following new world")
    end = SEED_TEXT.index("==Results==")
    page = SEED_TEXT[:start] + "No new world or Olympic records were set.\n\n" + SEED_TEXT[end:]
    found = build_variant(raw_copy, page)
    assert found["records"].num_rows == 0
    assert_same_facts(found, expected, tables=tuple(t for t in COMPARED if t != "records"))
