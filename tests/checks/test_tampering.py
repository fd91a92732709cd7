"""Checks the parser makes impossible from a page (types, keys) still guard the warehouse file:
a hand-edited DuckDB copy must fail them at the row's raw line."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import NamedTuple

import duckdb
import pytest

from checks.runner import run_all
from checks.shape import DUCKDB_TYPES
from core.model import TABLES
from tests.add.helpers import Cli
from tests.checks.harness import altered_copy, open_failures

P = "page.txt"


class Tampering(NamedTuple):
    """SQL run on a copy of the built warehouse, and failures the checks must then include."""

    name: str
    statements: tuple[str, ...]
    expected: set[tuple[str, str, int]]
    exactly: bool = True  # the expected set is every failure, not only some of them


TAMPERINGS = (
    Tampering(
        "null in a required column",
        ("UPDATE results SET status = NULL WHERE source_line = 54",),
        {("schema.types", P, 54)},
        exactly=False,
    ),
    Tampering(
        "duplicate key",
        ("INSERT INTO athletes SELECT * FROM athletes WHERE noc = 'NED'",),
        {("schema.unique-keys", "athletes.csv", 27)},
    ),
    Tampering(
        "duplicate entrant",
        ("INSERT INTO entrants SELECT * FROM entrants WHERE athlete_id = 'li-ye'",),
        {("schema.unique-keys", P, 37)},
        exactly=False,  # the doubled entrant doubles its results in every keyed rule
    ),
    Tampering(
        "unknown code",
        ("UPDATE results SET status = 'DSQ' WHERE source_line = 62",),
        {("schema.accepted-values", P, 62)},
    ),
    Tampering(
        "unknown entrant kind",
        ("UPDATE entrants SET kind = 'pair' WHERE source_line = 62",),
        {("schema.accepted-values", P, 62)},
    ),
    Tampering(
        "a column too many",
        ("ALTER TABLE athlete_aliases ADD COLUMN junk INTEGER",),
        {("schema.types", "athlete_aliases", 0)},
    ),
    Tampering(
        "a column too many in a table of no rows",
        ("ALTER TABLE nationalities ADD COLUMN junk INTEGER",),
        {("schema.types", "nationalities", 0)},
    ),
    Tampering(
        "dangling race",
        ("UPDATE results SET race_id = '2006-men-1000m/heat-9' WHERE source_line = 40",),
        # A result in no race is in no race of its round either.
        {("keys.foreign-key", P, 40), ("results.one-race-per-round", P, 40)},
        exactly=False,
    ),
    Tampering(
        "result of a missing entrant",
        ("UPDATE results SET entrant_id = '2006-men-1000m/nobody' WHERE source_line = 40",),
        {("keys.foreign-key", P, 40)},
        exactly=False,
    ),
    # The results rules count a result's fellows (rows of its entrant in its race, holders of
    # its rank) among the rows they judge, those of a known event: a row moved out of every
    # event is a foreign-key failure, not a second holder of rank 1 (line 37) nor a second
    # Li Ye (the advancement failure is line 71 losing its sender, line 38).
    Tampering(
        "result moved to an unknown event",
        ("UPDATE results SET event_id = 'ghost', rank = 1 WHERE source_line = 38",),
        {("keys.foreign-key", P, 38), ("advancement.only-advancers", P, 71)},
    ),
    Tampering(
        "result of no event naming another row's entrant",
        (
            "UPDATE results SET event_id = NULL, entrant_id = '2006-men-1000m/li-ye' "
            "WHERE source_line = 38",
        ),
        {
            ("schema.types", P, 38),
            ("keys.foreign-key", P, 38),
            ("advancement.only-advancers", P, 71),
        },
    ),
    Tampering(
        "entrant of an unknown nation",
        ("UPDATE entrants SET noc = 'XYZ' WHERE source_line = 40",),
        {("keys.foreign-key", P, 40)},
        exactly=False,
    ),
)


@pytest.fixture
def tampered(built_warehouse: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "skating.duckdb"
    shutil.copyfile(built_warehouse / "skating.duckdb", copy)
    return copy


def test_the_declared_constraints_refuse_tampering_in_place(tampered: Path) -> None:
    for tampering in TAMPERINGS[:3]:  # a null, two duplicate keys
        with duckdb.connect(str(tampered)) as con, pytest.raises(duckdb.ConstraintException):
            con.execute(tampering.statements[0])


@pytest.mark.parametrize("tampering", TAMPERINGS, ids=lambda t: t.name)
def test_tampered_warehouse_fails_at_the_rows_line(tampered: Path, tampering: Tampering) -> None:
    with duckdb.connect(str(tampered)) as con:
        # A table written again has no constraints: what a tamperer does first.
        for spec in TABLES:
            con.execute(f"CREATE OR REPLACE TABLE {spec.name} AS SELECT * FROM {spec.name}")
        for statement in tampering.statements:
            con.execute(statement)
    run = run_all(tampered)
    assert run.failed
    found = open_failures(run)
    if tampering.exactly:
        assert found == tampering.expected
    else:
        assert tampering.expected <= found


def test_untampered_copy_passes(tampered: Path) -> None:
    assert not run_all(tampered).failed


@pytest.mark.parametrize("tampering", TAMPERINGS[1:3], ids=lambda t: t.name)
def test_a_key_too_long_for_one_batch_is_judged_whole(
    tampered: Path, tampering: Tampering, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A keyed table of more rows than a batch has its key validated in a pass of its own,
    over the whole column: the same failures as in one pass."""
    monkeypatch.setattr("checks.framework.schemas.BATCH_ROWS", 5)
    with duckdb.connect(str(tampered)) as con:
        for spec in TABLES:
            con.execute(f"CREATE OR REPLACE TABLE {spec.name} AS SELECT * FROM {spec.name}")
        con.execute(tampering.statements[0])
    found = open_failures(run_all(tampered))
    assert {failure for failure in found if failure[0] == "schema.unique-keys"} == (
        tampering.expected
    )


def test_a_key_repeated_rows_groups_apart_is_found(tmp_path: Path) -> None:
    """DuckDB hands a frame out a row group (122,880 rows) at a time: the key's uniqueness is
    still judged over the whole column."""
    from checks.framework.schemas import UNIQUE_KEY, key_schema
    from checks.framework.validate import validate
    from core.model import TABLES_BY_NAME

    with duckdb.connect(str(tmp_path / "keys.duckdb")) as con:
        con.execute(
            "CREATE TABLE races AS SELECT 'race-' || range AS race_id, 'page.txt' AS source_file, "
            "CAST(range AS INTEGER) AS source_line FROM range(300000)"
        )
        con.execute("INSERT INTO races VALUES ('race-0', 'page.txt', 300000)")
        column = con.sql("SELECT race_id, source_file, source_line FROM races")
        spec = TABLES_BY_NAME["races"]
        failures = validate(column, key_schema(spec, "race_id"), [UNIQUE_KEY], "races", 2**31)
    assert sorted(failure.line for failure in failures) == [0, 300000]


def test_columns_altered_away_are_refused_each_named_not_a_crash(
    built_warehouse: Path, cli: Cli, tmp_path: Path
) -> None:
    """A column dropped or retyped by hand would stop the SQL rules with DuckDB's binder error
    (exit 3 before): the warehouse is refused as bad input, every such column named, in
    every format; a column too many stays the schema check's failure (above)."""
    database = altered_copy(
        built_warehouse,
        tmp_path,
        "ALTER TABLE results ALTER rank TYPE VARCHAR",
        "ALTER TABLE events DROP COLUMN venue",
    )
    expected = [
        f"{database}: expected events.venue of type VARCHAR, as this version builds it "
        "(rebuild it: `pipeline run`), found no such column",
        f"{database}: expected results.rank of type TINYINT, as this version builds it "
        "(rebuild it: `pipeline run`), found type VARCHAR",
    ]
    checked = cli("check", "--warehouse", str(tmp_path))
    assert (checked.code, checked.err) == (2, "".join(f"error: {m}\n" for m in expected))
    github = cli("check", "--warehouse", str(tmp_path), "--format", "github")
    assert github.code == 2
    assert [line.split("::")[-1] for line in github.out.splitlines()] == [
        m.split(": ", 1)[1] for m in expected
    ]


def test_every_declared_type_has_its_duckdb_name() -> None:
    assert {column.type for spec in TABLES for column in spec.columns} <= set(DUCKDB_TYPES)


def test_a_coverage_view_replaced_by_hand_is_refused_not_a_crash(
    built_warehouse: Path, cli: Cli, tmp_path: Path
) -> None:
    database = altered_copy(
        built_warehouse,
        tmp_path,
        "CREATE OR REPLACE VIEW coverage AS SELECT 1 AS x",
    )
    checked = cli("check", "--warehouse", str(tmp_path))
    assert (checked.code, checked.err.splitlines()[-1]) == (
        2,
        f"error: {database}: expected the coverage view this version builds (rebuild it: "
        '`pipeline run`), found one that does not read: Binder Error: Referenced column "present" '
        "not found in FROM clause!",
    )
    listed = cli("list", "events", "--missing", "--warehouse", str(tmp_path))
    assert listed.code == 2
    assert listed.err.startswith(
        f"error: {tmp_path}: expected a warehouse with this version's tables and columns"
    )


def test_a_view_in_place_of_a_table_and_a_missing_table_are_named_in_one_run(
    built_warehouse: Path, cli: Cli, tmp_path: Path
) -> None:
    database = altered_copy(
        built_warehouse,
        tmp_path,
        "CREATE TABLE kept AS FROM events",
        "DROP TABLE events CASCADE",
        "CREATE VIEW events AS SELECT * REPLACE (venue AS title) FROM kept",
        "DROP TABLE nationalities",
        "ALTER TABLE results DROP COLUMN note",
    )
    checked = cli("check", "--warehouse", str(tmp_path))
    assert (checked.code, checked.err.splitlines()) == (
        2,
        [
            f"error: {database}: expected a warehouse with every table of this version (rebuild "
            "it: `pipeline run`), found one built by an older version, without nationalities",
            f"error: {database}: expected events to be a table, found a view",
            f"error: {database}: expected results.note of type VARCHAR, as this version builds "
            "it (rebuild it: `pipeline run`), found no such column",
        ],
    )


def test_a_coverage_view_that_fails_as_it_runs_is_refused(
    built_warehouse: Path, cli: Cli, tmp_path: Path
) -> None:
    altered_copy(  # a view that binds, then fails on its first row
        built_warehouse,
        tmp_path,
        "CREATE OR REPLACE VIEW coverage AS SELECT 'x' AS present, 1 AS games_year",
    )
    checked = cli("check", "--warehouse", str(tmp_path), "--format", "junit")
    assert checked.code == 2
    assert "expected the coverage view this version builds" in checked.out
    assert "Conversion Error" in checked.out
