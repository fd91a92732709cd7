"""Write-audit-publish under SIGKILL, two writers, and readers during rebuilds.

Nothing here asserts on timing: kill points are drawn at random over a measured run, and every
assertion holds whatever the interleaving turned out to be.
"""

from __future__ import annotations

import fcntl
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from checks.runner import run_all
from tests.conftest import SEED, corrupt

VENUES = ("Torino Palavela", "Palavela di Torino")


def pipeline(*args: str) -> list[str]:
    return [sys.executable, "-m", "pipeline", *args]


@pytest.fixture
def two_raws(raw_copy: Path, tmp_path: Path) -> tuple[Path, Path]:
    """The real raw/ and a copy whose venue differs: two valid versions of the warehouse."""
    other = tmp_path / "raw-b"
    subprocess.run(["cp", "-r", str(raw_copy), str(other)], check=True)
    corrupt(other / "events" / SEED / "page.txt", f"- Venue: {VENUES[0]}", f"- Venue: {VENUES[1]}")
    return raw_copy, other


def observe(warehouse: Path) -> tuple[int, str]:
    """(result rows, venue) as a reader of warehouse/skating.duckdb sees them."""
    with duckdb.connect(str(warehouse / "skating.duckdb"), read_only=True) as con:
        row = con.execute(
            "SELECT (SELECT count(*) FROM results), (SELECT venue FROM events)"
        ).fetchone()
    assert row is not None
    return int(row[0]), str(row[1])


def test_sigkill_at_any_point_leaves_a_complete_warehouse(
    two_raws: tuple[Path, Path], tmp_path: Path
) -> None:
    warehouse = tmp_path / "wh"
    started = time.monotonic()
    subprocess.run(
        pipeline("run", "--raw", str(two_raws[0]), "--warehouse", str(warehouse)),
        check=True,
        capture_output=True,
        timeout=120,
    )
    duration = time.monotonic() - started
    draw = random.Random(20061518)
    for trial in range(30):
        raw = two_raws[trial % 2]
        process = subprocess.Popen(
            pipeline("run", "--raw", str(raw), "--warehouse", str(warehouse)),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(draw.uniform(0, duration * 1.1))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        assert observe(warehouse) in {(58, VENUES[0]), (58, VENUES[1])}, f"trial {trial}"
        assert not run_all(warehouse / "skating.duckdb").failed, f"trial {trial}"
        assert pq.read_table(warehouse / "parquet" / "results.parquet").num_rows == 58
    subprocess.run(
        pipeline("run", "--raw", str(two_raws[1]), "--warehouse", str(warehouse)),
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert observe(warehouse) == (58, VENUES[1])
    assert len(list((warehouse / "builds").iterdir())) <= 2  # current and previous only
    assert [p.name for p in warehouse.glob(".*.*")] == []


def test_a_second_writer_is_refused_while_the_lock_is_held(raw_copy: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "wh"
    warehouse.mkdir()
    with open(warehouse / ".lock", "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        done = subprocess.run(
            pipeline("run", "--raw", str(raw_copy), "--warehouse", str(warehouse)),
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode == 2
    assert done.stderr == (
        f"error: {warehouse}/.lock: another pipeline run is writing this warehouse; try again "
        "when it has finished\n"
    )
    assert not (warehouse / "current").exists()


def test_two_writers_at_once_never_both_write(raw_copy: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "wh"
    command = pipeline("run", "--raw", str(raw_copy), "--warehouse", str(warehouse))
    first = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    second = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    outcomes = sorted(
        (process.wait(timeout=120), process.communicate()[1]) for process in (first, second)
    )
    # Either they happened not to overlap (both 0), or the later one was refused.
    assert outcomes[0][0] == 0
    assert outcomes[1][0] == 0 or "another pipeline run is writing" in outcomes[1][1]
    assert observe(warehouse) == (58, VENUES[0])
    assert not run_all(warehouse / "skating.duckdb").failed


def test_readers_see_the_old_or_the_new_warehouse_never_a_mix(
    two_raws: tuple[Path, Path], tmp_path: Path
) -> None:
    warehouse = tmp_path / "wh"
    subprocess.run(
        pipeline("run", "--raw", str(two_raws[0]), "--warehouse", str(warehouse)),
        check=True,
        capture_output=True,
        timeout=120,
    )
    script = " && ".join(
        " ".join(pipeline("run", "--raw", str(two_raws[i % 2]), "--warehouse", str(warehouse)))
        for i in range(1, 5)
    )
    writer = subprocess.Popen(["bash", "-c", script], stdout=subprocess.DEVNULL)
    seen: list[tuple[int, str]] = []
    parquet_seen: list[tuple[int, str]] = []
    errors: list[BaseException] = []

    def read_parquet() -> None:
        # The documented way for multi-file Parquet readers: resolve `current` once per read.
        while writer.poll() is None:
            try:
                build = Path(os.path.realpath(warehouse / "current"))
                results = pq.read_table(build / "parquet" / "results.parquet")
                events = pq.read_table(build / "parquet" / "events.parquet")
                parquet_seen.append((results.num_rows, events["venue"][0].as_py()))
            except BaseException as error:  # every failure is a finding
                errors.append(error)

    thread = threading.Thread(target=read_parquet)
    thread.start()
    duckdb_cli = shutil.which("duckdb", path=str(Path(sys.executable).parent)) or "duckdb"
    cli_seen: list[str] = []
    while writer.poll() is None:
        seen.append(observe(warehouse))
        if len(seen) % 20 == 1:  # the stock CLI, read-only, as the README tells users
            done = subprocess.run(
                [
                    duckdb_cli,
                    "-readonly",
                    "-list",
                    "-noheader",
                    str(warehouse / "skating.duckdb"),
                    "SELECT count(*), any_value(venue) FROM results, events",
                ],
                capture_output=True,
                text=True,
                timeout=60,
                check=True,
            )
            cli_seen.append(done.stdout.strip())
    thread.join()
    assert writer.returncode == 0
    assert errors == []
    assert seen and set(seen) <= {(58, VENUES[0]), (58, VENUES[1])}
    assert set(parquet_seen) <= {(58, VENUES[0]), (58, VENUES[1])}
    assert cli_seen and set(cli_seen) <= {f"58|{VENUES[0]}", f"58|{VENUES[1]}"}
    cli = subprocess.run(
        pipeline(
            "sql", "SELECT venue FROM events", "--warehouse", str(warehouse), "--format", "csv"
        ),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert cli.stdout == f"venue\n{VENUES[0]}\n"  # four rebuilds end on raw A


def test_debris_of_a_killed_run_is_cleaned_by_the_next(raw_copy: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "wh"
    (warehouse / "builds" / "20260101T000000-killed").mkdir(parents=True)
    (warehouse / "builds" / "20260101T000000-killed" / "skating.duckdb").write_text("partial")
    os.symlink("builds/20260101T000000-killed", warehouse / ".current.999")
    subprocess.run(
        pipeline("run", "--raw", str(raw_copy), "--warehouse", str(warehouse)),
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert [p.name for p in (warehouse / "builds").iterdir()] == [
        os.readlink(warehouse / "current").split("/")[1]
    ]
    assert not (warehouse / ".current.999").is_symlink()
