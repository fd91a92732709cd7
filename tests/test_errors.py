"""Error messages echo what was found as a short, escaped excerpt, never the input itself."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from core.errors import SourceError, excerpt
from tests.conftest import CliResult

Cli = Callable[..., CliResult]


def test_excerpt_quotes_short_text_as_before() -> None:
    assert excerpt("Matus Usak") == "'Matus Usak'"
    assert excerpt("Men's 1000 metres") == '"Men\'s 1000 metres"'


def test_excerpt_cuts_long_text_and_gives_its_length() -> None:
    assert excerpt("Li Ye" + " " * 40_007, limit=10) == "'Li Ye     …' (40,012 characters)"


def test_excerpt_escapes_control_characters() -> None:
    assert excerpt("Li\x1b[2J\x00Ye\r\n\u202e") == r"'Li\x1b[2J\x00Ye\r\n\u202e'"
    cut = excerpt("\x1b" * 500, limit=3)
    assert cut == r"'\x1b\x1b\x1b…' (500 characters)"


def test_source_error_echoes_an_excerpt() -> None:
    error = SourceError("raw/registry/nocs.csv", 1, "the header noc,name", "HOME=/root," * 5000)
    assert str(error) == (
        "raw/registry/nocs.csv:1: expected the header noc,name, found "
        f"{'HOME=/root,' * 9 + 'H…'!r} (55,000 characters)"
    )


def test_a_file_read_by_mistake_is_not_printed_whole(
    cli: Cli, raw_copy: Path, tmp_path: Path
) -> None:
    secret = "SECRET_TOKEN=hunter2"
    (raw_copy / "registry" / "nocs.csv").write_text("PATH=/usr/bin," * 3000 + secret + "\n")
    result = cli("run", "--raw", str(raw_copy), "--warehouse", str(tmp_path / "wh"))
    assert result.code == 2
    assert result.err.startswith(
        f"error: {raw_copy}/registry/nocs.csv:1: expected the header noc,name, found 'PATH=/usr/"
    )
    assert result.err.endswith("…' (42,020 characters)\n")
    assert "hunter2" not in result.err and len(result.err) < 300
