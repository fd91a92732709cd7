"""The build manifest (manifest.json beside the Parquet): what an incremental build compares."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pipeline

MANIFEST_FILE = "manifest.json"
REGISTRY_FILES = (
    "registry/nocs.csv",
    "registry/athletes.csv",
    "registry/aliases.csv",
    "waivers.toml",
)


def code_digest() -> str:
    """Hash of the pipeline's own source: a changed parser must not reuse old rows."""
    digest = hashlib.sha256()
    root = Path(pipeline.__file__).parent
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def registry_digest(raw: Path) -> str:
    """Hash of the registry and waivers: a changed registry re-resolves every name."""
    digest = hashlib.sha256()
    for name in REGISTRY_FILES:
        path = raw / name
        digest.update(name.encode() + b"\0" + (path.read_bytes() if path.is_file() else b""))
    return digest.hexdigest()


@dataclass
class Manifest:
    """The raw folder as the build saw it: one content hash per event."""

    raw: str
    registry: str
    events: dict[str, str]
    code: str = field(default_factory=code_digest)
    timings: dict[str, float] = field(default_factory=dict)
    version: int = 1

    def compatible(self, other: Manifest) -> bool:
        """Rows built under this manifest can be reused for `other`."""
        return (self.version, self.raw, self.registry, self.code) == (
            other.version,
            other.raw,
            other.registry,
            other.code,
        )

    def save(self, folder: Path) -> None:
        text = json.dumps(asdict(self), indent=1, sort_keys=True)
        (folder / MANIFEST_FILE).write_text(text + "\n", encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> Manifest | None:
        """The manifest of a build, or None if it has none or an unreadable one."""
        try:
            data = json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))
            return cls(**data)
        except (OSError, ValueError, TypeError):
            return None
