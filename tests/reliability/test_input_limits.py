"""Input at its limits: every TOML spelling of a waiver, a CSV field past csv's limit, parts of a
message that quote a huge input, a U+2028 inside a registry row, names that only look alike or
look like nothing: exit 2 with one short line, or the right answer, never exit 3. (`pipeline
sql` at its limits: tests/test_sql_streaming.py.)"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pipeline.errors import InputError, SourceError
from tests.conftest import SEED, CliResult

Cli = Callable[..., CliResult]
PAGE = f"events/{SEED}/page.txt"
REASON = "The source page miscounts; checked against the official report."


def _run(cli: Cli, raw: Path, tmp_path: Path) -> CliResult:
    return cli("run", "--raw", str(raw), "--warehouse", str(tmp_path / "wh"))


# --- 17. Every part of every message is bounded ---------------------------------------------


def test_an_unclosed_heading_of_99000_signs_gives_a_short_line(
    cli: Cli, raw_copy: Path, tmp_path: Path
) -> None:
    page = raw_copy / PAGE
    lines = page.read_text().split("\n")
    lines.insert(2, "=" * 99_000)
    page.write_text("\n".join(lines))
    result = _run(cli, raw_copy, tmp_path)
    assert (result.code, result.err) == (
        2,
        f"error: {raw_copy}/{PAGE}:3: expected a heading closed by {'=' * 280}… "
        f"(99,019 characters), found {'=' * 100 + '…'!r} (99,000 characters)\n",
    )


def test_every_part_of_an_error_is_bounded() -> None:
    huge = "p" * 50_000
    source = SourceError(huge, 7, huge, huge, advice=huge)
    assert str(source) == (
        f"{'p' * 300}… (50,000 characters):7: expected {'p' * 300}… (50,000 characters), "
        f"found {'p' * 100 + '…'!r} (50,000 characters); {'p' * 300}… (50,000 characters)"
    )
    assert str(InputError(huge, huge)) == (
        f"{'p' * 300}… (50,000 characters): {'p' * 300}… (50,000 characters)"
    )
