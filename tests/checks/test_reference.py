"""The references of raw/reference/ (Olympedia's event tallies and a medals table, and the
fictional ones of tests/fixtures/raw): read or refused, matched to the warehouse's events, the
`reference` checks, and what the warehouse lacks (the coverage view)."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb

from checks.framework.check import Failure
from pipeline.build import run
from report.overview import coverage_grid
from tests.checks.harness import build_and_check
from tests.conftest import FIXTURES, RAW, SEED, CliResult, corrupt

Cli = Callable[..., CliResult]
TALLIES = "reference/olympedia-event-tallies-1992-2018.csv"
# The files as fetched from their sources (../shared/data/reference/ beside this checkout): a
# digest, so that a clone without that folder still proves them untouched.
SOURCE_SHA256 = {
    "olympedia-event-tallies-1992-2018.csv": (
        "65b60a65147ba77cfdc1b89340967fd400634e14d9e6d2c2e59fb989e498e87f"
    ),
    "medals-1992-2014.csv": "d4394de79ff1daed9bdfe82c425826a8f5cefefa9ae46728579911a8ba8e77c8",
}


def query(database: Path, sql: str) -> list[tuple[object, ...]]:
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_the_bundled_references_are_byte_identical_to_their_source() -> None:
    found = {path.name for path in (RAW / "reference").iterdir()}
    assert found == set(SOURCE_SHA256)
    for name, digest in SOURCE_SHA256.items():
        assert hashlib.sha256((RAW / "reference" / name).read_bytes()).hexdigest() == digest


def test_the_seed_is_matched_through_reviewed_aliases(built_warehouse: Path) -> None:
    database = built_warehouse / "skating.duckdb"
    podium = query(
        database,
        "SELECT medal, name, noc, athlete_id, source_line FROM reference_podiums "
        "WHERE reference_id = '2006-men-1000m' ORDER BY place",
    )
    assert podium == [
        ("gold", "Hyeon-Su An", "KOR", "ahn-hyun-soo", 33),
        ("silver", "Lee Ho-Seok", "KOR", "lee-ho-suk", 33),
        ("bronze", "Apolo Anton Ohno", "USA", "apolo-anton-ohno", 33),
    ]
    # Olympedia's spellings are aliases someone reviewed, with their reason and line.
    aliases = query(
        database,
        "SELECT alias, athlete_id, source_line FROM athlete_aliases ORDER BY source_line",
    )
    assert aliases[1:] == [("Hyeon-Su An", "ahn-hyun-soo", 3), ("Lee Ho-Seok", "lee-ho-suk", 4)]
    counts = query(
        database,
        "SELECT participants, countries FROM reference_events WHERE reference_id = "
        "'2006-men-1000m'",
    )
    assert counts == [(26, 17)]
    # The medals table's own spelling order (SURNAME, Given) finds the same skaters.
    medals = query(
        database,
        "SELECT athlete, athlete_id FROM reference_medals "
        "WHERE reference_id = '2006-men-1000m' ORDER BY medal",
    )
    assert medals == [
        ("OHNO, Apolo Anton", "apolo-anton-ohno"),
        ("AHN, Hyun-Soo", "ahn-hyun-soo"),
        ("LEE, Ho-Suk", "lee-ho-suk"),
    ]


def test_coverage_lists_the_55_missing_events(built_warehouse: Path, cli: Cli) -> None:
    database = built_warehouse / "skating.duckdb"
    assert query(database, "SELECT count(*), count(*) FILTER (WHERE present) FROM coverage") == [
        (56, 1)
    ]
    assert query(database, "SELECT reference_id, event_id FROM coverage WHERE present") == [
        ("2006-men-1000m", SEED)
    ]
    listed = cli(
        "list", "events", "--missing", "--warehouse", str(built_warehouse), "--format", "json"
    )
    assert listed.code == 0
    missing = json.loads(listed.out)
    assert len(missing) == 55
    assert missing[0] == {
        "games_year": 1992,
        "event": "1,000 metres, Men",
        "reference_id": "1992-men-1000m",
    }
    assert {
        "games_year": 2006,
        "event": "1,000 metres, Men",
        "reference_id": "2006-men-1000m",
    } not in missing
    report = cli("check", "--warehouse", str(built_warehouse), "--format", "json")
    assert json.loads(report.out)["coverage"] == {
        "present": 1,
        "total": 56,
        "first_year": 1992,
        "last_year": 2018,
        "games": 8,
    }
    text = cli("check", "--warehouse", str(built_warehouse))
    assert (
        "Coverage: 1 of 56 Olympic events 1992–2018 present (8 Games in the references of "
        "raw/reference/); "
        "`pipeline list events --missing` lists the 55 missing"
    ) in text.out.replace("\n", " ")
    refused = cli("list", "checks", "--missing")
    assert (refused.code, refused.err) == (
        2,
        "error: --missing: expected `pipeline list events --missing`, found pipeline list "
        "checks --missing\n",
    )


def only(failures: tuple[Failure, ...], check_id: str) -> Failure:
    [failure] = [f for f in failures if f.check_id == check_id]
    return failure


def test_a_disagreement_names_the_page_line_and_the_reference_line(
    raw_copy: Path, tmp_path: Path
) -> None:
    tallies = raw_copy / TALLIES
    corrupt(tallies, "2006,26,17,Hyeon-Su An,KOR", "2006,25,17,Hyeon-Soo An,KOR")
    found = build_and_check(raw_copy, tmp_path).failures
    page = f"{raw_copy.as_posix()}/events/{SEED}/page.txt"
    competitors = only(found, "reference.competitors")
    assert (competitors.path, competitors.line) == (page, 8)
    assert competitors.message == "the infobox claims 26 competitors; the reference counts 25"
    assert competitors.note == f"{tallies.as_posix()}:33: note: see the reference's row"
    gold = only(found, "reference.podium")
    assert (gold.path, gold.line) == (page, 10)
    assert gold.message == (
        "the gold medalist: the page names Ahn Hyun-soo (KOR), the reference Hyeon-Soo An (KOR); "
        "if they are one skater, declare `Hyeon-Soo An,ahn-hyun-soo,<reason>` in "
        "registry/aliases.csv"
    )
    assert (gold.expected, gold.found) == ("Hyeon-Soo An (KOR)", "Ahn Hyun-soo (KOR)")


def test_relay_podiums_and_line_ups_and_events_without_reference(tmp_path: Path) -> None:
    checked = run(FIXTURES, tmp_path / "wh")
    assert not checked.checks.failed
    database = checked.database
    assert query(
        database,
        "SELECT medal, name, noc, athlete_id FROM reference_podiums "
        "WHERE reference_id = '2099-women-3000m-relay' ORDER BY place",
    ) == [
        ("gold", "Republic of Korea", "KOR", None),  # a team: matched by its NOC
        ("silver", "Canada", "CAN", None),
        ("bronze", "People's Republic of China", "CHN", None),
    ]
    # Yu Standin skated the semifinal only: a medalist all the same, in the page's line-ups.
    assert query(
        database,
        "SELECT athlete_id FROM reference_medals WHERE reference_id = "
        "'2099-women-3000m-relay' AND medal = 'gold' ORDER BY source_line",
    ) == [("seo-fictive",), ("ha-invented",), ("min-madeup",), ("ji-notreal",), ("yu-standin",)]
    # No reference holds these: nothing to compare, and no failure.
    assert query(
        database,
        "SELECT event_id FROM events WHERE event_id NOT IN "
        "(SELECT event_id FROM coverage WHERE present) ORDER BY event_id",
    ) == [
        ("2099-2100-isu-short-track-world-tour-stage-2-women-1000m",),
        ("2099-men-1500m",),
        ("2099-mixed-2000m-relay",),
    ]
    assert [f for f in checked.checks.failures if f.check_id.startswith("reference.")] == []
    assert query(database, "SELECT reference_id FROM coverage WHERE NOT present") == [
        ("2099-men-500m",)
    ]
    grid = coverage_grid(
        tuple(
            dict(
                zip(
                    ("games_year", "gender", "is_relay", "distance_m", "event", "event_id"),
                    row,
                    strict=True,
                )
            )
            for row in query(
                database,
                "SELECT games_year, gender, is_relay, distance_m, event, event_id FROM coverage",
            )
        )
    )
    assert grid is not None
    assert grid.genders == (("Men", 2), ("Women", 2))
    assert [column[0] for column in grid.columns] == ["500", "1000", "500", "3000 relay"]
    cells = [grid.cell(2099, i) for i in range(4)]
    assert [cell.event_id if cell is not None else "no reference" for cell in cells] == [
        None,
        "2099-men-1000m",
        "2099-women-500m",
        "2099-women-3000m-relay",
    ]


def test_a_changed_reference_rebuilds_and_is_judged(raw_copy: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "wh"
    assert not run(raw_copy, warehouse).checks.failed
    corrupt(raw_copy / TALLIES, "2006,26,17,", "2006,26,18,")
    again = run(raw_copy, warehouse)
    assert not again.up_to_date
    assert {f.check_id for f in again.checks.failures if f.waiver is None} >= {"reference.nations"}


def test_reference_files_are_read_or_refused(raw_copy: Path, cli: Cli, tmp_path: Path) -> None:
    folder = raw_copy / "reference"
    (folder / "notes.txt").write_text("to do")
    (folder / "no-source.csv").write_text(
        "# from somewhere\ngames,host,event,dates,participants,countries,gold,gold_noc,silver,"
        "silver_noc,bronze,bronze_noc\n",
        encoding="utf-8",
    )
    result = cli("run", "--raw", str(raw_copy), "--warehouse", str(tmp_path / "wh"))
    assert result.code == 2
    assert (
        f"error: {folder}: expected only CSV files named with letters, digits, '-', '_' and "
        "'.' here"
    ) in result.err
    (folder / "notes.txt").unlink()
    result = cli("run", "--raw", str(raw_copy), "--warehouse", str(tmp_path / "wh"))
    assert result.err.splitlines() == [
        f"error: {folder}/no-source.csv:1: expected a comment line `# SOURCE: …` naming where "
        "the file comes from, before the header, found '# from somewhere'"
    ]
    shutil.copyfile(raw_copy / TALLIES, folder / "no-source.csv")
    corrupt(folder / "no-source.csv", "XX / 2006", "Twenty / 2006")
    corrupt(folder / "no-source.csv", ",26,17,Hyeon-Su An", ",26,seventeen,Hyeon-Su An")
    corrupt(folder / "no-source.csv", '"500 metres, Men"', '"500 yards, Men"')
    result = cli("run", "--raw", str(raw_copy), "--warehouse", str(tmp_path / "wh"))
    assert result.code == 2
    shown = f"{folder}/no-source.csv"
    assert result.err.splitlines() == [  # every malformed row, in line order
        f"error: {shown}:17: expected event: an event such as 1,000 metres, Men or 5,000 metres "
        "Relay, Men, found '500 yards, Men'",
        f"error: {shown}:33: expected games: the Games as Roman numeral / year, e.g. XX / 2006, "
        "found 'Twenty / 2006'",
        f"error: {shown}:33: expected countries: a count such as 26, found 'seventeen'",
    ]


def test_malformed_values_are_refused_at_their_lines_never_guessed(
    raw_copy: Path, cli: Cli, tmp_path: Path
) -> None:
    tallies, medals = raw_copy / TALLIES, raw_copy / "reference" / "medals-1992-2014.csv"
    corrupt(tallies, "2006,26,17,Hyeon-Su An", "2006,2²,17,Hyeon-Su An")  # a superscript two
    corrupt(
        tallies,
        '"500 metres, Women",12 – 15 February 2006',
        '"99,999 metres, Women",12 – 15 February 2006',
    )
    corrupt(tallies, "XIX / 2002", "XIX / ２００２")  # full-width digits
    corrupt(medals, '"JIN, Sun-Yu",KOR,Women,1000M,Gold', '"JIN, Sun-Yu",KOR,Women,1000M,GOLD')
    corrupt(medals, '"WANG, Meng",CHN,Women,1000M,Silver', '"WANG, Meng",CHN,Women,1000M')
    corrupt(medals, '"CHOI, Eun-Kyung",KOR,Women,1500M,Silver', '"CHOI, Eun-Kyung",KOR,Women')
    result = cli("run", "--raw", str(raw_copy), "--warehouse", str(tmp_path / "wh"))
    assert result.code == 2
    shown_tallies, shown_medals = f"{tallies}", f"{medals}"
    assert result.err.splitlines() == [
        # Every row of the wrong width, then (the file's rows being whole) nothing else of it.
        f"error: {shown_medals}:125: expected 9 fields, found '7 fields'",
        f"error: {shown_medals}:165: expected 9 fields, found '8 fields'",
        f"error: {shown_tallies}:25: expected games: the Games as Roman numeral / year, e.g. "
        "XX / 2006, found 'XIX / ２００２'",
        f"error: {shown_tallies}:33: expected participants: a count such as 26, found '2²'",
        f"error: {shown_tallies}:40: expected event: a distance of at most 10,000 metres, found "
        "'99,999'",
    ]
    corrupt(medals, '"WANG, Meng",CHN,Women,1000M', '"WANG, Meng",CHN,Women,1000M,Silver')
    corrupt(medals, '"CHOI, Eun-Kyung",KOR,Women', '"CHOI, Eun-Kyung",KOR,Women,1500M,Silver')
    result = cli("run", "--raw", str(raw_copy), "--warehouse", str(tmp_path / "wh"))
    assert (
        f"error: {shown_medals}:164: expected Medal: Gold, Silver or Bronze, found 'GOLD'"
        in result.err.splitlines()
    )


def test_a_reference_file_says_where_it_comes_from_and_holds_rows(
    raw_copy: Path, cli: Cli, tmp_path: Path
) -> None:
    folder = raw_copy / "reference"
    header = (RAW / TALLIES).read_text(encoding="utf-8").splitlines()[7]
    (folder / "empty-source.csv").write_text(f"# SOURCE:   \n{header}\n", encoding="utf-8")
    (folder / "header-only.csv").write_text(f"# SOURCE: somewhere\n{header}\n", encoding="utf-8")
    (folder / "two-lines.csv").write_text(
        f'# SOURCE: somewhere\n{header}\nXX / 2006,"Torino,\nItaly",x\n', encoding="utf-8"
    )
    result = cli("run", "--raw", str(raw_copy), "--warehouse", str(tmp_path / "wh"))
    assert result.code == 2
    assert result.err.splitlines() == [
        f"error: {folder}/empty-source.csv:1: expected a comment line `# SOURCE: …` naming "
        "where the file comes from, before the header, found '# SOURCE:   '",
        f"error: {folder}/header-only.csv:2: expected a row after the header, found 'none'",
        f"error: {folder}/two-lines.csv:3: expected a row on one line, found "
        "'XX / 2006,Torino,\\nItaly,x'",
    ]


def test_the_reference_folder_holds_csv_files_only(
    raw_copy: Path, cli: Cli, tmp_path: Path
) -> None:
    (raw_copy / "reference" / "more.csv").mkdir()
    result = cli("run", "--raw", str(raw_copy), "--warehouse", str(tmp_path / "wh"))
    assert (result.code, result.err) == (
        2,
        f"error: {raw_copy}/reference/more.csv: expected a file, found the folder\n",
    )
    shutil.rmtree(raw_copy / "reference")
    (raw_copy / "reference").write_text("junk")
    result = cli("run", "--raw", str(raw_copy), "--warehouse", str(tmp_path / "wh"))
    assert (result.code, result.err) == (
        2,
        f"error: {raw_copy}/reference: expected a folder of reference CSV files, found the file\n",
    )


def test_a_name_naming_two_athletes_is_said_so(raw_copy: Path, tmp_path: Path) -> None:
    aliases = raw_copy / "registry" / "aliases.csv"
    aliases.write_text(aliases.read_text() + "Hyeon-Su An,lee-ho-suk,a test of two\n")
    found = build_and_check(raw_copy, tmp_path).failures
    gold = only(found, "reference.podium")
    assert gold.message == (
        "the gold medalist: the page names Ahn Hyun-soo (KOR), the reference Hyeon-Su An (KOR); "
        "the name matches several athletes: give each their own"
    )


def test_a_warehouse_of_an_older_version_is_refused_not_half_judged(
    built_warehouse: Path, cli: Cli, tmp_path: Path
) -> None:
    database = tmp_path / "skating.duckdb"
    shutil.copyfile(built_warehouse / "skating.duckdb", database)
    database.chmod(0o644)
    with duckdb.connect(str(database)) as con:  # as built before the references existed
        con.execute("DROP VIEW coverage")
        con.execute("DROP TABLE reference_medals")
    checked = cli("check", "--warehouse", str(tmp_path))
    assert (checked.code, checked.err) == (  # not exit 3, not a half-judged PASSED
        2,
        f"error: {database}: expected a warehouse with every table of this version (rebuild "
        "it: `pipeline run`), found one built by an older version, without reference_medals\n",
    )
    listed = cli("list", "events", "--missing", "--warehouse", str(tmp_path))
    assert (listed.code, listed.err) == (
        2,
        f"error: {tmp_path}: expected a warehouse with the coverage view (rebuild it: "
        "`pipeline run`), found one built by an older version\n",
    )


def test_a_proposal_pasted_unreviewed_is_refused(raw_copy: Path, cli: Cli, tmp_path: Path) -> None:
    aliases = raw_copy / "registry" / "aliases.csv"
    aliases.write_text(aliases.read_text().replace('Hyeon-Su An,ahn-hyun-soo,"Olympedia', "x"))
    lines = aliases.read_text().splitlines()
    lines[2] = "Hyeon-Su An,ahn-hyun-soo,<reason>"
    aliases.write_text("\n".join(lines) + "\n")
    result = cli("run", "--raw", str(raw_copy), "--warehouse", str(tmp_path / "wh"))
    assert (result.code, result.err) == (
        2,
        f"error: {aliases}:3: expected a reason for the alias, found '<reason>'\n",
    )
