"""`pipeline add` on the fictional fixture pages, from a raw/ holding only nocs.csv: what it
registers and drafts, and that `pipeline run` then builds; several pages in one add."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from pipeline.read.event_toml import load_event_file
from tests.add.helpers import FIXTURES, Cli, build, errors_of, fixture_page, nocs_only

FIXTURE_ATHLETES = FIXTURES / "registry" / "athletes.csv"
RULE = {"fastest": None, "to": None}
QA = {"note": "QA", "ranks": [1, 2], "fastest": None, "to": "Final A"}


def registered(raw: Path) -> list[list[str]]:
    """The rows of athletes.csv, header first."""
    with (raw / "registry" / "athletes.csv").open(encoding="utf-8") as handle:
        return list(csv.reader(handle))


def drafted(raw: Path, event_id: str) -> dict[str, object]:
    """The drafted event.toml of an event, as its validated model's values (a round's
    `seeded` only where it is true: no Olympic round is)."""
    data = (raw / "events" / event_id / "event.toml").read_bytes()
    dumped = load_event_file(data, "event.toml")[0].model_dump(exclude={"classification"})
    for spec in dumped["rounds"].values():
        if spec["seeded"] is False:
            del spec["seeded"]
    return dumped


def day(number: int) -> dt.date:
    return dt.date(2099, 2, number)


DRAFTS = {
    "2099-men-1500m": {
        "prior_record": None,
        "rounds": {
            "heats": {
                "date": day(22),
                "advance": [{"note": "Q", "ranks": [1, 2, 3], **RULE}],
                "uncontested": [],
            },
            "semifinals": {
                "date": day(22),
                "advance": [QA, {"note": "QB", "ranks": [3], "fastest": None, "to": "Final B"}],
                "uncontested": [],
            },
            "finals": {"date": day(22), "advance": [], "uncontested": []},
        },
    },
    "2099-women-3000m-relay": {
        "prior_record": None,  # the page states the records standing before the event
        "rounds": {
            "semifinals": {
                "date": day(20),
                "advance": [QA, {"note": "QB", "ranks": [3, 4], "fastest": None, "to": "Final B"}],
                "uncontested": [],
            },
            "finals": {"date": day(22), "advance": [], "uncontested": []},
        },
    },
    "2099-men-1000m": {
        "prior_record": None,
        "rounds": {
            "heats": {
                "date": day(24),
                # Every third place not advanced by the referee got q: no fastest-N cut.
                "advance": [
                    {"note": "Q", "ranks": [1, 2], **RULE},
                    {"note": "q", "ranks": [3], **RULE},
                ],
                "uncontested": [],
            },
            "semifinals": {
                "date": day(25),
                "advance": [QA, {"note": "QB", "ranks": [3, 4], "fastest": None, "to": "Final B"}],
                "uncontested": [],
            },
            "finals": {"date": day(25), "advance": [], "uncontested": []},
        },
    },
    "2099-mixed-2000m-relay": {
        "prior_record": None,
        "rounds": {
            "quarterfinals": {
                "date": day(5),
                "advance": [{"note": "Q", "ranks": [1, 2], **RULE}],
                "uncontested": [],
            },
            "semifinals": {
                "date": day(7),
                "advance": [
                    {"note": "QA", "ranks": [1, 2, 3], "fastest": None, "to": "Final A"},
                    {"note": "QB", "ranks": [4], "fastest": None, "to": "Final B"},
                ],
                "uncontested": [],
            },
            "finals": {
                "date": day(7),
                "advance": [],
                "uncontested": [
                    {
                        "label": "Final B",
                        "reason": "Page line 50: only Netherlands qualified for Final B (QB) "
                        "and the page has no Final B table, so it was not contested.",
                    }
                ],
            },
        },
    },
}
REGISTERED = {
    "2099-men-1500m": [
        "ivan-probe",
        "kim-draft",
        "jan-trial",
        "lee-specimen",
        "mark-pilot",
        "noel-proxy",
        "oli-mockup",
        "pavel-sketch",
    ],
    "2099-men-1000m": [
        "ivan-probe",
        "jan-trial",
        "mark-pilot",
        "kim-draft",
        "lee-specimen",
        "noel-proxy",
        "oli-mockup",
        "pavel-sketch",
        "quentin-decoy",
        "rolf-ersatz",
        "sami-placebo",
        "tomas-figment",
    ],
}


def hand_written() -> dict[str, list[str]]:
    """The fixture registry's athletes, by id: what a person registered for these pages."""
    with FIXTURE_ATHLETES.open(encoding="utf-8") as handle:
        return {row[0]: row for row in csv.reader(handle)}


@pytest.mark.parametrize("event_id", sorted(DRAFTS))
def test_fixture_page_registers_its_athletes_drafts_and_builds(
    cli: Cli, tmp_path: Path, event_id: str
) -> None:
    raw = nocs_only(tmp_path)
    result = cli("add", str(fixture_page(event_id)), "--raw", str(raw))
    assert (result.code, result.err) == (0, "")
    assert (raw / "events" / event_id / "page.txt").read_bytes() == fixture_page(
        event_id
    ).read_bytes()
    assert drafted(raw, event_id) == DRAFTS[event_id]
    header, *rows = registered(raw)
    assert header == ["athlete_id", "name", "noc"]
    # Each id, spelling and NOC is the one a person wrote in the fixture registry.
    known = hand_written()
    assert rows == [known[row[0]] for row in rows]
    if event_id in REGISTERED:
        assert [row[0] for row in rows] == REGISTERED[event_id]
    elif event_id == "2099-mixed-2000m-relay":  # two women and two men of six teams
        assert len(rows) == 24
        assert rows[:2] == [["lan-fabel", "Lan Fabel", "CHN"], ["mei-story", "Mei Story", "CHN"]]
    else:  # the relay: every skater of the eight teams, with the team's NOC
        assert len(rows) == 33
        assert rows[:2] == [
            ["seo-fictive", "Seo Fictive", "KOR"],
            ["ha-invented", "Ha Invented", "KOR"],
        ]
    assert (raw / "registry" / "aliases.csv").read_text() == "alias,athlete_id,reason\n"
    code, report = build(cli, raw, tmp_path)
    assert (code, errors_of(report)) == (0, 0)


def test_several_pages_in_one_add_register_each_athlete_once(cli: Cli, tmp_path: Path) -> None:
    raw = nocs_only(tmp_path)
    pages = [str(fixture_page(event_id)) for event_id in sorted(DRAFTS)]
    result = cli("add", *pages, "--raw", str(raw))
    assert (result.code, result.err) == (0, "")
    ids = [row[0] for row in registered(raw)[1:]]
    # 1500 m, the 1000 m's four more, the relay, the mixed relay's seven men not met before
    assert len(ids) == len(set(ids)) == 8 + 4 + 33 + 7
    assert sorted(path.name for path in (raw / "events").iterdir()) == sorted(DRAFTS)
    code, report = build(cli, raw, tmp_path)
    assert (code, errors_of(report)) == (0, 0)


def test_names_near_each_other_on_one_page_are_refused_then_settled(
    cli: Cli, tmp_path: Path
) -> None:
    # The 500 m page spells one skater Fei Stubb (heat 2) and Fei Stub (Final A).
    raw = nocs_only(tmp_path)
    page = fixture_page("2099-women-500m")
    result = cli("add", str(page), "--raw", str(raw))
    athletes, aliases = f"{raw}/registry/athletes.csv", f"{raw}/registry/aliases.csv"
    assert (result.code, result.err) == (
        2,
        f"error: {page}:49: expected a registered athlete, or a new name more than 2 edits "
        "from every other of its NOC, found 'Fei Stub'; if it is Fei Stubb (CHN, "
        f"{page}:39, new), add to {athletes}: fei-stubb,Fei Stubb,CHN and to {aliases}: "
        f"Fei Stub,fei-stubb,<reason>; if it is another athlete, add them to {athletes}\n",
    )
    assert not (raw / "events").exists()
    # A person does as told, with a reason, and adds the page again.
    Path(athletes).write_text("athlete_id,name,noc\nfei-stubb,Fei Stubb,CHN\n")
    Path(aliases).write_text("alias,athlete_id,reason\nFei Stub,fei-stubb,Final A drops a b\n")
    result = cli("add", str(page), "--raw", str(raw))
    assert (result.code, result.err) == (0, "")
    assert len(registered(raw)) == 1 + 1 + 7
    code, report = build(cli, raw, tmp_path)
    assert (code, errors_of(report)) == (0, 0)
