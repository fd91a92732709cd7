"""The build manifest (manifest.json beside the Parquet): what an incremental build compares."""

from __future__ import annotations

import hashlib
import json
import platform
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from importlib import metadata, util
from pathlib import Path

from pipeline.bytecode import PycVerifier
from pipeline.read.reference_files import reference_names
from pipeline.read.snapshot import Snapshot

MANIFEST_FILE = "manifest.json"
REGISTRY_FILES = (
    "registry/nocs.csv",
    "registry/athletes.csv",
    "registry/aliases.csv",
    "registry/nationalities.csv",
    "registry/nation_names.csv",
    "waivers.toml",
)
# Besides raw/, a build's rows and failures are computed by the code of every stage and every
# check, and by these libraries: each is part of the digest, so that none can change unseen.
CODE_PACKAGES = ("core", "pipeline", "checks")
LIBRARIES = ("duckdb", "pyarrow", "pandera", "polars", "pydantic", "pydantic-core", "rtoml")


def code_roots() -> list[Path]:
    """The source folders of the packages whose code computes a build."""
    roots = []
    for name in CODE_PACKAGES:
        spec = util.find_spec(name)  # finds, does not import: checks/ imports pandera
        assert spec is not None and spec.submodule_search_locations is not None
        roots.append(Path(next(iter(spec.submodule_search_locations))))
    return roots


def library_versions(names: Iterable[str] = LIBRARIES) -> dict[str, str]:
    """Installed version of each computing library, and of Python (its unicodedata folds names)."""
    versions = {"python": platform.python_version()}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def code_digest(
    roots: Iterable[Path] | None = None, versions: Mapping[str, str] | None = None
) -> str:
    """Hash of what computes a build besides raw/: every file of the pipeline's and the checks'
    source, and the library versions. A changed parser, check or library reuses nothing. Each
    source file's compiled code is made to follow it (pipeline.bytecode): what is hashed runs."""
    digest = hashlib.sha256()
    compiled = PycVerifier()

    def add(name: str, data: bytes) -> None:
        encoded = name.encode()
        # Lengths first: no file's name and bytes can read as another split of the stream.
        digest.update(len(encoded).to_bytes(8, "big") + len(data).to_bytes(8, "big"))
        digest.update(encoded + data)

    for root in code_roots() if roots is None else roots:
        files = [p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
        for path in sorted(files, key=lambda p: p.relative_to(root).as_posix()):
            source = path.read_bytes()
            compiled.check(path, source)
            add(f"{root.name}/{path.relative_to(root).as_posix()}", source)
    compiled.refuse_stale_run()
    for name, version in sorted((library_versions() if versions is None else versions).items()):
        add(f"version of {name}", version.encode())
    return digest.hexdigest()


def registry_digest(raw: Path, files: Snapshot | None = None) -> str:
    """Hash of the registry, the waivers and the reference files (as `files` holds them, if
    given: the bytes parsed): a changed registry re-resolves every name, a changed reference
    re-checks every event against it."""
    digest = hashlib.sha256()
    for name in (*REGISTRY_FILES, *reference_names(raw)):
        path = raw / name
        if files is not None:
            data = files.bytes_of(path) or b""
        else:
            data = path.read_bytes() if path.is_file() else b""
        digest.update(name.encode() + b"\0" + data)
    return digest.hexdigest()


def registry_files(raw: Path) -> Snapshot:
    """The registry files, waivers.toml and the reference files read once, for parsing and
    hashing alike."""
    return Snapshot.take(raw / name for name in (*REGISTRY_FILES, *reference_names(raw)))


@dataclass
class Manifest:
    """The raw folder as the build saw it: one content hash per event."""

    raw: str
    registry: str
    events: dict[str, str]
    code: str = field(default_factory=code_digest)
    timings: dict[str, float] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)  # per table, once the build is complete
    # The constraints of core.model a passing build's data breaks (a waived failure lets it).
    undeclared: list[str] = field(default_factory=list)
    # Each event's files as the kernel described them before they were read and hashed
    # (pipeline.read.folder.event_stamp): a rerun trusts the hash of files stamped alike
    # instead of reading them again. An event without a stamp is hashed.
    stamps: dict[str, str] = field(default_factory=dict)
    # Each event folder as the kernel described it before the walk of raw/ found it holding its
    # two files alone (pipeline.read.rawtree): a rerun's walk knows a folder stamped alike
    # without listing it. A folder without one is listed.
    listed: dict[str, str] = field(default_factory=dict)
    # 2: the code digest covers checks/ and the library versions; a version-1 build is rebuilt.
    version: int = 2

    def compatible(self, other: Manifest) -> bool:
        """Rows built under this manifest can be reused for `other`."""
        return (self.version, self.raw, self.registry, self.code) == (
            other.version,
            other.raw,
            other.registry,
            other.code,
        )

    def describes(self, other: Manifest) -> bool:
        """The same inputs exactly: every event's hash too, so nothing needs doing."""
        return self.compatible(other) and self.events == other.events

    def save(self, folder: Path) -> None:
        # The fields as they are: dataclasses.asdict copies every mapping deeply (0.07 s of
        # 20,000 entries at 10,000 events, in each build).
        shallow = {each.name: getattr(self, each.name) for each in fields(self)}
        (folder / MANIFEST_FILE).write_text(_readable_json(shallow) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> Manifest | None:
        """The manifest of a build, or None if it has none or an unreadable one."""
        try:
            data = json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))
            if not isinstance(data, dict) or "code" not in data or "version" not in data:
                return None  # a default would describe this code, not the build's
            return cls(**data)
        except (OSError, ValueError, TypeError):
            return None


def raw_manifest(
    raw: Path, folders: list[Path], code: str | None = None, known: Manifest | None = None
) -> Manifest:
    """The manifest of raw/ as it is now, with the hashes of the given event folders (and the
    run's code digest, when it has one: it is computed once a run). An event whose files
    `known` stamped exactly as they are now keeps its hash there, unread (a rerun with nothing
    changed at 10,000 events: 0.05 s of stat instead of 0.2 s of reading and hashing)."""
    from pipeline.read.folder import event_digest, event_stamp, read_event
    from pipeline.read.stamps import stamps_vouch

    events, stamps = {}, {}
    vouch = stamps_vouch(raw)
    for folder in folders:
        name, stamp = folder.name, event_stamp(folder) if vouch else None
        if stamp is not None and known is not None and known.stamps.get(name) == stamp:
            events[name] = known.events[name]
        else:
            events[name] = event_digest(*read_event(folder, folder.as_posix()))
        if stamp is not None:
            stamps[name] = stamp
    return Manifest(
        raw.as_posix(), registry_digest(raw), events, code or code_digest(), stamps=stamps
    )


def _readable_json(data: dict[str, object]) -> str:
    """JSON with one line per key, and per entry of a mapping (events, stamps, timings and
    rows in their order, as the summary shows them), written by the C encoder: Python's own,
    which `indent` needs, took 0.18 s a save at 10,000 events."""

    def entry(key: str, value: object, indent: str) -> str:
        return f"{indent}{json.dumps(key)}: {json.dumps(value)}"

    lines = []
    for key, value in data.items():
        if isinstance(value, dict) and value:
            inner = ",\n".join(entry(k, v, "  ") for k, v in value.items())
            lines.append(f" {json.dumps(key)}: {{\n{inner}\n }}")
        else:
            lines.append(entry(key, value, " "))
    return "{\n" + ",\n".join(lines) + "\n}"


@dataclass(frozen=True)
class IngestPlan:
    """What an ingest is handed, decided before it parses: raw/'s event folders, the run's
    code digest, the previous build it may copy unchanged events from (its manifest and
    Parquet folder), and the event hashes already computed (not read twice)."""

    folders: list[Path]
    code: str
    previous: tuple[Manifest, Path] | None = None
    digests: Mapping[str, str] = field(default_factory=dict)
    stamps: Mapping[str, str] = field(default_factory=dict)  # of the hashes in `digests`
    listed: Mapping[str, str] = field(default_factory=dict)  # the walk's folder stamps

    @classmethod
    def full(cls, raw: Path) -> IngestPlan:
        """Every event of raw/, nothing reused."""
        from pipeline.read.folder import discover_events

        return cls(discover_events(raw), code_digest())
