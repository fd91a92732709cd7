"""Identity across Games: one athlete, two names and two nations. A fictional skater takes a new
name and a new sporting nationality in 2100 (declared in the registry with dates); a 2103 page
prints the new name for the new nation. Nationality belongs to the entry."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from core.errors import SourceError
from pipeline.ingest import build_tables
from tests.checks.harness import build_and_check, open_failures
from tests.conftest import FIXTURES, corrupt

OLD, NEW = "2099-men-1500m", "2103-men-1500m"
RENAMED = "Kim Drafton,kim-draft,Fixture: Kim Draft took this name in 2100.,2100-06-01\n"
MOVED = "kim-draft,CAN,2100-06-01,Fixture: Kim Draft skates for Canada from 2100.\n"


def later_games(raw: Path) -> None:
    """The 1500 m page again at the 2103 Games, Kim Draft printed under his new name and nation;
    the registry declares both changes with their date."""
    shutil.copytree(raw / "events" / OLD, raw / "events" / NEW)
    page = raw / "events" / NEW / "page.txt"
    text = page.read_text(encoding="utf-8").replace("2099", "2103")
    text = text.replace("| Kim Draft | South Korea |", "| Kim Drafton | Canada |")
    text = text.replace("| Kim Draft | KOR |", "| Kim Drafton | CAN |")
    text = text.replace(
        "- Silver: Kim Draft\n- Silvernoc: KOR", "- Silver: Kim Drafton\n- Silvernoc: CAN"
    )
    page.write_text(text, encoding="utf-8")
    toml = raw / "events" / NEW / "event.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("2099", "2103"), encoding="utf-8")
    aliases = raw / "registry" / "aliases.csv"
    lines = aliases.read_text(encoding="utf-8").splitlines()
    dated = ["alias,athlete_id,reason,since", *(f"{line}," for line in lines[1:])]
    aliases.write_text("\n".join(dated) + "\n" + RENAMED, encoding="utf-8")
    (raw / "registry" / "nationalities.csv").write_text(
        "athlete_id,noc,since,reason\n" + MOVED, encoding="utf-8"
    )


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    copy = Path(shutil.copytree(FIXTURES, tmp_path / "raw"))
    later_games(copy)
    return copy


def test_one_athlete_two_names_two_nations(raw: Path) -> None:
    tables = build_tables(raw)
    entries = {
        (row["event_id"], row["noc"], row["name"])
        for row in tables["entrants"].to_pylist()
        if row["athlete_id"] == "kim-draft"
    }
    assert entries == {
        (OLD, "KOR", "Kim Draft"),
        ("2099-men-1000m", "KOR", "Kim Draft"),
        (NEW, "CAN", "Kim Draft"),
    }
    printed = {
        (row["event_id"], row["name_as_printed"], row["name_match"])
        for row in tables["results"].to_pylist()
        if row["athlete_id"] == "kim-draft" and row["event_id"] in (OLD, NEW)
    }
    assert printed == {(OLD, "Kim Draft", "exact"), (NEW, "Kim Drafton", "renamed")}
    assert tables["nationalities"].to_pylist()[0]["noc"] == "CAN"


def test_the_new_name_is_no_misspelling_and_every_check_passes(raw: Path, tmp_path: Path) -> None:
    run = build_and_check(raw, tmp_path / "scratch")
    assert open_failures(run) == set()
    # Only the fixture's one real misspelling is listed; the renamed skater is not.
    assert open_failures(run, "warn") == {("identity.indirect-name", "page.txt", 39)}


def test_the_new_name_before_its_date_is_refused(raw: Path) -> None:
    page = raw / "events" / OLD / "page.txt"
    corrupt(page, "| Kim Draft | KOR | 2:16.700", "| Kim Drafton | KOR | 2:16.700")
    with pytest.raises(SourceError) as refused:
        build_tables(raw)
    assert (refused.value.line, refused.value.found) == (52, "Kim Drafton")
    assert refused.value.expected.startswith("a name its athlete carried on 2099-02-22")


def test_the_old_nation_after_the_change_is_refused(raw: Path) -> None:
    page = raw / "events" / NEW / "page.txt"
    corrupt(page, "| Kim Drafton | CAN | 2:16.700", "| Kim Drafton | KOR | 2:16.700")
    with pytest.raises(SourceError) as refused:
        build_tables(raw)
    assert (refused.value.line, refused.value.found) == (52, "KOR")
    assert refused.value.expected.startswith("CAN for Kim Draft")
