"""The layout of raw/: every file in it is one the pipeline reads, or the run is refused.

    raw/README.md                           (optional; documentation, not read)
    raw/waivers.toml                        (optional)
    raw/registry/{nocs,athletes,aliases}.csv, raw/registry/{nationalities,nation_names}.csv
                                            (optional)
    raw/reference/<name>.csv                (optional; reference tallies and medals, e.g.
                                            Olympedia's, pipeline.read.reference_files)
    raw/events/<event-id>/{page.txt,event.toml}

An event id is a slug: ASCII letters, digits, `-`, `_` and `.`, starting with a letter or digit.
A link is followed only where it leads to a place inside raw/. Anything else (a stray file, a
folder named otherwise, a link leading out of raw/, a link to nothing or a link loop) is refused,
all of them in one message, in path order, before anything is read or written.

An event folder found holding page.txt and event.toml alone, both plain files, is stamped as it
was before it was listed (pipeline.read.stamps); a later walk that finds the same stamp knows
that listing without reading it again (one stat instead of a listing: 10,000 folders in a rerun
with nothing changed). Any entry made, removed or renamed in it since gives it another stamp.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import NamedTuple, TypeAlias

from core.errors import InputError, excerpt, raise_problems
from pipeline.read.stamps import folder_stamp, stamps_vouch

SLUG = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
ROOT_FOLDERS = ("events", "registry", "reference")
REFERENCE_FILE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\.csv")
ROOT_FILES = ("waivers.toml", "README.md")
REGISTRY_FILES = (
    "nocs.csv",
    "athletes.csv",
    "aliases.csv",
    "nationalities.csv",
    "nation_names.csv",
)
EVENT_FILES = ("page.txt", "event.toml")
# What a listing stamped for later walks holds: the two files, in name order, neither a link.
LISTED_CLEAN = sorted(EVENT_FILES)
RAW_MISSING = "expected a raw folder with events/ and registry/, found none"
# What an interrupted writer left in an event folder, cleared by the caller: True when the
# entry was such a file (it is then not refused).
Debris: TypeAlias = Callable[[os.DirEntry[str]], bool]


class RawLayout(NamedTuple):
    """raw/'s event folders, sorted, and the stamp of each whose listing was found clean (by
    this walk, or by an earlier one whose stamp it found again)."""

    folders: list[Path]
    listed: dict[str, str]


def _kind(entry: os.DirEntry[str]) -> str:
    """How a stray entry is named in a message (a link is not followed to say what it is)."""
    if entry.is_symlink():
        return "the link"
    return "the folder" if entry.is_dir() else "the file"


def _entries(folder: Path | str) -> list[os.DirEntry[str]]:
    """A folder's entries in name order; their types come with the listing (no stat each)."""
    with os.scandir(folder) as listing:
        return sorted(listing, key=lambda entry: entry.name)


class _Scan:
    """One walk of raw/, collecting every refusal with the path it is about."""

    def __init__(
        self, raw: Path, shown: str, debris: Debris | None, known: Mapping[str, str] | None
    ) -> None:
        self.shown = shown
        self.debris = debris
        self.known = known  # None: no event folder is stamped, nor known by its stamp
        self.listed: dict[str, str] = {}
        self.root = raw.resolve()
        self.problems: list[tuple[str, InputError]] = []
        self.pages_go = f"pages go in {shown}/events/<event-id>/page.txt"

    def refuse(self, entry: os.DirEntry[str], shown: str, message: str) -> None:
        self.problems.append((entry.path, InputError(shown, message)))

    def stray(self, folder: str, entry: os.DirEntry[str], allowed: str) -> None:
        """An entry the layout has no place for, named (escaped) from its folder."""
        expected = f"expected only {allowed} here ({self.pages_go})"
        self.refuse(entry, folder, f"{expected}, found {_kind(entry)} {excerpt(entry.name)}")

    def followed(self, entry: os.DirEntry[str], shown: str) -> bool:
        """True if `entry` (a name the layout allows) may be read: not a link, or a link to a
        place inside raw/. Else the refusal is recorded."""
        if not entry.is_symlink():
            return True
        try:
            target = Path(entry.path).resolve(strict=True)
        except FileNotFoundError:
            problem = "expected a file or folder, found a link to nothing"
        except (OSError, RuntimeError):  # RuntimeError: a loop, before Python 3.13
            problem = "expected a file or folder, found a link loop"
        else:
            if target.is_relative_to(self.root):
                return True
            problem = f"expected a file or folder inside {self.shown}, found a link leading out"
        self.refuse(entry, shown, problem)
        return False


def scan_raw(raw: Path, shown: str, debris: Debris | None = None) -> list[Path]:
    """The event folders of raw/, sorted, after checking that raw/ holds nothing else (but
    the files in event folders that `debris` clears, in the same walk)."""
    return walk_raw(raw, shown, debris).folders


def walk_raw(
    raw: Path, shown: str, debris: Debris | None = None, known: Mapping[str, str] | None = None
) -> RawLayout:
    """scan_raw, stamping the event folders whose listing it finds clean when `known` is
    given (and stamps vouch for anything where raw/ lies); an event folder `known` stamped as
    it is now is not listed again."""
    if not raw.is_dir():
        raise InputError(shown, RAW_MISSING)
    if known is not None and not stamps_vouch(raw):
        known = None
    scan = _Scan(raw, shown, debris, known)
    events: list[Path] = []
    for entry in _entries(raw):
        name, where = entry.name, f"{shown}/{entry.name}"
        if name not in ROOT_FOLDERS + ROOT_FILES:
            scan.stray(shown, entry, "events/, registry/, reference/, waivers.toml and README.md")
        elif not scan.followed(entry, where):
            continue
        elif name == "README.md" and not entry.is_file():
            scan.refuse(entry, where, f"expected a file, found {_kind(entry)}")
        elif name == "registry" and entry.is_dir():
            expected = ", ".join(REGISTRY_FILES[:-1]) + f" and {REGISTRY_FILES[-1]}"
            _files(scan, entry.path, where, lambda file: file in REGISTRY_FILES, expected)
        elif name == "reference" and entry.is_dir():
            expected = "CSV files named with letters, digits, '-', '_' and '.'"
            _files(scan, entry.path, where, lambda f: bool(REFERENCE_FILE.fullmatch(f)), expected)
        elif name == "reference":  # no reader would say so: the references would go unread
            scan.refuse(
                entry, where, f"expected a folder of reference CSV files, found {_kind(entry)}"
            )
        elif name == "events" and entry.is_dir():
            if entry.is_symlink():  # a linked events/ is read, but nothing cleared or stamped
                scan.debris, scan.known = None, None
            folder_of = (raw / name).joinpath  # one join a folder: 10,000 of them
            events = [folder_of(folder) for folder in _event_folders(scan, entry.path, where)]
        # else a file where a folder should be, or the reverse: its reader says so
    ordered = sorted(scan.problems, key=lambda problem: problem[0])
    raise_problems([error for _, error in ordered])
    return RawLayout(events, scan.listed)


def _files(
    scan: _Scan, folder: str, shown: str, allowed: Callable[[str], bool], expected: str
) -> None:
    """The files of a folder of raw/ whose names are `allowed`; anything else is stray."""
    for file in _entries(folder):
        if not allowed(file.name):
            scan.stray(shown, file, expected)
        elif scan.followed(file, f"{shown}/{file.name}") and file.is_dir():
            scan.refuse(file, f"{shown}/{file.name}", "expected a file, found the folder")


def _event_folders(scan: _Scan, events: str, shown: str) -> list[str]:
    """The names of the folders of raw/events/, each holding only page.txt and event.toml."""
    names = []
    allowed = "event folders named with letters, digits, '-', '_' and '.', a letter or digit first"
    for folder in _entries(events):
        where = f"{shown}/{folder.name}"
        if not SLUG.fullmatch(folder.name):
            scan.stray(shown, folder, allowed)
        elif not scan.followed(folder, where):
            continue
        elif not folder.is_dir():
            scan.stray(shown, folder, allowed)
        else:
            names.append(folder.name)
            _event_files(scan, folder, where)
    return names


def _event_files(scan: _Scan, folder: os.DirEntry[str], where: str) -> None:
    """An event folder holds page.txt and event.toml only: known by its stamp, or listed."""
    stamp = None if scan.known is None or folder.is_symlink() else folder_stamp(folder.path)
    if stamp is not None and scan.known is not None and scan.known.get(folder.name) == stamp:
        scan.listed[folder.name] = stamp
        return
    files = _entries(folder.path)
    for file in files:
        if file.name in EVENT_FILES:
            scan.followed(file, f"{where}/{file.name}")
        elif scan.debris is None or folder.is_symlink() or not scan.debris(file):
            scan.stray(where, file, "page.txt and event.toml")
    clean = [file.name for file in files if file.is_file(follow_symlinks=False)]
    # Kept only if the folder did not change while it was listed (a stray removed meanwhile
    # would have the stamp stand for a listing that held it).
    if stamp is not None and len(files) == len(clean) and clean == LISTED_CLEAN:
        if folder_stamp(folder.path) == stamp:
            scan.listed[folder.name] = stamp
