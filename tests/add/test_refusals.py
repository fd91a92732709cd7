"""What `pipeline add` refuses (every problem in one run, nothing written) and how it treats a
page added again: unchanged, changed, forced; and --id."""

from __future__ import annotations

from pathlib import Path

from tests.add.helpers import (
    FIXTURES,
    Cli,
    build,
    fixture_page,
    nocs_only,
    raw_with,
    tree,
    write_page,
)
from tests.conftest import RAW, SEED, SEED_PAGE


def registry_of(tmp_path: Path, athletes: str, aliases: str = "") -> Path:
    """raw/ with nocs.csv and the given athlete and alias rows."""
    raw = raw_with(tmp_path, RAW / "registry" / "nocs.csv")
    (raw / "registry" / "athletes.csv").write_text(f"athlete_id,name,noc\n{athletes}")
    (raw / "registry" / "aliases.csv").write_text(f"alias,athlete_id,reason\n{aliases}")
    return raw


def test_every_near_match_is_refused_at_once_with_its_aliases_line(
    cli: Cli, tmp_path: Path
) -> None:
    # The real registry with two athletes spelled otherwise, and without the Li Juajun alias.
    rows = (RAW / "registry" / "athletes.csv").read_text().split("\n", 1)[1]
    rows = rows.replace("matus-uzak,Matus Uzak", "matus-usak,Matus Usak")
    rows = rows.replace("pieter-gysel,Pieter Gysel", "pieter-gijsel,Pieter Gijsel")
    raw = registry_of(tmp_path, rows)
    before = tree(raw)
    result = cli("add", str(SEED_PAGE), "--raw", str(raw))
    registry = f"{raw}/registry"
    expected = "a registered athlete, or a new name more than 2 edits from every other of its NOC"
    other = f"if it is another athlete, add them to {registry}/athletes.csv"
    assert (result.code, result.out, result.err.splitlines()) == (
        2,
        "",
        [
            f"error: {SEED_PAGE}:49: expected {expected}, found 'Matus Uzak'; if it is Matus "
            f"Usak (SVK, {registry}/athletes.csv:14), add to {registry}/aliases.csv: "
            f"Matus Uzak,matus-usak,<reason>; {other}",
            f"error: {SEED_PAGE}:57: expected {expected}, found 'Pieter Gysel'; if it is Pieter "
            f"Gijsel (BEL, {registry}/athletes.csv:22), add to {registry}/aliases.csv: "
            f"Pieter Gysel,pieter-gijsel,<reason>; {other}",
            f"error: {SEED_PAGE}:84: expected {expected}, found 'Li Juajun'; if it is Li Jiajun "
            f"(CHN, {registry}/athletes.csv:20), add to {registry}/aliases.csv: "
            f"Li Juajun,li-jiajun,<reason>; {other}",
        ],
    )
    assert tree(raw) == before


def test_a_near_name_of_another_noc_is_a_new_athlete(cli: Cli, tmp_path: Path) -> None:
    # Ivan Probe (RUS) is near Ivan Probes (RUS): refused. Jan Trial (NED) is near Jan Triall,
    # but of BEL: not the same athlete, so no problem.
    fixture = (FIXTURES / "registry" / "athletes.csv").read_text().split("\n", 1)[1]
    rows = fixture.replace("ivan-probe,Ivan Probe,RUS", "ivan-probes,Ivan Probes,RUS")
    rows = rows.replace("jan-trial,Jan Trial,NED", "jan-triall,Jan Triall,BEL")
    raw = registry_of(tmp_path, rows)
    page = fixture_page("2099-men-1000m")
    result = cli("add", str(page), "--raw", str(raw))
    registry = f"{raw}/registry"
    assert (result.code, result.err) == (
        2,
        f"error: {page}:10: expected a registered athlete, or a new name more than 2 edits "
        "from every other of its NOC, found 'Ivan Probe'; if it is Ivan Probes (RUS, "
        f"{registry}/athletes.csv:10), add to {registry}/aliases.csv: "
        f"Ivan Probe,ivan-probes,<reason>; if it is another athlete, add them to "
        f"{registry}/athletes.csv\n",
    )


def test_unknown_nations_are_refused_at_each_line(cli: Cli, tmp_path: Path) -> None:
    raw = nocs_only(tmp_path)
    page = write_page(
        tmp_path, "2099-men-1000m", ("Hungary", "Atlantis"), ("Bronzenoc: CAN", "Bronzenoc: XYZ")
    )
    result = cli("add", str(page), "--raw", str(raw))
    expected = (
        f"expected a NOC code or nation name from {raw}/registry/nocs.csv, or a spelling from "
        "nation_names.csv"
    )
    assert (result.code, result.err.splitlines()) == (
        2,
        [
            f"error: {page}:15: {expected}, found 'XYZ'",
            f"error: {page}:49: {expected}, found 'Atlantis'",
            f"error: {page}:61: {expected}, found 'Atlantis'",
        ],
    )
    assert tree(raw) == {"registry/nocs.csv": (RAW / "registry" / "nocs.csv").read_bytes()}


def test_adding_the_same_page_again_changes_nothing(cli: Cli, tmp_path: Path) -> None:
    raw = nocs_only(tmp_path)
    page = fixture_page("2099-men-1500m")
    assert cli("add", str(page), "--raw", str(raw)).code == 0
    before = tree(raw)
    result = cli("add", str(page), "--raw", str(raw))
    assert (result.code, result.err) == (0, "")
    assert result.out.splitlines() == [
        f"2099-men-1500m: already there ({raw}/events/2099-men-1500m/page.txt is this page)",
        "nothing written",
    ]
    assert tree(raw) == before


def test_a_changed_page_is_refused_without_force(cli: Cli, tmp_path: Path) -> None:
    raw = nocs_only(tmp_path)
    assert cli("add", str(fixture_page("2099-men-1500m")), "--raw", str(raw)).code == 0
    before = tree(raw)
    changed = write_page(tmp_path, "2099-men-1500m", ("2:16.500", "2:16.400"))
    result = cli("add", str(changed), "--raw", str(raw))
    assert (result.code, result.err) == (
        2,
        f"error: {raw}/events/2099-men-1500m/page.txt: expected the page given ({changed}), "
        "or --force to replace it, found another page\n",
    )
    assert tree(raw) == before


def test_force_replaces_the_page_and_redrafts_an_unedited_event_toml(
    cli: Cli, tmp_path: Path
) -> None:
    raw = nocs_only(tmp_path)
    assert cli("add", str(fixture_page("2099-men-1500m")), "--raw", str(raw)).code == 0
    folder = raw / "events" / "2099-men-1500m"
    # Pavel Sketch reaches the semifinals instead of Noël Proxy: the QB rule grows to rank 4.
    changed = write_page(
        tmp_path,
        "2099-men-1500m",
        (
            "| 3 | Noël Proxy | FRA | 2:18.800 | QB |",
            "| 3 | Noël Proxy | FRA | 2:18.800 | QB |\n| 4 | Pavel Sketch | POL | 2:19.800 | QB |",
        ),
    )
    result = cli("add", str(changed), "--force", "--raw", str(raw))
    assert (result.code, result.err) == (0, "")
    assert result.out.splitlines()[:2] == [
        f"2099-men-1500m: replaced {changed} to {folder}/page.txt",
        f"2099-men-1500m: re-drafted {folder}/event.toml",
    ]
    assert (folder / "page.txt").read_bytes() == changed.read_bytes()
    assert '{ note = "QB", ranks = [3, 4], to = "Final B" },' in (folder / "event.toml").read_text()


def test_force_keeps_an_edited_event_toml_and_says_so(cli: Cli, tmp_path: Path) -> None:
    raw = nocs_only(tmp_path)
    assert cli("add", str(fixture_page("2099-men-1500m")), "--raw", str(raw)).code == 0
    folder = raw / "events" / "2099-men-1500m"
    toml = folder / "event.toml"
    toml.write_text(toml.read_text() + "# Reviewed against the official report.\n")
    edited = toml.read_bytes()
    changed = write_page(tmp_path, "2099-men-1500m", ("2:16.500", "2:16.400"))
    result = cli("add", str(changed), "--force", "--raw", str(raw))
    kept = (
        "kept: it is not the draft of the page it replaces (edited by hand?); review it "
        "against the new page, or delete it and add the page again to re-draft it"
    )
    assert (result.code, result.err) == (0, "")
    assert result.out.splitlines() == [
        f"2099-men-1500m: replaced {changed} to {folder}/page.txt",
        f"2099-men-1500m: {kept} {toml}",
        "review:",
        f"  {toml}: {kept}",
        f"then build: pipeline run --raw {raw}",
    ]
    assert toml.read_bytes() == edited
    assert (folder / "page.txt").read_bytes() == changed.read_bytes()


def test_id_overrides_the_derived_event_id(cli: Cli, tmp_path: Path) -> None:
    raw = raw_with(tmp_path, *(RAW / "registry").iterdir())
    result = cli("add", str(SEED_PAGE), "--id", "2006-men-1000m-copy", "--raw", str(raw))
    assert result.code == 0
    assert [path.name for path in (raw / "events").iterdir()] == ["2006-men-1000m-copy"]
    code, _ = build(cli, raw, tmp_path)
    assert code == 0


def test_id_needs_one_page_and_a_slug(cli: Cli, tmp_path: Path) -> None:
    raw = nocs_only(tmp_path)
    two = cli("add", str(SEED_PAGE), str(SEED_PAGE), "--id", SEED, "--raw", str(raw))
    assert (two.code, two.err) == (2, "error: --id: expected one PAGE with --id, found 2\n")
    bad = cli("add", str(SEED_PAGE), "--id", "../elsewhere", "--raw", str(raw))
    assert (bad.code, bad.err) == (
        2,
        "error: --id: expected an event id of ASCII letters, digits, '-', '_' and '.', a "
        "letter or digit first, found '../elsewhere'\n",
    )
    assert tree(raw) == {"registry/nocs.csv": (RAW / "registry" / "nocs.csv").read_bytes()}


def test_an_undated_round_gets_a_placeholder_that_run_refuses(cli: Cli, tmp_path: Path) -> None:
    # Without the semifinal record, the semifinals (between 24 and 25 February) have no day.
    raw = raw_with(tmp_path, *(FIXTURES / "registry").iterdir())
    page = write_page(
        tmp_path,
        "2099-men-1000m",
        ("| 25 February | Semifinal 1 | Ivan Probe | Russia | 1:25.100 | OR |\n", ""),
    )
    result = cli("add", str(page), "--raw", str(raw))
    toml = raw / "events" / "2099-men-1000m" / "event.toml"
    assert result.code == 0
    assert (
        f"  {toml}:23: the page states no date for the semifinals: write the day they were "
        "skated" in result.out.splitlines()
    )
    assert (
        toml.read_text().splitlines()[22] == 'date = "REVIEW: the day the semifinals were skated"'
    )
    run = cli("run", "--raw", str(raw), "--warehouse", str(tmp_path / "warehouse"))
    assert run.code == 2
    assert run.err.startswith(f"error: {toml}:23: expected rounds.semifinals.date: ")


def test_printed_names_are_escaped(cli: Cli, tmp_path: Path) -> None:
    raw = nocs_only(tmp_path)
    page = write_page(tmp_path, "2099-men-1500m", ("Pavel Sketch", "Pavel \x1b[31mSketch"))
    result = cli("add", str(page), "--raw", str(raw))
    assert result.code == 0
    assert "pavel-31msketch,Pavel \\x1b[31mSketch,POL (line 9;" in result.out
    assert "\x1b" not in result.out


def test_every_nation_a_registered_athlete_does_not_have_is_refused(
    cli: Cli, tmp_path: Path
) -> None:
    raw = raw_with(tmp_path, *(FIXTURES / "registry").iterdir())
    page = write_page(
        tmp_path, "2099-men-1000m", ("| Kim Draft | South Korea |", "| Kim Draft | China |")
    )
    result = cli("add", str(page), "--raw", str(raw))
    where = f"KOR for Kim Draft ({raw}/registry/athletes.csv:12)"
    assert (result.code, result.err.splitlines()) == (
        2,
        [f"error: {page}:{line}: expected {where}, found 'China'" for line in (41, 60, 80)],
    )
    assert not (raw / "events").exists()


def test_a_new_name_given_two_nations_is_refused(cli: Cli, tmp_path: Path) -> None:
    raw = nocs_only(tmp_path)
    page = write_page(
        tmp_path,
        "2099-men-1000m",
        ("| 3 | 1 | Kim Draft | South Korea |", "| 3 | 1 | Kim Draft | China |"),
    )
    result = cli("add", str(page), "--raw", str(raw))
    assert (result.code, result.err) == (
        2,
        f"error: {page}:60: expected CHN for Kim Draft as at line 41, found 'South Korea'\n",
    )


def test_a_page_without_a_results_table_is_refused_at_its_results_heading(
    cli: Cli, tmp_path: Path
) -> None:
    """Issue 23, 7: it crashed add with exit 3 (an IndexError drafting round days)."""
    text = SEED_PAGE.read_text(encoding="utf-8")
    heading = text.index("==Results==")
    page = tmp_path / "page.txt"
    page.write_text(text[:heading] + "==Results==\nNo results were printed.\n", encoding="utf-8")
    line = text[:heading].count("\n") + 1
    raw = raw_with(tmp_path, RAW / "registry" / "nocs.csv")
    before = tree(raw)
    result = cli("add", str(page), "--raw", str(raw))
    assert (result.code, result.out, result.err) == (
        2,
        "",
        f"error: {page}:{line}: expected a results table under ==Results==, found 'none'\n",
    )
    assert tree(raw) == before


def test_a_page_without_a_results_section_is_refused_at_its_last_line(
    cli: Cli, tmp_path: Path
) -> None:
    text = SEED_PAGE.read_text(encoding="utf-8")
    kept = text[: text.index("==Results==")].rstrip("\n") + "\n"
    page = tmp_path / "page.txt"
    page.write_text(kept, encoding="utf-8")
    result = cli("add", str(page), "--raw", str(raw_with(tmp_path, RAW / "registry" / "nocs.csv")))
    assert (result.code, result.err) == (
        2,
        f"error: {page}:{kept.count(chr(10))}: expected a results table under ==Results==, "
        "found 'no ==Results== section'\n",
    )
