"""A gate you can trust (issue 21): bad input reaches every CI format, only a checked build is
ever current, a published build that was changed is never reported as up to date, a fixed
failure takes its rejected build with it, and a reader closing the pipe changes no exit code."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree

import duckdb
import pyarrow.parquet as pq
import pytest

from tests.conftest import FIXTURES, SEED, CliResult, corrupt, line_of

Cli = Callable[..., CliResult]
RANK = "| 1 | Rusty Smith | | 1:27.000 | Q |"
TIME = "| 2 | Li Ye | | 1:27.078 | Q |"


@pytest.fixture
def bad_page(raw_copy: Path, seed_copy: Path) -> tuple[Path, str, list[int]]:
    """The seed page with two unreadable cells: a rank and a time (two problems, one run)."""
    corrupt(seed_copy, RANK, RANK.replace("| 1 |", "| 1x |"))
    corrupt(seed_copy, TIME, TIME.replace("1:27", "1;27"))
    lines = [line_of(seed_copy, "| 1x | Rusty Smith"), line_of(seed_copy, "| 1;27.078")]
    return raw_copy, f"{raw_copy}/events/{SEED}/page.txt", sorted(lines)


def _run(cli: Cli, raw: Path, tmp_path: Path, *args: str) -> CliResult:
    return cli("run", "--raw", str(raw), "--warehouse", str(tmp_path / "wh"), *args)


def test_bad_input_in_json_lists_every_problem(
    cli: Cli, bad_page: tuple[Path, str, list[int]], tmp_path: Path
) -> None:
    raw, page, lines = bad_page
    result = _run(cli, raw, tmp_path, "--format", "json")
    assert result.code == 2
    document = json.loads(result.out)
    assert document["passed"] is False
    assert document["summary"] == {
        "checks": 0,
        "passed": 0,
        "failed": 0,
        "warned": 0,
        "waived": 0,
        "errors": 0,
        "warnings": 0,
        "waived_failures": 0,
        "input_errors": 2,
    }
    assert [(e["path"], e["line"]) for e in document["errors"]] == [(page, n) for n in lines]
    first = document["errors"][0]
    assert first["expected"] == "a rank (a whole number up to 127) or –"
    assert first["found"] == "1x"
    assert first["message"] == f"{page}:{lines[0]}: expected {first['expected']}, found '1x'"
    assert result.err.count("error: ") == 2  # the terminal's lines too
    assert not (tmp_path / "wh").exists()  # and nothing was built


def test_bad_input_in_github_annotates_each_line(
    cli: Cli, bad_page: tuple[Path, str, list[int]], tmp_path: Path
) -> None:
    raw, page, lines = bad_page
    result = _run(cli, raw, tmp_path, "--format", "github")
    assert result.code == 2
    annotations = result.out.splitlines()
    assert [a.split("::")[1] for a in annotations] == [
        f"error file={page},line={n},title=input error" for n in lines
    ]
    assert annotations[0].endswith("::expected a rank (a whole number up to 127) or –, found '1x'")


def test_bad_input_in_junit_is_an_error_per_problem(
    cli: Cli, bad_page: tuple[Path, str, list[int]], tmp_path: Path
) -> None:
    raw, page, lines = bad_page
    report = tmp_path / "report.xml"
    result = _run(cli, raw, tmp_path, "--format", "junit", "--output", str(report))
    assert result.code == 2
    assert result.out == ""
    root = ElementTree.parse(report).getroot()
    assert (root.get("errors"), root.get("failures")) == ("2", "0")
    cases = root.findall("./testsuite/testcase")
    assert [case.get("name") for case in cases] == [f"{page}:{n}" for n in lines]
    errors = [case.find("error") for case in cases]
    assert all(e is not None and e.get("type") == "input-error" for e in errors)


@pytest.mark.parametrize("output_format", ["text", "html"])
def test_bad_input_in_a_report_file(
    cli: Cli, bad_page: tuple[Path, str, list[int]], tmp_path: Path, output_format: str
) -> None:
    raw, page, lines = bad_page
    report = tmp_path / f"report.{output_format}"
    result = _run(cli, raw, tmp_path, "--format", output_format, "--output", str(report))
    assert result.code == 2
    written = report.read_text(encoding="utf-8")
    for line in lines:
        assert f"{page}:{line}" in written
    if output_format == "text":
        assert written.splitlines() == [m for m in result.err.splitlines() if m.startswith("error")]
    else:
        assert written.count('<li class="input-error"') == 2
        assert "INPUT ERROR" in written


def test_check_without_a_warehouse_reports_in_json(cli: Cli, tmp_path: Path) -> None:
    result = cli("check", "--warehouse", str(tmp_path / "none"), "--format", "json")
    assert result.code == 2
    document = json.loads(result.out)
    assert document["passed"] is False
    assert [e["path"] for e in document["errors"]] == [f"{tmp_path}/none/skating.duckdb"]


def test_a_raw_value_cannot_write_a_second_annotation(
    cli: Cli, raw_copy: Path, seed_copy: Path, tmp_path: Path
) -> None:
    corrupt(seed_copy, RANK, RANK.replace("| 1 |", "| 1%0A::error::x |"))
    result = _run(cli, raw_copy, tmp_path, "--format", "github")
    assert result.code == 2
    assert len(result.out.splitlines()) == 1
    assert "%250A::error::x" in result.out


@pytest.mark.parametrize("command", ["ingest", "load"])
def test_no_command_publishes_an_unchecked_build(cli: Cli, command: str) -> None:
    result = cli(command)
    assert result.code == 2
    assert f"No such command '{command}'" in result.err


def _tamper_results(warehouse: Path) -> None:
    """What the stock CLI does, opened without -readonly: a write into the published file."""
    database = warehouse / "skating.duckdb"
    if os.geteuid() != 0:  # the files are read-only: only root (or a chmod) gets through
        os.chmod(database.resolve(), 0o644)
    with duckdb.connect(str(database)) as con:
        con.execute("DELETE FROM results WHERE rank = 1")


def test_published_files_are_read_only(cli: Cli, raw_copy: Path, tmp_path: Path) -> None:
    assert _run(cli, raw_copy, tmp_path).code == 0
    build = (tmp_path / "wh" / "current").resolve()
    files = [p for p in build.rglob("*") if p.is_file()]
    assert {"skating.duckdb", "manifest.json", "report.json", "seal.json"} <= {
        p.name for p in files
    }
    assert [p.name for p in files if os.stat(p).st_mode & (stat.S_IWUSR | stat.S_IWGRP)] == []


def test_a_tampered_warehouse_is_rebuilt_not_up_to_date(
    cli: Cli, raw_copy: Path, tmp_path: Path
) -> None:
    assert _run(cli, raw_copy, tmp_path).code == 0
    tampered = (tmp_path / "wh" / "current").resolve().name
    _tamper_results(tmp_path / "wh")
    again = _run(cli, raw_copy, tmp_path)
    assert again.code == 0
    assert again.err == (
        f"warning: the published build {tampered} changed after its checks ran "
        "(skating.duckdb changed): rebuilding it from raw/\n"
    )
    assert "up to date" not in again.out and "published build" in again.out
    with duckdb.connect(str(tmp_path / "wh" / "skating.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM results").fetchall() == [(58,)]
    assert "up to date" in _run(cli, raw_copy, tmp_path).out  # the new build, untouched


def test_check_says_when_it_judges_a_changed_build(
    cli: Cli, raw_copy: Path, tmp_path: Path
) -> None:
    assert _run(cli, raw_copy, tmp_path).code == 0
    build = (tmp_path / "wh" / "current").resolve().name
    assert cli("check", "--warehouse", str(tmp_path / "wh")).err == ""
    _tamper_results(tmp_path / "wh")
    checked = cli("check", "--warehouse", str(tmp_path / "wh"))
    assert checked.code == 1  # the checks judge the data as it is now
    assert checked.err == (
        f"warning: the build {build} changed (skating.duckdb changed) since it was published: "
        "the checks judge the data as it is now\n"
    )


def test_tampered_parquet_is_never_reused(cli: Cli, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    subprocess.run(["cp", "-r", str(FIXTURES), str(raw)], check=True)
    assert _run(cli, raw, tmp_path).code == 0
    results = (tmp_path / "wh" / "current" / "parquet" / "results.parquet").resolve()
    whole = pq.read_table(results)
    os.chmod(results, 0o644)
    pq.write_table(whole.slice(1), results)  # one result row gone
    page = next(raw.glob("events/*/page.txt"))
    page.write_bytes(page.read_bytes() + b"\n")  # one event changed: the rest could be reused
    again = _run(cli, raw, tmp_path)
    assert again.code == 0, again.out
    assert "unchanged" not in again.out  # every event parsed again, none copied
    rebuilt = pq.read_table(tmp_path / "wh" / "current" / "parquet" / "results.parquet")
    assert rebuilt.num_rows == whole.num_rows


def test_a_publish_removes_the_rejected_build(
    cli: Cli, raw_copy: Path, seed_copy: Path, tmp_path: Path
) -> None:
    corrupt(seed_copy, "- Competitors: 26", "- Competitors: 25")
    assert _run(cli, raw_copy, tmp_path).code == 1
    assert (tmp_path / "wh" / "rejected").is_dir()
    corrupt(seed_copy, "- Competitors: 25", "- Competitors: 26")
    assert _run(cli, raw_copy, tmp_path).code == 0
    assert not (tmp_path / "wh" / "rejected").exists()


def _to_a_closed_pipe(*args: str) -> int:
    """Exit code of `pipeline ARGS` whose stdout and stderr are a pipe nobody reads (closed
    before the command writes anything: every write meets EPIPE, whatever the timing)."""
    reading, writing = os.pipe()
    os.close(reading)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "pipeline", *args],
            stdout=writing,
            stderr=writing,
            stdin=subprocess.DEVNULL,
            timeout=120,
        )
    finally:
        os.close(writing)
    return done.returncode


def test_a_closed_pipe_changes_no_exit_code(
    raw_copy: Path, seed_copy: Path, tmp_path: Path
) -> None:
    warehouse = str(tmp_path / "wh")
    assert _to_a_closed_pipe("run", "--raw", str(raw_copy), "--warehouse", warehouse) == 0
    assert _to_a_closed_pipe("run", "--raw", str(raw_copy), "--warehouse", warehouse) == 0
    assert _to_a_closed_pipe("check", "--warehouse", warehouse, "--format", "json") == 0
    query = "SELECT * FROM range(100000)"
    assert _to_a_closed_pipe("sql", query, "--warehouse", warehouse, "--format", "csv") == 0
    corrupt(seed_copy, "- Competitors: 26", "- Competitors: 25")
    assert _to_a_closed_pipe("run", "--raw", str(raw_copy), "--warehouse", warehouse) == 1
    assert _to_a_closed_pipe("run", "--raw", str(tmp_path / "none"), "--warehouse", warehouse) == 2


def test_a_copy_of_a_warehouse_stays_sealed(cli: Cli, raw_copy: Path, tmp_path: Path) -> None:
    assert _run(cli, raw_copy, tmp_path).code == 0
    copy = tmp_path / "copy"
    subprocess.run(["cp", "-a", str(tmp_path / "wh"), str(copy)], check=True)  # new inodes
    again = cli("run", "--raw", str(raw_copy), "--warehouse", str(copy))
    assert (again.code, again.err) == (0, "")
    assert "up to date" in again.out


@pytest.mark.parametrize("swap", ["file", "link"])
def test_a_database_swapped_in_beside_the_build_is_refused(
    cli: Cli, raw_copy: Path, tmp_path: Path, swap: str
) -> None:
    assert _run(cli, raw_copy, tmp_path).code == 0
    warehouse = tmp_path / "wh"
    other = tmp_path / "other.duckdb"
    other.write_bytes((warehouse / "skating.duckdb").read_bytes())
    (warehouse / "skating.duckdb").unlink()
    if swap == "file":
        os.rename(other, warehouse / "skating.duckdb")
        found = "a file"
    else:
        os.symlink(other, warehouse / "skating.duckdb")
        found = f"a link to '{other}'"
    checked = cli("check", "--warehouse", str(warehouse))
    assert checked.err.startswith(
        "warning: skating.duckdb is not the link to the published build since it was published"
    )
    again = _run(cli, raw_copy, tmp_path)
    assert (again.code, again.out) == (2, "")
    assert again.err == (
        f"error: {warehouse}/skating.duckdb: expected a link made by pipeline run (to "
        f"current/skating.duckdb), found {found}; move it away\n"
    )


def test_a_revert_after_a_failure_removes_the_rejected_build(
    cli: Cli, raw_copy: Path, seed_copy: Path, tmp_path: Path
) -> None:
    assert _run(cli, raw_copy, tmp_path).code == 0
    corrupt(seed_copy, "- Competitors: 26", "- Competitors: 25")
    assert _run(cli, raw_copy, tmp_path).code == 1
    corrupt(seed_copy, "- Competitors: 25", "- Competitors: 26")
    reverted = _run(cli, raw_copy, tmp_path)
    assert reverted.code == 0 and "up to date" in reverted.out
    assert not (tmp_path / "wh" / "rejected").exists()


def test_a_warehouse_that_cannot_be_written_is_reported_in_json(
    cli: Cli, raw_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(build: Path, hashed: object = None) -> None:
        raise OSError(28, "No space left on device", str(build / "seal.json"))

    monkeypatch.setattr("pipeline.publish.seal", full_disk)
    result = _run(cli, raw_copy, tmp_path, "--format", "json")
    assert result.code == 2
    [error] = json.loads(result.out)["errors"]
    assert error["path"].endswith("/seal.json")
    assert error["message"].endswith("/seal.json: No space left on device")
    assert result.err.startswith(f"error: {tmp_path}/wh/builds/")


def test_a_file_that_is_no_warehouse_is_bad_input(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "wh").mkdir()
    (tmp_path / "wh" / "skating.duckdb").write_text("not a database")
    result = cli("check", "--warehouse", str(tmp_path / "wh"), "--format", "json")
    assert result.code == 2
    [error] = json.loads(result.out)["errors"]
    assert error["message"].startswith(
        f"{tmp_path}/wh/skating.duckdb: expected a warehouse built by `pipeline run`, found a "
        "file DuckDB reads as: IO Error"
    )


def test_an_annotation_names_a_file_only_where_there_is_one(
    cli: Cli, built_warehouse: Path
) -> None:
    result = cli("check", "--warehouse", str(built_warehouse), "--select", "nope.*")
    assert result.code == 2
    github = cli(
        "check", "--warehouse", str(built_warehouse), "--select", "nope.*", "--format", "github"
    )
    assert github.out.startswith("::error title=input error::--select: ")


def test_a_raw_path_that_is_not_utf8_is_refused(cli: Cli, tmp_path: Path) -> None:
    raw = Path(os.fsdecode(bytes(tmp_path) + b"/raw\xff"))
    result = cli("run", "--raw", str(raw), "--warehouse", str(tmp_path / "wh"))
    assert result.code == 2
    assert result.err == (
        f"error: {tmp_path}/raw\\udcff: expected a path in UTF-8, found bytes that are not\n"
    )


def _pipeline(*args: str, shell: str = '"$@"', **env: str) -> subprocess.CompletedProcess[str]:
    """`pipeline ARGS` in a shell (to close a descriptor: `"$@" >&-`), with extra environment."""
    command = ["bash", "-c", shell, "pipeline", sys.executable, "-m", "pipeline", *args]
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
        env={**os.environ, **env},
    )


def test_a_descriptor_closed_from_the_start_changes_no_exit_code(
    raw_copy: Path, tmp_path: Path
) -> None:
    run = ("run", "--raw", str(raw_copy), "--warehouse", str(tmp_path / "wh"))
    assert _pipeline(*run, shell='"$@" >&-').returncode == 0
    assert _pipeline(*run, shell='"$@" 2>&-').returncode == 0
    query = ("sql", "SELECT 1", "--warehouse", str(tmp_path / "wh"))
    assert _pipeline(*query, shell='"$@" >&- 2>&-').returncode == 0


def test_output_the_terminal_cannot_encode_is_escaped(
    bad_page: tuple[Path, str, list[int]], tmp_path: Path
) -> None:
    raw, _, _ = bad_page
    run = ("run", "--raw", str(raw), "--warehouse", str(tmp_path / "wh"), "--format", "json")
    done = _pipeline(*run, PYTHONIOENCODING="ascii")
    assert done.returncode == 2
    assert "\\u2013" in done.stdout  # the en dash of "or –", escaped, not a crash
    assert done.stderr.count("error: ") == 2


def test_sql_stops_when_its_reader_has_gone(raw_copy: Path, tmp_path: Path) -> None:
    warehouse = str(tmp_path / "wh")
    assert _to_a_closed_pipe("run", "--raw", str(raw_copy), "--warehouse", warehouse) == 0
    # Every row would take minutes to write to /dev/null; the reader's going ends it at once.
    endless = "SELECT * FROM range(10000000000)"
    assert _to_a_closed_pipe("sql", endless, "--warehouse", warehouse, "--format", "csv") == 0


def test_an_interrupt_after_the_swap_keeps_the_published_build(
    raw_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Ctrl-C while publish tidies up (after `current` moved) must not delete the
    build `current` now points at."""
    from pipeline import build

    warehouse = tmp_path / "wh"
    build.run(raw_copy, warehouse)

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("pipeline.publish.discard_rejected", interrupted)  # after the swap
    with pytest.raises(KeyboardInterrupt):
        build.run(raw_copy, warehouse, incremental=False)
    monkeypatch.undo()
    assert (warehouse / "current" / "skating.duckdb").is_file()
    with duckdb.connect(str(warehouse / "skating.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM results").fetchall() == [(58,)]


def test_a_users_link_in_the_warehouse_is_never_deleted(
    cli: Cli, raw_copy: Path, tmp_path: Path
) -> None:
    assert _run(cli, raw_copy, tmp_path).code == 0
    notes = tmp_path / "wh" / ".my.notes"
    notes.symlink_to(tmp_path)
    assert _run(cli, raw_copy, tmp_path, "--full").code == 0
    assert notes.is_symlink()


def test_a_report_never_overwrites_an_input(cli: Cli, raw_copy: Path, tmp_path: Path) -> None:
    waivers = raw_copy / "waivers.toml"
    before = waivers.read_bytes()
    result = _run(cli, raw_copy, tmp_path, "--format", "json", "--output", str(waivers))
    assert (result.code, result.out) == (2, "")
    assert result.err == (
        f"error: {waivers}: expected a report file outside the raw folder (every file in it is "
        f"an input, read or refused), found a path inside {raw_copy}\n"
    )
    assert waivers.read_bytes() == before


def test_check_report_lines_are_bounded(
    cli: Cli, raw_copy: Path, seed_copy: Path, tmp_path: Path
) -> None:
    """A 50,000-character name gives short failure lines in every format (item 17)."""
    long_name = "Rusty " + "s" * 50_000
    athletes = raw_copy / "registry" / "athletes.csv"
    athletes.write_text(
        athletes.read_text(encoding="utf-8").replace("Rusty Smith", long_name), encoding="utf-8"
    )
    # Printed in another case: resolved, with an identity.indirect-name warning quoting it.
    corrupt(seed_copy, "Rusty Smith", long_name.upper(), count=4)
    result = _run(cli, raw_copy, tmp_path)
    assert result.code == 0, result.err
    quoted = [line for line in result.out.splitlines() if "RUSTY SSS" in line]
    assert quoted and max(len(line) for line in quoted) < 1_000
    checked = cli("check", "--warehouse", str(tmp_path / "wh"), "--format", "github")
    assert max(len(line) for line in checked.out.splitlines()) < 1_000


def test_check_never_writes_its_report_into_the_raw_folder(
    cli: Cli, raw_copy: Path, tmp_path: Path
) -> None:
    """Found by a newcomer's trial: check --output raw/…/page.txt replaced the page."""
    assert _run(cli, raw_copy, tmp_path).code == 0
    page = raw_copy / "events" / SEED / "page.txt"
    before = page.read_bytes()
    args = ("check", "--warehouse", str(tmp_path / "wh"), "--format", "json")
    result = cli(*args, "--output", str(page))
    assert (result.code, result.out) == (2, "")
    assert result.err == (
        f"error: {page}: expected a report file outside the raw folder (every file in it is an "
        f"input, read or refused), found a path inside {raw_copy}\n"
    )
    assert page.read_bytes() == before
