"""`pipeline add` stays inside raw/ and writes all or nothing: it scans raw/ as `run` does
before reading it, checks every place it writes before writing, holds raw/'s lock, leaves no
half-written event after a kill (and clears what a kill left), and refuses a page raw/ already
holds under another id.

Nothing here depends on timing: the lock is held by the test itself, and kills are made at a
chosen write step by a patched `os` function in a subprocess.
"""

from __future__ import annotations

import fcntl
import itertools
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from pipeline.add.staging import clear_debris, reading_raw
from pipeline.read.rawlock import raw_lock
from pipeline.read.rawtree import scan_raw
from tests.add.helpers import FIXTURES, Cli, fixture_page, tree
from tests.conftest import SEED, SEED_PAGE

MEN_1000 = "2099-men-1000m"
MEN_1500 = "2099-men-1500m"


def fixture_raw(tmp_path: Path) -> Path:
    """raw/ holding nocs.csv only, the fixture pages' NOCs among them."""
    raw = tmp_path / "raw"
    (raw / "registry").mkdir(parents=True)
    shutil.copy(FIXTURES / "registry" / "nocs.csv", raw / "registry" / "nocs.csv")
    return raw


def outside(tmp_path: Path) -> Path:
    """A folder beside raw/ with a file in it: what no add may read or write."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "athletes.csv").write_text("athlete_id,name,noc\nsecret-person,Secret Person,CAN\n")
    return folder


# 9. add scans raw/ as run does, before reading anything.


def test_add_refuses_a_link_out_of_raw_where_it_would_write_the_event(
    cli: Cli, tmp_path: Path
) -> None:
    raw, away = fixture_raw(tmp_path), outside(tmp_path)
    (raw / "events").mkdir()
    (raw / "events" / MEN_1000).symlink_to(away, target_is_directory=True)
    before, outside_before = tree(raw), tree(away)
    result = cli("add", str(fixture_page(MEN_1000)), "--raw", str(raw))
    assert (result.code, result.out, result.err) == (
        2,
        "",
        f"error: {raw}/events/{MEN_1000}: expected a file or folder inside {raw}, found a "
        "link leading out\n",
    )
    assert (tree(raw), tree(away)) == (before, outside_before)


def test_add_refuses_registry_links_out_of_raw_without_echoing_their_files(
    cli: Cli, tmp_path: Path
) -> None:
    raw, away = fixture_raw(tmp_path), outside(tmp_path)
    (raw / "registry" / "athletes.csv").symlink_to(away / "athletes.csv")
    (raw / "registry" / "aliases.csv").symlink_to("/etc/passwd")
    outside_before = tree(away)
    result = cli("add", str(fixture_page(MEN_1000)), "--raw", str(raw))
    leading_out = f"expected a file or folder inside {raw}, found a link leading out"
    assert (result.code, result.out, result.err.splitlines()) == (
        2,
        "",
        [
            f"error: {raw}/registry/aliases.csv: {leading_out}",
            f"error: {raw}/registry/athletes.csv: {leading_out}",
        ],
    )
    assert tree(away) == outside_before
    assert not (raw / "events").exists()


def test_add_refuses_a_stray_file_in_raw_as_run_does(cli: Cli, tmp_path: Path) -> None:
    raw = fixture_raw(tmp_path)
    (raw / "notes.txt").write_text("mine\n")
    before = tree(raw)
    result = cli("add", str(fixture_page(MEN_1000)), "--raw", str(raw))
    assert (result.code, result.err) == (
        2,
        f"error: {raw}: expected only events/, registry/, reference/, waivers.toml and README.md "
        f"here (pages go in {raw}/events/<event-id>/page.txt), found the file 'notes.txt'\n",
    )
    assert tree(raw) == before


# 10. Every target is checked before anything is written.


@pytest.mark.parametrize("blocked", ["event.toml", "page.txt"])
def test_a_folder_where_a_file_goes_refuses_the_add_before_the_registry_is_written(
    cli: Cli, tmp_path: Path, blocked: str
) -> None:
    raw = fixture_raw(tmp_path)
    (raw / "events" / MEN_1000 / blocked).mkdir(parents=True)
    before = tree(raw)
    result = cli("add", str(fixture_page(MEN_1000)), "--raw", str(raw))
    assert (result.code, result.out, result.err) == (
        2,
        "",
        f"error: {raw}/events/{MEN_1000}/{blocked}: expected a file or nothing here for "
        "pipeline add, found a folder\n",
    )
    assert tree(raw) == before
    assert sorted(os.listdir(raw / "registry")) == ["nocs.csv"]


@pytest.mark.parametrize("blocked", ["events", f"events/{MEN_1000}"])
def test_a_file_where_a_folder_goes_refuses_the_add_before_the_registry_is_written(
    cli: Cli, tmp_path: Path, blocked: str
) -> None:
    raw = fixture_raw(tmp_path)
    (raw / blocked).parent.mkdir(exist_ok=True)
    (raw / blocked).write_text("mine\n")
    before = tree(raw)
    result = cli("add", str(fixture_page(MEN_1000)), "--raw", str(raw))
    expected = {
        "events": f"{raw}/events: expected a folder or nothing here for pipeline add, found a file",
        f"events/{MEN_1000}": f"{raw}/events: expected only event folders named with letters, "
        "digits, '-', '_' and '.', a letter or digit first here (pages go in "
        f"{raw}/events/<event-id>/page.txt), found the file '{MEN_1000}'",
    }
    assert (result.code, result.out, result.err) == (2, "", f"error: {expected[blocked]}\n")
    assert tree(raw) == before


def test_a_link_inside_raw_where_a_file_goes_is_refused(cli: Cli, tmp_path: Path) -> None:
    raw = fixture_raw(tmp_path)
    (raw / "events" / MEN_1000).mkdir(parents=True)
    (raw / "events" / MEN_1000 / "event.toml").symlink_to("../../registry/nocs.csv")
    nocs = (raw / "registry" / "nocs.csv").read_bytes()
    result = cli("add", str(fixture_page(MEN_1000)), "--raw", str(raw))
    assert (result.code, result.err) == (
        2,
        f"error: {raw}/events/{MEN_1000}/event.toml: expected a file or nothing here for "
        "pipeline add, found a link (pipeline add writes nothing through a link)\n",
    )
    assert (raw / "registry" / "nocs.csv").read_bytes() == nocs
    assert sorted(os.listdir(raw / "registry")) == ["nocs.csv"]


# 11. One writer: add holds raw/'s lock, refused at once while it is held.


@contextmanager
def held(raw: Path, operation: int) -> Iterator[None]:
    """raw/'s lock held by this test process, as another add (LOCK_EX) or run (LOCK_SH)."""
    descriptor = os.open(raw, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(descriptor, operation | fcntl.LOCK_NB)
        yield
    finally:
        os.close(descriptor)


@pytest.mark.parametrize("holder", [fcntl.LOCK_EX, fcntl.LOCK_SH], ids=["add", "run"])
def test_add_is_refused_at_once_while_raw_is_locked(cli: Cli, tmp_path: Path, holder: int) -> None:
    raw = fixture_raw(tmp_path)
    before = tree(raw)
    with held(raw, holder):
        result = cli("add", str(fixture_page(MEN_1000)), "--raw", str(raw))
    assert (result.code, result.out, result.err) == (
        2,
        "",
        f"error: {raw}: another pipeline add or run holds the lock on this raw folder; try "
        "again when it has finished\n",
    )
    assert tree(raw) == before
    assert cli("add", str(fixture_page(MEN_1000)), "--raw", str(raw)).code == 0


def test_readers_share_raw_and_exclude_a_writer(tmp_path: Path) -> None:
    raw = fixture_raw(tmp_path)
    with raw_lock(raw, shared=True), raw_lock(raw, shared=True):
        with pytest.raises(Exception, match="holds the lock") as refused:
            with raw_lock(raw, shared=False):
                pass
        assert str(refused.value).startswith(f"{raw}: another pipeline add or run")
    with raw_lock(raw, shared=False):
        with pytest.raises(Exception, match="holds the lock"):
            with raw_lock(raw, shared=True):
                pass


# 12. A kill at any write step leaves each event old or new, and the next add or run clears
# what it left.

KILLER = """
import os, sys
from pipeline import cli
from pipeline.add import write

kill_at, calls = int(sys.argv[1]), [0]

def killing(function):
    def counted(*args, **kwargs):
        calls[0] += 1
        if calls[0] == kill_at:
            os._exit(137)
        return function(*args, **kwargs)
    return counted

plain = write.write_plan

def write_plan(plan):
    for name in ("rename", "replace", "fsync", "unlink", "rmdir", "mkdir", "open"):
        setattr(os, name, killing(getattr(os, name)))
    return plain(plan)

write.write_plan = write_plan
sys.exit(cli.main(sys.argv[2:]))
"""


def forced_add(tmp_path: Path, cli: Cli) -> tuple[Path, list[str]]:
    """raw/ with the men's 1000 m added, and the arguments of an add that replaces it with an
    edited page (a new athlete, every line after the prose moved: a new draft) and adds the
    men's 1500 m: registry, a replaced event folder and a new one."""
    raw = fixture_raw(tmp_path)
    assert cli("add", str(fixture_page(MEN_1000)), "--raw", str(raw)).code == 0
    text = fixture_page(MEN_1000).read_text(encoding="utf-8")
    text = text.replace("Tomas Figment", "Xavier Zephyrine")
    text = text.replace("None of it happened.", "None of it happened.\nIt is edited here.")
    edited = tmp_path / "incoming" / "page.txt"
    edited.parent.mkdir()
    edited.write_text(text, encoding="utf-8")
    args = ["add", "--force", str(edited), str(fixture_page(MEN_1500)), "--raw", str(raw)]
    return raw, args


BOTH_ABSENT = (None, None)


def event_states(files: dict[str, bytes], event_id: str) -> tuple[bytes | None, bytes | None]:
    """An event folder's (page.txt, event.toml) in a tree, None where absent."""
    prefix = f"events/{event_id}/"
    return files.get(prefix + "page.txt"), files.get(prefix + "event.toml")


def killed_add(kill_at: int, args: list[str]) -> int:
    """Run `pipeline add ARGS` in a subprocess killed (os._exit) at its write step `kill_at`;
    its exit code: 137 if killed, 0 if it finished first."""
    done = subprocess.run(
        [sys.executable, "-c", KILLER, str(kill_at), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode in (0, 137), done.stderr
    return done.returncode


def test_a_kill_at_any_write_step_leaves_each_event_whole_and_its_debris_is_cleared(
    cli: Cli, tmp_path: Path
) -> None:
    raw, args = forced_add(tmp_path / "clean", cli)
    before = tree(raw)
    assert cli(*args).code == 0
    after = tree(raw)
    assert after[f"events/{MEN_1000}/event.toml"] != before[f"events/{MEN_1000}/event.toml"]
    events = (MEN_1000, MEN_1500)
    seen: set[tuple[bool, ...]] = set()  # which events a killed add left as after it
    for kill_at in itertools.count(1):
        raw, args = forced_add(tmp_path / f"kill-{kill_at}", cli)
        if killed_add(kill_at, args) == 0:
            break  # no write step is left to kill at
        killed = tree(raw)
        # A page in raw/events/ is a finished add's: each event folder is as before or after
        # (or, cut between the two renames of a swap, away under an add's name).
        states = [event_states(killed, event) for event in events]
        assert states[0] in (BOTH_ABSENT, *(event_states(t, MEN_1000) for t in (before, after)))
        assert states[1] in (BOTH_ABSENT, event_states(after, MEN_1500))
        seen.add(tuple(s == event_states(after, e) for s, e in zip(states, events, strict=True)))
        # `run`'s side: cleared, raw/ scans clean, and holds every file as before or after.
        copy = Path(shutil.copytree(raw, tmp_path / f"run-{kill_at}", symlinks=True))
        clear_debris(copy)
        cleared = tree(copy)
        assert len(scan_raw(copy, copy.as_posix())) == 1 + (states[1] != BOTH_ABSENT)
        assert event_states(cleared, MEN_1000) != BOTH_ABSENT
        for path, data in cleared.items():
            assert data in (before.get(path), after.get(path)), (kill_at, path)
        # The next add clears it and finishes the job.
        assert cli(*args).code == 0, f"after a kill at step {kill_at}"
        assert tree(raw) == after, f"after a kill at step {kill_at}"
    assert kill_at > 30  # every step of the write (36 today) was a kill point
    assert {(False, False), (True, False), (True, True)} <= seen


# 13. A page raw/ holds already is refused under another id.


def test_the_same_page_under_another_id_is_refused_naming_its_event(
    cli: Cli, raw_copy: Path
) -> None:
    before = tree(raw_copy)
    result = cli("add", str(SEED_PAGE), "--raw", str(raw_copy), "--id", "other")
    events = f"{raw_copy}/events"
    assert (result.code, result.out, result.err) == (
        2,
        "",
        f"error: {SEED_PAGE}: expected an event {events}/ does not hold yet, found the event "
        f"of {events}/{SEED}/page.txt; to replace that page: --id {SEED} --force\n",
    )
    assert tree(raw_copy) == before


def test_an_edited_page_of_a_filed_event_is_refused_under_another_id(
    cli: Cli, raw_copy: Path, tmp_path: Path
) -> None:
    edited = tmp_path / "page.txt"
    edited.write_text(
        SEED_PAGE.read_text(encoding="utf-8").replace("Torino Palavela", "Palavela"),
        encoding="utf-8",
    )
    before = tree(raw_copy)
    for extra in ((), ("--force",)):
        result = cli("add", str(edited), "--raw", str(raw_copy), "--id", "other", *extra)
        assert (result.code, result.err.count("\n")) == (2, 1)
        assert f"found the event of {raw_copy}/events/{SEED}/page.txt" in result.err
    assert tree(raw_copy) == before
    # Under its own id, --force replaces it as before.
    assert cli("add", str(edited), "--raw", str(raw_copy), "--force").code == 0


def test_only_provable_debris_is_cleared_and_run_reads_raw_under_the_shared_lock(
    cli: Cli, tmp_path: Path
) -> None:
    raw = fixture_raw(tmp_path)
    assert cli("add", str(fixture_page(MEN_1000)), "--raw", str(raw)).code == 0
    added = tree(raw)
    registry = raw / "registry"
    (registry / ".athletes.csv.abcd_123").write_text("half a registry")  # an add's
    staged = raw / f".add-new-abcd_123.{MEN_1500}"
    staged.mkdir()
    (staged / "page.txt").write_text("half a page")  # an add's
    # Look-alikes an add never makes: a link, a name one letter short, a folder holding more.
    (registry / ".aliases.csv.abcd_123").symlink_to("nocs.csv")
    (registry / ".athletes.csv.abcd_12").write_text("mine")
    mine = raw / f".add-old-abcd_123.{MEN_1000}"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine")
    with held(raw, fcntl.LOCK_EX), pytest.raises(Exception, match="holds the lock"):
        with reading_raw(raw):
            pass
    assert (registry / ".athletes.csv.abcd_123").exists() and staged.exists()
    with reading_raw(raw), held(raw, fcntl.LOCK_SH):  # readers share it
        with pytest.raises(Exception) as refused:
            scan_raw(raw, raw.as_posix())
    assert str(refused.value).splitlines() == [
        f"{raw}: expected only events/, registry/, reference/, waivers.toml and README.md here "
        f"(pages go in {raw}/events/<event-id>/page.txt), found the folder "
        f"'.add-old-abcd_123.{MEN_1000}'",
        f"{registry}: expected only nocs.csv, athletes.csv, aliases.csv, nationalities.csv and "
        f"nation_names.csv here (pages go in {raw}/events/<event-id>/page.txt), found the link "
        "'.aliases.csv.abcd_123'",
        f"{registry}: expected only nocs.csv, athletes.csv, aliases.csv, nationalities.csv and "
        f"nation_names.csv here (pages go in {raw}/events/<event-id>/page.txt), found the file "
        "'.athletes.csv.abcd_12'",
    ]
    assert not (registry / ".athletes.csv.abcd_123").exists() and not staged.exists()
    assert {path: data for path, data in tree(raw).items() if "abcd" not in path} == added


def test_run_is_refused_while_add_writes_and_clears_a_killed_adds_debris(
    cli: Cli, tmp_path: Path
) -> None:
    raw, args = forced_add(tmp_path, cli)
    assert killed_add(8, args) == 137  # while staging: an event folder half-written
    assert any(name.startswith(".add-new-") for name in os.listdir(raw))
    warehouse = ("--warehouse", str(tmp_path / "warehouse"))
    with held(raw, fcntl.LOCK_EX):
        refused = cli("run", "--raw", str(raw), *warehouse)
    assert (refused.code, refused.err) == (
        2,
        f"error: {raw}: another pipeline add or run holds the lock on this raw folder; try "
        "again when it has finished\n",
    )
    done = cli("run", "--raw", str(raw), *warehouse)
    assert done.code == 0, done.err
    assert not [path for path in tree(raw) if "/." in f"/{path}"]


def test_run_clears_what_an_earlier_versions_killed_add_left(
    cli: Cli, raw_copy: Path, tmp_path: Path
) -> None:
    """The add before this one wrote each file through `.page.txt.XXXXXXXX` beside it: a kill
    left that file, and every run refused raw/ until it was removed by hand."""
    event = raw_copy / "events" / "2006-men-1000m"
    (event / ".page.txt.k3_x9q2z").write_text("half a page")
    (event / ".event.toml.0abc_def").write_text("half a draft")
    (event / ".page.txt.mine").write_text("not an add's name")
    result = cli("run", "--raw", str(raw_copy), "--warehouse", str(tmp_path / "wh"))
    assert result.code == 2  # the look-alike is refused by the scan, as any stray file
    assert result.err == (
        f"error: {event}: expected only page.txt and event.toml here (pages go in "
        f"{raw_copy}/events/<event-id>/page.txt), found the file '.page.txt.mine'\n"
    )
    assert sorted(p.name for p in event.iterdir()) == [".page.txt.mine", "event.toml", "page.txt"]
    (event / ".page.txt.mine").unlink()
    assert cli("run", "--raw", str(raw_copy), "--warehouse", str(tmp_path / "wh")).code == 0


def test_a_filed_page_whose_infobox_follows_a_section_is_still_its_event(
    cli: Cli, raw_copy: Path
) -> None:
    """`run` reads an infobox wherever it stands; so does add's look for filed events."""
    filed = raw_copy / "events" / SEED / "page.txt"
    text = filed.read_text(encoding="utf-8")
    infobox = text.index("Infobox")
    filed.write_text(text[:infobox] + "==Overview==\nA note.\n\n" + text[infobox:], "utf-8")
    result = cli("add", str(SEED_PAGE), "--raw", str(raw_copy), "--id", "other")
    assert result.code == 2
    assert f"found the event of {raw_copy}/events/{SEED}/page.txt" in result.err


def test_a_folder_add_may_not_write_in_refuses_before_the_registry_is_written(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found in review: without write permission on raw/events/ (or with it on another file
    system), the registry was written, then the event folder failed."""
    raw = fixture_raw(tmp_path)
    assert cli("add", str(fixture_page(MEN_1500)), "--raw", str(raw)).code == 0
    before = tree(raw)
    events = raw / "events"
    allowed = os.access
    monkeypatch.setattr(
        "pipeline.add.targets.os.access",
        lambda path, mode: Path(path) != events and allowed(path, mode),
    )
    result = cli("add", str(fixture_page(MEN_1000)), "--raw", str(raw))
    assert (result.code, result.out, result.err) == (
        2,
        "",
        f"error: {events}: expected a folder pipeline add can write in, found one it may not "
        "write in (permission denied)\n",
    )
    assert tree(raw) == before


def test_add_names_the_line_a_new_athlete_takes_in_lf_lines(cli: Cli, tmp_path: Path) -> None:
    """A U+2028 inside a quoted registry name is no line break (as the registry reads it)."""
    raw = fixture_raw(tmp_path)
    athletes = raw / "registry" / "athletes.csv"
    athletes.write_text('athlete_id,name,noc\nzz-quoted,"Zz\u2028Quoted",CAN\n', encoding="utf-8")
    result = cli("add", str(fixture_page(MEN_1000)), "--raw", str(raw))
    assert result.code == 0, result.err
    rows = athletes.read_bytes().split(b"\n")
    first_new = next(line for line in result.out.splitlines() if "(line " in line)
    number = int(first_new.split("(line ")[1].split(";")[0].rstrip(")"))
    assert rows[number - 1].decode() in first_new


def test_run_never_clears_a_file_reached_through_a_linked_event_folder(
    cli: Cli, raw_copy: Path, tmp_path: Path
) -> None:
    """Only an event folder of raw/ itself holds an add's leftovers: a file named like one in a
    folder reached through a link is the user's, and is refused, never removed."""
    (raw_copy / "aside").mkdir()  # no event folder (and refused too, as a stray folder)
    kept = raw_copy / "aside" / ".page.txt.k3_x9q2z"
    kept.write_text("not an add's")
    (raw_copy / "events" / "zz-link").symlink_to(raw_copy / "aside")
    result = cli("run", "--raw", str(raw_copy), "--warehouse", str(tmp_path / "wh"))
    assert result.code == 2
    assert kept.read_text() == "not an add's"


def test_run_never_clears_a_file_in_a_linked_events_folder(
    cli: Cli, raw_copy: Path, tmp_path: Path
) -> None:
    """raw/events/ a link to a folder inside raw/: its event folders are read through it, but
    nothing in them is removed (an add writes through no link)."""
    (raw_copy / "events").rename(raw_copy / "aside")
    (raw_copy / "events").symlink_to(raw_copy / "aside")
    kept = raw_copy / "aside" / SEED / ".page.txt.k3_x9q2z"
    kept.write_text("not an add's")
    refused = cli("run", "--raw", str(raw_copy), "--warehouse", str(tmp_path / "wh"))
    assert refused.code == 2  # aside/ is no folder of raw/'s layout
    assert kept.read_text() == "not an add's"
