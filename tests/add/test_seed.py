"""`pipeline add` on the real seed page: the drafted event.toml, what is registered, what is
printed, and that `pipeline run` then builds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pipeline.read.event_toml import load_event_file
from tests.add.helpers import Cli, build, errors_of, nocs_only, raw_with, tree
from tests.conftest import RAW, SEED, SEED_PAGE

REGISTRY = RAW / "registry"
FINAL_B_REASON = (
    "Page line 112: only Li Jiajun qualified for Final B (QB) and the page has no Final B table, "
    "so it was not contested."
)


def seeded(tmp_path: Path) -> Path:
    """raw/ with the real registry: every athlete of the seed page is known."""
    files = ("nocs.csv", "athletes.csv", "aliases.csv")
    return raw_with(tmp_path, *(REGISTRY / name for name in files))


def test_seed_page_is_copied_drafted_and_builds(cli: Cli, tmp_path: Path) -> None:
    raw = seeded(tmp_path)
    result = cli("add", str(SEED_PAGE), "--raw", str(raw))
    assert (result.code, result.err) == (0, "")
    folder = raw / "events" / SEED
    assert (folder / "page.txt").read_bytes() == SEED_PAGE.read_bytes()
    for name in ("athletes.csv", "aliases.csv"):  # nothing new to register
        assert (raw / "registry" / name).read_bytes() == (REGISTRY / name).read_bytes()
    declared, _ = load_event_file((folder / "event.toml").read_bytes(), "event.toml")
    q = {"note": "Q", "ranks": [1, 2], "fastest": None, "to": None}
    assert declared.model_dump(exclude={"classification"}) == {
        "prior_record": None,  # the page has none; the hand-written file's came from the brief
        "rounds": {
            "heats": {
                "date": dt.date(2006, 2, 15),
                "seeded": False,
                "advance": [q, {"note": "q", "ranks": [3], "fastest": 3, "to": None}],
                "uncontested": [],
            },
            "quarterfinals": {
                "date": dt.date(2006, 2, 18),
                "seeded": False,
                "advance": [q],
                "uncontested": [],
            },
            "semifinals": {
                "date": dt.date(2006, 2, 18),
                "seeded": False,
                "advance": [
                    {"note": "QA", "ranks": [1, 2], "fastest": None, "to": "Final A"},
                    {"note": "QB", "ranks": [3], "fastest": None, "to": "Final B"},
                ],
                "uncontested": [],
            },
            "finals": {
                "date": dt.date(2006, 2, 18),
                "seeded": False,
                "advance": [],
                "uncontested": [{"label": "Final B", "reason": FINAL_B_REASON}],
            },
        },
    }
    code, report = build(cli, raw, tmp_path)
    assert (code, errors_of(report)) == (0, 0)


def test_seed_draft_cites_the_page_and_says_what_to_review(cli: Cli, tmp_path: Path) -> None:
    raw = seeded(tmp_path)
    assert cli("add", str(SEED_PAGE), "--raw", str(raw)).code == 0
    lines = (raw / "events" / SEED / "event.toml").read_text().splitlines()
    # The q rule: three third places got q because two of them tie; the prose says two.
    at = lines.index('    { note = "q", ranks = [3], fastest = 3 },')
    assert lines[at - 3 : at] == [
        "    # Page lines 47, 57 and 58: q to 3 of the 8 skaters placed 3 in the heats, the 3 "
        "fastest.",
        "    # Lines 57 and 58 are a dead heat in 1:27.994, so the page's prose may count them "
        "as one.",
        "    # Review against the page's prose (line 33).",
    ]
    at = lines.index("[rounds.heats]")
    assert lines[at - 4 : at] == [
        "# Page line 7: the event's Dates begin on 15 February, the day of its first round.",
        '# Page line 19: "…began on 15 February…"',
        "# Page line 27: the Heat 1 record was set on 15 February.",
        '# Page line 33: "The first round was held on 15 February."',
    ]
    at = lines.index("[rounds.semifinals]")
    assert lines[at - 2 : at + 2] == [
        "# Review: the page states no date for the semifinals: they lie between the "
        "quarterfinals and the",
        "# finals, both on 18 February, so they take that day.",
        "[rounds.semifinals]",
        "date = 2006-02-18",
    ]


def test_seed_add_prints_what_it_wrote_and_what_to_review(cli: Cli, tmp_path: Path) -> None:
    raw = seeded(tmp_path)
    result = cli("add", str(SEED_PAGE), "--raw", str(raw))
    toml = f"{raw}/events/{SEED}/event.toml"
    prose = "review against the page's prose"
    assert result.out.splitlines() == [
        f"{SEED}: copied {SEED_PAGE} to {raw}/events/{SEED}/page.txt",
        f"{SEED}: drafted {toml}",
        "review:",
        f'  {toml}:5: no [prior_record]: the page has no "Prior to this competition" table; '
        "declare the record standing before the event, if one stood",
        f"  {toml}:23: heats: Q ranks [1, 2], from the notes on page lines 37-60: {prose} "
        "(line 33)",
        f"  {toml}:27: heats: q ranks [3], fastest 3 (a dead heat among them), from the notes "
        f"on page lines 47, 57 and 58: {prose} (line 33)",
        f"  {toml}:36: quarterfinals: Q ranks [1, 2], from the notes on page lines 69-93: "
        f"{prose} (line 65)",
        f"  {toml}:42: the page states no date for the semifinals: they lie between the "
        "quarterfinals and the finals, both on 18 February, so they take that day",
        f"  {toml}:46: semifinals: QA ranks [1, 2], to Final A, from the notes on page lines "
        f"103, 104, 110 and 111: {prose} (line 99)",
        f"  {toml}:49: semifinals: QB ranks [3], to Final B, from the notes on page line 112: "
        f"{prose} (line 99)",
        f"  {toml}:60: finals: Final B not contested, from page line 112: {prose} (line 116)",
        f"then build: pipeline run --raw {raw}",
    ]


NO_NOC_LINES = [
    (37, "Li Ye"),
    (38, "Nicola Rodigari"),
    (39, "Jean Charles Mattei"),
    (40, "Paul Stanley"),
    (41, "François-Louis Tremblay"),
    (42, "Satoru Terao"),
    (43, "Jon Eley"),
    (44, "Mark McNee"),
    (46, "Rusty Smith"),
    (47, "Peter Darazs"),
    (49, "Matus Uzak"),
    (50, "Vyacheslav Kurginyan"),
    (51, "Éric Bédard"),
    (52, "Dariusz Kulesza"),
    (53, "Sebastian Praus"),
    (54, "Maxime Chataignier"),
    (55, "Li Jiajun"),
    (56, "Fabio Carta"),
    (57, "Pieter Gysel"),
    (58, "Arian Nachbar"),
    (60, "Volodymyr Grygoriev"),
    (61, "Mikhail Rajine"),
    (62, "Niels Kerstholt"),
]


def test_seed_page_without_registry_names_every_athlete_without_a_noc(
    cli: Cli, tmp_path: Path
) -> None:
    # The seed page's Country cells are empty: only the three medalists get a NOC (infobox).
    raw = nocs_only(tmp_path)
    before = tree(raw)
    result = cli("add", str(SEED_PAGE), "--raw", str(raw))
    athletes = f"{raw}/registry/athletes.csv"
    expected = [
        f"error: {SEED_PAGE}:{line}: expected a NOC for a new athlete (a Country cell, a "
        f"bracketed (KOR) or a medal NOC), found {name!r}; no NOC for {name}: add it to "
        f"{athletes}"
        for line, name in NO_NOC_LINES
    ]
    expected.append(
        f"error: {SEED_PAGE}:84: expected a registered athlete, or a new name more than 2 "
        "edits from every other of its NOC, found 'Li Juajun'; if it is Li Jiajun (no NOC, "
        f"{SEED_PAGE}:55, new), add to {athletes}: li-jiajun,Li Jiajun,<NOC> and to "
        f"{raw}/registry/aliases.csv: Li Juajun,li-jiajun,<reason>; if it is another athlete, "
        f"add them to {athletes}"
    )
    assert (result.code, result.out, result.err.splitlines()) == (2, "", expected)
    assert tree(raw) == before  # refused: nothing written


def test_add_proposes_the_alias_a_reference_spelling_needs(cli: Cli, tmp_path: Path) -> None:
    """With Olympedia's tallies beside it and none of its spellings declared, adding the seed
    page lists the alias line each medalist needs, for review; it writes none of them."""
    raw = seeded(tmp_path)
    aliases = raw / "registry" / "aliases.csv"
    aliases.write_text("".join(aliases.read_text().splitlines(keepends=True)[:2]))
    (raw / "reference").mkdir()
    tallies = RAW / "reference" / "olympedia-event-tallies-1992-2018.csv"
    (raw / "reference" / tallies.name).write_bytes(tallies.read_bytes())
    before = aliases.read_bytes()
    result = cli("add", str(SEED_PAGE), "--raw", str(raw))
    assert result.code == 0, result.err
    reference = f"{raw}/reference/{tallies.name}:33"
    proposals = [
        line.strip() for line in result.out.splitlines() if line.strip().startswith(reference)
    ]
    assert proposals == [
        f"{reference}: the reference's gold medalist Hyeon-Su An is no athlete or alias; the "
        "page's is Ahn Hyun-soo (ahn-hyun-soo): if one skater, declare "
        "`Hyeon-Su An,ahn-hyun-soo,<reason>` in registry/aliases.csv",
        f"{reference}: the reference's silver medalist Lee Ho-Seok is no athlete or alias; the "
        "page's is Lee Ho-suk (lee-ho-suk): if one skater, declare "
        "`Lee Ho-Seok,lee-ho-suk,<reason>` in registry/aliases.csv",
    ]
    assert aliases.read_bytes() == before  # proposed, never written
    # Until they are declared, the build fails the reference family at the medal lines.
    failed = cli("run", "--raw", str(raw), "--warehouse", str(tmp_path / "wh"))
    assert failed.code == 1
    assert [
        line.split(": error: ")[1].split(":")[0]
        for line in failed.out.splitlines()
        if ": error: " in line
    ] == ["reference.podium", "reference.podium"]
