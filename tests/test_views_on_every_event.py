"""Every view on the five-event fixture corpus (relays, mixed relays, later layouts beside the
seed's): each has the grain its description promises, checked against the tables it is built
from. A join that multiplies or drops rows fails here, whatever one event happens to give."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from core.model import TABLES, TableSpec
from core.views import VIEWS
from pipeline.build import run
from tests.conftest import FIXTURES, corrupt

# For each view: its key (unique in it), and a query over the tables giving its row count.
GRAINS = {
    "results_wide": (("race_id", "entrant_id"), "SELECT count(*) FROM results"),
    "athlete_paths": (("event_id", "entrant_id"), "SELECT count(*) FROM entrants"),
    "records_wide": (("event_id", "source_line"), "SELECT count(*) FROM records"),
    "standings": (("event_id", "entrant_id"), "SELECT count(*) FROM classification"),
    "prior_records_wide": (("event_id", "kind"), "SELECT count(*) FROM prior_records"),
    "medal_table": (
        ("competition", "noc"),
        "SELECT count(*) FROM (SELECT DISTINCT e.competition, c.noc FROM classification AS c "
        "JOIN events AS e USING (event_id) WHERE c.position <= 3)",
    ),
    "medal_table_all_games": (
        ("noc",),
        "SELECT count(DISTINCT c.noc) FROM classification AS c JOIN events AS e USING "
        "(event_id) WHERE c.position <= 3 AND e.competition_kind = 'olympics'",
    ),
    # One row per reference event, held or not: an event two references matched would repeat.
    "coverage": (("reference_id",), "SELECT count(*) FROM reference_events"),
}


@pytest.fixture(scope="module")
def fixtures_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    warehouse = tmp_path_factory.mktemp("fixtures") / "wh"
    assert not run(FIXTURES, warehouse).rejected
    return warehouse / "skating.duckdb"


def test_every_view_has_a_grain_here() -> None:
    assert set(GRAINS) == {view.name for view in VIEWS}


@pytest.mark.parametrize("view", sorted(GRAINS))
def test_each_view_has_its_grain_on_every_event(fixtures_warehouse: Path, view: str) -> None:
    key, expected = GRAINS[view]
    columns = ", ".join(key)
    with duckdb.connect(str(fixtures_warehouse), read_only=True) as con:

        def count(query: str) -> int:
            return int(con.execute(query).fetchall()[0][0])

        rows = count(f"SELECT count(*) FROM {view}")
        assert rows == count(expected)
        assert count(f"SELECT count(*) FROM (SELECT DISTINCT {columns} FROM {view})") == rows
        events = count("SELECT count(*) FROM events")
    assert events == 6 and rows > 0


def test_medals_add_up_to_the_podiums(fixtures_warehouse: Path) -> None:
    with duckdb.connect(str(fixtures_warehouse), read_only=True) as con:
        medals = con.execute(
            "SELECT sum(gold), sum(silver), sum(bronze), sum(total) FROM medal_table"
        ).fetchall()[0]
        podium = con.execute(
            "SELECT count(*) FILTER (position = 1), count(*) FILTER (position = 2), "
            "count(*) FILTER (position = 3), count(*) FROM classification WHERE position <= 3"
        ).fetchall()[0]
    assert medals == podium


@pytest.mark.parametrize("spec", TABLES, ids=lambda spec: spec.name)
def test_each_tables_row_key_names_one_row_on_every_event(
    fixtures_warehouse: Path, built_warehouse: Path, spec: TableSpec
) -> None:
    """`pipeline diff` pairs rows by the row key: on sound data it names one row."""
    assert spec.row_key and set(spec.row_key) <= {column.name for column in spec.columns}
    key = ", ".join(spec.row_key)
    for database in (fixtures_warehouse, built_warehouse / "skating.duckdb"):
        with duckdb.connect(str(database), read_only=True) as con:
            [(rows, keys)] = con.execute(
                f"SELECT count(*), count(DISTINCT ({key})) FROM {spec.name}"
            ).fetchall()
        assert rows == keys, (database, spec.name)


def test_medals_are_counted_per_competition_and_over_the_games(fixtures_warehouse: Path) -> None:
    """Two Games' medals are not one table; a World Tour stage is in no all-Games table."""
    with duckdb.connect(str(fixtures_warehouse), read_only=True) as con:
        per = con.execute(
            "SELECT competition, sum(total) FROM medal_table GROUP BY ALL ORDER BY 1"
        ).fetchall()
        events = con.execute(
            "SELECT e.competition, count(*) FROM classification AS c JOIN events AS e "
            "USING (event_id) WHERE c.position <= 3 GROUP BY ALL ORDER BY 1"
        ).fetchall()
        games = con.execute("SELECT sum(total) FROM medal_table_all_games").fetchall()
        olympic = con.execute(
            "SELECT count(*) FROM classification AS c JOIN events AS e USING (event_id) "
            "WHERE c.position <= 3 AND e.competition_kind = 'olympics'"
        ).fetchall()
    assert per == events and len(per) >= 2
    assert games == olympic and games[0][0] < sum(total for _, total in per)


def test_a_prior_holder_is_named_without_its_noc_and_joined_to_the_registry(
    tmp_path: Path,
) -> None:
    """Found in a newcomer's trial: prior_records held `Elena Varga (HUN)`, with no id. The
    view strips the bracket and finds the athlete (accents aside) and their entrant; a team
    its nation's team; a holder the registry lacks stays a name."""
    raw = Path(shutil.copytree(FIXTURES, tmp_path / "raw"))
    corrupt(
        raw / "events" / "2099-men-1000m" / "page.txt",
        "| Olympic record | Old Champion (NED) |",
        "| Olympic record | Noel Proxy (FRA) |",
    )
    assert not run(raw, tmp_path / "wh").rejected
    with duckdb.connect(str(tmp_path / "wh" / "skating.duckdb"), read_only=True) as con:
        rows = con.execute(
            "SELECT event_id, kind, holder, noc, athlete_id, entrant_id FROM prior_records_wide "
            "ORDER BY event_id, kind"
        ).fetchall()
    assert rows == [
        ("2099-men-1000m", "OR", "Noel Proxy", "FRA", "noel-proxy", "2099-men-1000m/noel-proxy"),
        ("2099-men-1000m", "WR", "Far Faster", "CAN", None, None),
        ("2099-women-3000m-relay", "OR", "China", "CHN", None, "2099-women-3000m-relay/team-chn"),
        (
            "2099-women-3000m-relay",
            "WR",
            "South Korea",
            "KOR",
            None,
            "2099-women-3000m-relay/team-kor",
        ),
        ("2099-women-500m", "OR", "Nobody Real", "NED", None, None),
    ]
