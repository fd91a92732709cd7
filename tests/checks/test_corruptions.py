"""The mutation harness: each named corruption of the real page fails exactly the expected
checks at exactly the expected lines; the clean pages pass."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from checks.catalog import ALL_CHECKS
from tests.checks.corruptions import CORRUPTIONS, WARNINGS
from tests.checks.harness import Corruption, build_and_check, open_failures
from tests.checks.test_tampering import TAMPERINGS
from tests.checks.test_waivers import STALE_WAIVER_CHECK
from tests.conftest import RAW, SEED


@pytest.fixture
def seed_folder(raw_copy: Path) -> Path:
    return raw_copy / "events" / SEED


def test_clean_pages_pass_with_exactly_the_expected_warnings(tmp_path: Path) -> None:
    run = build_and_check(RAW, tmp_path)
    assert not run.failed
    assert open_failures(run) == set()
    assert open_failures(run, "warn") == {
        ("identity.indirect-name", "page.txt", 77),
        ("identity.indirect-name", "page.txt", 84),
        ("identity.indirect-name", "page.txt", 110),
    }


@pytest.mark.parametrize("corruption", CORRUPTIONS, ids=lambda c: c.name)
def test_corruption_fails_the_expected_checks_at_their_lines(
    tmp_path: Path, corruption: Corruption
) -> None:
    raw = Path(shutil.copytree(corruption.raw, tmp_path / "raw"))
    folder = raw / "events" / corruption.event
    corruption.apply(folder)
    run = build_and_check(raw, tmp_path / "scratch")
    assert run.failed
    assert open_failures(run) == corruption.located(folder)


@pytest.mark.parametrize("corruption", WARNINGS, ids=lambda c: c.name)
def test_warning_corruption_is_listed_but_passes(
    raw_copy: Path, seed_folder: Path, tmp_path: Path, corruption: Corruption
) -> None:
    corruption.apply(seed_folder)
    run = build_and_check(raw_copy, tmp_path / "scratch")
    assert not run.failed
    assert open_failures(run, "warn") == corruption.located(seed_folder)


def test_every_check_in_the_catalogue_is_proven_to_fire() -> None:
    fired = {c[0] for corruption in (*CORRUPTIONS, *WARNINGS) for c in corruption.expected}
    fired |= {c[0] for tampering in TAMPERINGS for c in tampering.expected}
    fired.add(STALE_WAIVER_CHECK)
    assert fired == {check.id for check in ALL_CHECKS}
    assert len(CORRUPTIONS) + len(WARNINGS) >= 40


def test_hand_written_pages_pass_too(tmp_path: Path) -> None:
    fixtures = Path(__file__).resolve().parent.parent / "fixtures" / "raw"
    run = build_and_check(fixtures, tmp_path)
    assert open_failures(run) == set()
    assert open_failures(run, "warn") == {("identity.indirect-name", "page.txt", 39)}
