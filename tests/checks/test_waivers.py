"""Waivers: a reviewed waiver turns a failure into a waived one; a stale waiver fails."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from core.errors import SourceError
from pipeline.read.waivers import load_waivers
from tests.checks.harness import build_and_check, open_failures
from tests.conftest import SEED, corrupt

WAIVER = """
[[waiver]]
check = "{check}"
file = "events/2006-men-1000m/page.txt"
line = {line}
reason = "The source page miscounts; checked against the official report."
"""


def add_waiver(raw: Path, check: str, line: int) -> Path:
    waivers = raw / "waivers.toml"
    waivers.write_text(waivers.read_text() + WAIVER.format(check=check, line=line))
    return waivers


def test_waiver_accepts_a_real_failure(raw_copy: Path, seed_copy: Path, tmp_path: Path) -> None:
    # An infobox NOC no other check reads (the reference compares the entry's NOC).
    corrupt(seed_copy, "- Goldnoc: KOR", "- Goldnoc: CHN")
    add_waiver(raw_copy, "tallies.medal-nocs", 11)
    run = build_and_check(raw_copy, tmp_path / "scratch")
    assert not run.failed
    (waived,) = [f for f in run.failures if f.waiver]
    assert (waived.check_id, waived.line, waived.waiver) == (
        "tallies.medal-nocs",
        11,
        "The source page miscounts; checked against the official report.",
    )
    assert [run.status(c) for c in run.checks if c.id == "tallies.medal-nocs"] == ["waived"]


STALE_WAIVER_CHECK = "waivers.unused"


def test_waiver_matching_nothing_fails(raw_copy: Path, tmp_path: Path) -> None:
    waivers = add_waiver(raw_copy, "tallies.competitors", 8)
    run = build_and_check(raw_copy, tmp_path / "scratch")
    assert run.failed
    start = waivers.read_text().splitlines().index("[[waiver]]") + 1
    assert open_failures(run) == {(STALE_WAIVER_CHECK, "waivers.toml", start)}


def test_waiver_of_an_unknown_check_fails(raw_copy: Path, tmp_path: Path) -> None:
    add_waiver(raw_copy, "tallies.no-such-check", 8)
    run = build_and_check(raw_copy, tmp_path / "scratch")
    assert [f.check_id for f in run.failures if f.severity == "error"] == ["waivers.unused"]


@pytest.mark.parametrize(
    "file, line, expected",
    [
        ("events/nowhere/page.txt", 8, "file = a file under"),
        (f"events/{SEED}/page.txt", 500, "line = a line of events/2006-men-1000m/page.txt (1 to"),
    ],
)
def test_waiver_pointing_at_nothing_is_refused(
    raw_copy: Path, tmp_path: Path, file: str, line: int, expected: str
) -> None:
    waivers = raw_copy / "waivers.toml"
    waivers.write_text(
        WAIVER.format(check="tallies.competitors", line=line).replace(
            f"events/{SEED}/page.txt", file
        )
    )
    with pytest.raises(SourceError) as caught:
        build_and_check(raw_copy, tmp_path / "scratch")
    assert (caught.value.line, caught.value.expected[: len(expected)]) == (2, expected)


def waiver_on(raw: Path, file: str, line: int) -> None:
    (raw / "waivers.toml").write_text(
        WAIVER.format(check="tallies.competitors", line=line).replace(
            f"events/{SEED}/page.txt", file
        )
    )


@pytest.mark.parametrize(
    "file",
    ["/etc/passwd", "/etc/shadow", "/no/such/file", "../../../../etc/passwd", "events/../.."],
)
def test_a_waiver_outside_raw_is_refused_revealing_nothing(raw_copy: Path, file: str) -> None:
    # Line 1 of a file that exists, and a line beyond any file's end, are refused alike.
    for line in (1, 10**9):
        waiver_on(raw_copy, file, line)
        with pytest.raises(SourceError) as caught:
            load_waivers(raw_copy, "raw")
        assert str(caught.value) == (
            "raw/waivers.toml:2: expected file = a path relative to raw/ that stays inside it, "
            f"found {file!r}"
        )


def test_a_waiver_through_a_link_leading_out_of_raw_is_refused(
    raw_copy: Path, tmp_path: Path
) -> None:
    os.symlink("/etc", raw_copy / "events" / SEED / "etc")
    waiver_on(raw_copy, f"events/{SEED}/etc/passwd", 1)
    with pytest.raises(SourceError) as caught:
        load_waivers(raw_copy, "raw")
    assert caught.value.expected == "file = a path relative to raw/ that stays inside it"


def test_a_waiver_line_given_as_text_is_refused(raw_copy: Path) -> None:
    waivers = raw_copy / "waivers.toml"
    waivers.write_text(
        waivers.read_text() + WAIVER.format(check="tallies.nations", line='"9"'), encoding="utf-8"
    )
    with pytest.raises(SourceError) as refused:
        build_and_check(raw_copy, raw_copy.parent / "scratch")
    assert refused.value.expected.startswith("waiver.0.line: Input should be a valid integer")
