"""Bad input: exit 2, one message naming file, line, expected and found; nothing written."""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from tests.conftest import FIXTURES, SEED, CliResult, corrupt

Cli = Callable[..., CliResult]
Setup = Callable[[Path], None]


def page(raw: Path) -> Path:
    return raw / "events" / SEED / "page.txt"


def not_utf8(raw: Path) -> None:
    data = page(raw).read_bytes().split(b"\n")
    data[39] = data[39].replace(b"Paul", b"P\xffaul")
    page(raw).write_bytes(b"\n".join(data))


def truncated(raw: Path) -> None:
    text = page(raw).read_text()
    page(raw).write_text(text[: text.index("| 4 | Peter Darazs |") + len("| 4 | Peter Dar")])


def missing_column(raw: Path) -> None:
    corrupt(
        page(raw),
        ";Quarterfinal 1\n| Rank | Athlete | Country | Result | Notes |",
        ";Quarterfinal 1\n| Rank | Athlete | Country | Notes |",
    )


def extra_column(raw: Path) -> None:
    corrupt(
        page(raw),
        ";Quarterfinal 2\n| Rank | Athlete | Country | Result | Notes |",
        ";Quarterfinal 2\n| Rank | Athlete | Country | Result | Notes | Lane |",
    )


def empty_raw(raw: Path) -> None:
    shutil.rmtree(raw / "events")
    (raw / "events").mkdir()


def duplicated_event(raw: Path) -> None:
    shutil.copytree(raw / "events" / SEED, raw / "events" / "2006-men-1000m-copy")


def duplicate_athlete_id(raw: Path) -> None:
    athletes = raw / "registry" / "athletes.csv"
    athletes.write_text(athletes.read_text() + "li-ye,Li Ye Junior,CHN\n")


def duplicate_athlete_name(raw: Path) -> None:
    # A namesake registered last would silently take the first one's results.
    athletes = raw / "registry" / "athletes.csv"
    athletes.write_text(athletes.read_text() + "li-ye-kor,Li Ye,KOR\n")


def blank_athlete_name(raw: Path) -> None:
    # A blank name would be the exact match of every blank athlete cell.
    athletes = raw / "registry" / "athletes.csv"
    athletes.write_text(athletes.read_text() + "nobody, ,KOR\n")


def blank_alias(raw: Path) -> None:
    aliases = raw / "registry" / "aliases.csv"
    aliases.write_text(aliases.read_text() + ',li-ye,"Stands for a blank cell, wrongly."\n')


def alias_naming_another_athlete(raw: Path) -> None:
    aliases = raw / "registry" / "aliases.csv"
    aliases.write_text(aliases.read_text() + 'LI YE,li-jiajun,"A misspelling, wrongly mapped."\n')


def bad_noc(raw: Path) -> None:
    athletes = raw / "registry" / "athletes.csv"
    athletes.write_text(
        athletes.read_text().replace(
            "paul-stanley,Paul Stanley,GBR", "paul-stanley,Paul Stanley,ENG"
        )
    )


def fastest_beyond_int8(raw: Path) -> None:
    corrupt(raw / "events" / SEED / "event.toml", "fastest = 2", "fastest = 128")


def huge_line(raw: Path) -> None:
    with page(raw).open("a", encoding="utf-8") as handle:
        handle.write("\n" + "x" * 50_000_000 + "\n")


def directory_for_page(raw: Path) -> None:
    page(raw).unlink()
    page(raw).mkdir()


def directory_for_registry(raw: Path) -> None:
    (raw / "registry" / "aliases.csv").unlink()
    (raw / "registry" / "aliases.csv").mkdir()


def waiver_to_nowhere(raw: Path) -> None:
    (raw / "waivers.toml").write_text(
        '[[waiver]]\ncheck = "tallies.nations"\nfile = "events/gone/page.txt"\nline = 9\n'
        'reason = "Points at a page that does not exist."\n'
    )


P = f"events/{SEED}/page.txt"
CASES: dict[str, tuple[Setup, str]] = {
    "empty raw": (empty_raw, "{raw}/events: expected one folder per event, found none"),
    "page not UTF-8": (not_utf8, "{raw}/" + P + ":40: expected UTF-8 text, found 'ff 61 75 6c'"),
    "truncated page": (
        truncated,
        "{raw}/" + P + ":87: expected 5 cells as in the header at line 83, found '2 cells'",
    ),
    "missing column": (
        missing_column,
        "{raw}/" + P + ":68: expected a Result / Time column, "
        "found 'Rank | Athlete | Country | Notes'",
    ),
    "extra column": (
        extra_column,
        "{raw}/" + P + ":76: expected a column header, one of: Heat, Quarterfinal, Semifinal, "
        "Race, Rank, Place, Athlete, Name, Skater, Athletes, Skaters, Country, Nation, NOC, Team, "
        "Result, Time, Deficit, Gap, Notes, Note, found 'Lane'",
    ),
    "duplicated event": (
        duplicated_event,
        "{raw}/events/2006-men-1000m-copy/page.txt:1: expected"
        " one page per event ({raw}/events/2006-men-1000m/page.txt has this "
        'one), found "Short-track speed skating at the 2006 Winter Olympics – '
        "Men's 1000 metres\"",
    ),
    "duplicate athlete id": (
        duplicate_athlete_id,
        "{raw}/registry/athletes.csv:28: expected each athlete_id once, found 'li-ye'",
    ),
    "duplicate athlete name": (
        duplicate_athlete_name,
        "{raw}/registry/athletes.csv:28: expected a name no other athlete has (line 2 has it; "
        "disambiguate namesakes with distinct registry names and aliases.csv), found 'Li Ye'",
    ),
    "blank athlete name": (
        blank_athlete_name,
        "{raw}/registry/athletes.csv:28: expected a non-blank name, found ''",
    ),
    "blank alias": (
        blank_alias,
        "{raw}/registry/aliases.csv:5: expected a non-blank alias, found ''",
    ),
    "alias naming another athlete": (
        alias_naming_another_athlete,
        "{raw}/registry/aliases.csv:5: expected an alias that is not another athlete's name "
        "(Li Ye at {raw}/registry/athletes.csv:2; disambiguate namesakes with distinct registry "
        "names and aliases.csv), found 'LI YE'",
    ),
    "bad NOC": (
        bad_noc,
        "{raw}/registry/athletes.csv:5: expected a NOC listed in "
        "{raw}/registry/nocs.csv, found 'ENG'",
    ),
    "fastest beyond int8": (
        fastest_beyond_int8,
        "{raw}/events/" + SEED + "/event.toml:19: expected rounds.heats.advance.1.fastest: "
        "Input should be less than or equal to 127, found '128'",
    ),
    "50 MB line": (
        huge_line,
        "{raw}/" + P + ":126: expected a line of at most 100000 "
        "characters, found 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…'",
    ),
    "directory for a page": (
        directory_for_page,
        "{raw}/" + P + ": expected a page file, found none (or a directory)",
    ),
    "directory for a registry file": (
        directory_for_registry,
        "{raw}/registry/aliases.csv: expected a file, found the folder",
    ),
    "waiver pointing at nothing": (
        waiver_to_nowhere,
        "{raw}/waivers.toml:1: expected file = a file under {raw}/, found 'events/gone/page.txt'",
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_bad_input_exits_2_with_one_message_and_writes_nothing(
    cli: Cli, raw_copy: Path, tmp_path: Path, case: str
) -> None:
    setup, message = CASES[case]
    setup(raw_copy)
    warehouse = tmp_path / "wh"
    result = cli("run", "--raw", str(raw_copy), "--warehouse", str(warehouse))
    assert (result.code, result.out) == (2, "")
    assert result.err == "error: " + message.format(raw=raw_copy) + "\n"
    assert not warehouse.exists()  # not even the folder: it was new


def test_a_stray_in_raw_leaves_an_empty_warehouse_folder_untouched(
    cli: Cli, raw_copy: Path, tmp_path: Path
) -> None:
    (raw_copy / "notes.txt").write_text("to do", encoding="utf-8")
    warehouse = tmp_path / "wh"
    warehouse.mkdir()
    for options in ((), ("--full",)):
        result = cli("run", "--raw", str(raw_copy), "--warehouse", str(warehouse), *options)
        assert result.code == 2 and "found the file 'notes.txt'" in result.err
        assert list(warehouse.iterdir()) == []  # neither marked nor locked


def test_unwritable_warehouse_exits_2(cli: Cli, raw_copy: Path, tmp_path: Path) -> None:
    occupied = tmp_path / "a-file"
    occupied.write_text("not a folder")
    result = cli("run", "--raw", str(raw_copy), "--warehouse", str(occupied / "wh"))
    assert (result.code, result.out) == (2, "")
    assert result.err == f"error: {occupied}/wh: expected a writable folder (Not a directory)\n"


def test_a_file_in_place_of_the_database_link_is_refused(
    cli: Cli, raw_copy: Path, tmp_path: Path
) -> None:
    warehouse = tmp_path / "wh"
    warehouse.mkdir()
    (warehouse / "skating.duckdb").write_text("someone's own file")
    result = cli("run", "--raw", str(raw_copy), "--warehouse", str(warehouse))
    assert (result.code, result.err) == (
        2,
        f"error: {warehouse}/skating.duckdb: expected a link made by pipeline run (to "
        "current/skating.duckdb), found a file; move it away\n",
    )
    assert (warehouse / "skating.duckdb").read_text() == "someone's own file"


class FullDisk:
    """A DuckDB connection whose writes fail as they do on a full disk."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    def __enter__(self) -> FullDisk:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def execute(self, *args: object) -> None:
        raise self.error

    def cursor(self) -> FullDisk:  # the load's lanes write through cursors of the connection
        return self


# What DuckDB raised when a tmpfs filled up, depending on which write hit the limit.
NO_SPACE = 'Could not write file "{db}": No space left on device'
DISK_FULL_ERRORS = {
    "wal": (duckdb.TransactionException, "TransactionContext Error: Failed to commit: " + NO_SPACE),
    "checkpoint": (
        duckdb.FatalException,
        "FATAL Error: Failed to create checkpoint because of error: " + NO_SPACE,
    ),
    "io": (duckdb.IOException, "IO Error: " + NO_SPACE),
    "os": (OSError, ""),
}


def full_disk(kind: str, database: str) -> Exception:
    """The error a full disk of that kind raised while writing `database`."""
    cls, text = DISK_FULL_ERRORS[kind]
    if cls is OSError:
        return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    return cls(text.format(db=database))


def assert_refused_for_full_disk(
    result: CliResult, kind: str, database: str, warehouse: Path
) -> None:
    """Exit 2, nothing on stdout, one error naming the database, and the warehouse folder the
    run created removed."""
    cls, text = DISK_FULL_ERRORS[kind]
    detail = "No space left on device" if cls is OSError else text.format(db=database)
    error = f"error: {database}: expected free disk space, found none ({detail})\n"
    assert (result.code, result.out, result.err) == (2, "", error)
    assert not warehouse.exists()


@pytest.mark.parametrize("kind", DISK_FULL_ERRORS)
def test_a_full_disk_while_loading_exits_2_naming_the_database(
    cli: Cli, raw_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    databases: list[str] = []

    def connect(database: str, **config: object) -> FullDisk:
        databases.append(database)
        return FullDisk(full_disk(kind, database))

    monkeypatch.setattr(duckdb, "connect", connect)  # pipeline.warehouse connects through it
    warehouse = tmp_path / "wh"
    result = cli("run", "--raw", str(raw_copy), "--warehouse", str(warehouse))
    assert_refused_for_full_disk(result, kind, databases[0], warehouse)
    assert databases[0].endswith("/skating.duckdb") and databases[0].startswith(str(warehouse))


@pytest.mark.parametrize("kind", DISK_FULL_ERRORS)
def test_a_full_disk_after_the_checks_exits_2_naming_the_database(
    cli: Cli, raw_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    """Declaring the constraints and storing the verdict write the database too."""
    import checks.stored

    databases: list[str] = []

    def full(run: object, con: duckdb.DuckDBPyConnection) -> None:
        ((database,),) = con.execute(
            "SELECT path FROM duckdb_databases() WHERE NOT internal"
        ).fetchall()
        databases.append(Path(database).as_posix())
        raise full_disk(kind, databases[0])

    monkeypatch.setattr(checks.stored, "store_checks", full)
    warehouse = tmp_path / "wh"
    result = cli("run", "--raw", str(raw_copy), "--warehouse", str(warehouse))
    assert_refused_for_full_disk(result, kind, databases[0], warehouse)


def test_other_database_errors_keep_their_exit_code() -> None:
    from pipeline.warehouse import _write_error

    database = Path("wh/builds/b/skating.duckdb")
    denied = _write_error(
        database, duckdb.IOException('IO Error: Cannot open "x": Permission denied')
    )
    assert str(denied) == (
        'wh/builds/b/skating.duckdb: expected a writable database file (IO Error: Cannot open "x": '
        "Permission denied)"
    )
    assert _write_error(database, duckdb.BinderException("Binder Error: no such table")) is None


def test_an_error_of_the_merge_beside_the_load_and_checks_is_reported_exit_2(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An incremental build's Parquet is merged in a thread beside the load and the checks:
    its error still decides the run, and nothing is published."""
    raw, warehouse = Path(shutil.copytree(FIXTURES, tmp_path / "raw")), tmp_path / "wh"
    assert cli("run", "--raw", str(raw), "--warehouse", str(warehouse)).code == 0
    published = (warehouse / "current").resolve()
    page = raw / "events" / "2099-men-1000m" / "page.txt"
    page.write_text(page.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    results = f"{tmp_path}/results.parquet"

    def full(*args: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), results)

    monkeypatch.setattr("pipeline.ingest.merge_tables", full)
    result = cli("run", "--raw", str(raw), "--warehouse", str(warehouse))
    assert (result.code, result.out) == (2, "")
    assert result.err == f"error: {results}: No space left on device\n"
    assert (warehouse / "current").resolve() == published
    assert [build.name for build in (warehouse / "builds").iterdir()] == [published.name]


def test_a_full_disk_while_copying_the_published_database_exits_2(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An incremental build copies the published database before changing it: a full disk
    there is refused as one while loading is."""
    raw, warehouse = Path(shutil.copytree(FIXTURES, tmp_path / "raw")), tmp_path / "wh"
    assert cli("run", "--raw", str(raw), "--warehouse", str(warehouse)).code == 0
    page = raw / "events" / "2099-men-1000m" / "page.txt"
    page.write_text(page.read_text(encoding="utf-8") + "\n", encoding="utf-8")

    copyfile = shutil.copyfile  # the Parquet files of unchanged tables are copied too

    def full(source: Path, target: Path) -> None:
        if target.name != "skating.duckdb":
            copyfile(source, target)
            return
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr("pipeline.warehouse.shutil.copyfile", full)
    result = cli("run", "--raw", str(raw), "--warehouse", str(warehouse))
    assert (result.code, result.out) == (2, "")
    assert result.err.startswith("error: ") and result.err.endswith(
        "/skating.duckdb: expected free disk space, found none (No space left on device)\n"
    )
