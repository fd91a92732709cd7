"""What the code digest hashes is what runs: the compiled files in __pycache__ are made to
follow their source.

Python trusts a timestamp .pyc whose recorded mtime and size equal its source's, without
reading the source: an edit that keeps both (`cp -p`, `rsync -t`, tar) runs the old code while
the digest hashes the new. So while the digest reads each source file, its .pyc is checked
(PEP 552 header): a checked-hash .pyc of this very source is fine as it is (the import system
validates it against the source on every import, and keeps it hash-based when it recompiles);
any other is compared with the source, compiled, and rewritten as a checked-hash .pyc. Only a
file not yet checked-hash is compiled, once: a rerun reads 16 bytes per module.

A stale .pyc of a module this process has already imported means this run executed code that
is not the digested source: the run is refused (exit 2; it is recompiled, so the next run is
right). A stale .pyc that cannot be rewritten (an installation made read-only) is refused as
well, since the import would run it; a correct one there is compared again on every run.
"""

from __future__ import annotations

import marshal
import os
import sys
import tempfile
from dataclasses import dataclass, field
from importlib.util import MAGIC_NUMBER, cache_from_source, source_hash
from pathlib import Path
from types import CodeType

from core.errors import InputError, InputErrors

HEADER_BYTES = 16
HASH_BASED = 0b01  # PEP 552 flags: the .pyc holds a hash of the source, not its mtime and size
CHECK_SOURCE = 0b10  # ... and the import system checks that hash against the source
RECOMPILE = "python -m compileall --invalidation-mode checked-hash"


def _read_pyc(pyc: Path) -> bytes | None:
    """The whole .pyc, or None if there is none or it is not of this Python."""
    try:
        data = pyc.read_bytes()
    except OSError:
        return None
    return data if len(data) >= HEADER_BYTES and data[:4] == MAGIC_NUMBER else None


def _checked_hash_header(pyc: Path) -> bytes | None:
    """The first 16 bytes of the .pyc if it is a checked-hash one, else None (no .pyc, or
    another kind): the fast path of a rerun reads no more."""
    try:
        with pyc.open("rb") as handle:
            header = handle.read(HEADER_BYTES)
    except OSError:
        return None
    flags = int.from_bytes(header[4:8], "little") if len(header) == HEADER_BYTES else 0
    fine = header[:4] == MAGIC_NUMBER and flags == HASH_BASED | CHECK_SOURCE
    return header if fine else None


def _used_by_import(pyc: bytes, source: Path) -> bool:
    """Whether the import system would run this .pyc rather than compile `source`."""
    flags = int.from_bytes(pyc[4:8], "little")
    if flags & HASH_BASED:
        return not flags & CHECK_SOURCE  # an unchecked hash .pyc is run without a look
    stat = source.stat()
    recorded = (int.from_bytes(pyc[8:12], "little"), int.from_bytes(pyc[12:16], "little"))
    return recorded == (int(stat.st_mtime) & 0xFFFFFFFF, stat.st_size & 0xFFFFFFFF)


def _compiled(pyc: bytes) -> CodeType | None:
    try:
        code = marshal.loads(pyc[HEADER_BYTES:])
    except (EOFError, ValueError, TypeError):
        return None
    return code if isinstance(code, CodeType) else None


def _write_checked_hash(pyc: Path, code: CodeType, source: bytes) -> None:
    """Replace the .pyc, atomically, by a checked-hash one of `code` compiled from `source`."""
    flags = (HASH_BASED | CHECK_SOURCE).to_bytes(4, "little")
    data = MAGIC_NUMBER + flags + source_hash(source) + marshal.dumps(code)
    pyc.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=pyc.parent, prefix=f".{pyc.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, pyc)
    except BaseException:
        os.unlink(temporary)
        raise


def _imported(source: Path) -> bool:
    """Whether this process has imported the module whose source this is."""
    target = os.path.realpath(source)
    return any(
        os.path.realpath(file) == target
        for module in list(sys.modules.values())
        if isinstance(file := getattr(module, "__file__", None), str)
    )


def _compile(path: Path, source: bytes) -> CodeType | None:
    """The source compiled as the import system compiles it; None if it does not compile."""
    try:
        return compile(source, str(path), "exec", dont_inherit=True)
    except (SyntaxError, ValueError):
        return None


def _replace(pyc: Path, code: CodeType | None, source: bytes) -> None:
    """Make the .pyc follow the source: rewritten from `code`, or removed if the source does
    not compile (the import then reports the error rather than running the old code)."""
    if code is None:
        pyc.unlink(missing_ok=True)
    else:
        _write_checked_hash(pyc, code, source)


@dataclass
class PycVerifier:
    """Checks each source file's .pyc as the digest reads the file; then refuses the run if
    any module it already executed came from a stale .pyc."""

    problems: list[InputError] = field(default_factory=list)

    def check(self, path: Path, source: bytes) -> None:
        """Make the .pyc of `path` (read as `source`) one the import validates against it."""
        if path.suffix != ".py":
            return
        pyc = Path(cache_from_source(str(path)))
        header = _checked_hash_header(pyc)
        if header is not None and header[8:16] == source_hash(source):
            return  # the fast path: checked against this very source on every import
        existing = _read_pyc(pyc)
        if existing is None:
            return  # no .pyc of this Python: the import compiles the source
        code = _compile(path, source)
        stale = (code is None or _compiled(existing) != code) and _used_by_import(existing, path)
        try:
            _replace(pyc, code, source)
        except OSError as error:
            if stale:
                self.problems.append(_unwritable(path, pyc, error))
            return
        if stale and _imported(path):
            self.problems.append(_ran_stale(path, pyc))

    def refuse_stale_run(self) -> None:
        """Raise the problems found, one line each."""
        if self.problems:
            raise InputErrors(list(self.problems))


def _ran_stale(path: Path, pyc: Path) -> InputError:
    return InputError(
        path.as_posix(),
        f"expected {pyc.parent.name}/{pyc.name} compiled from this source, found an older "
        "compilation, which this run has executed (the file was edited keeping its size and "
        "time); it is recompiled now: run again",
    )


def _unwritable(path: Path, pyc: Path, error: OSError) -> InputError:
    return InputError(
        path.as_posix(),
        f"expected {pyc.parent.name}/{pyc.name} compiled from this source, found an older "
        f"compilation that cannot be rewritten ({error.strerror}); recompile with `{RECOMPILE}`",
    )
