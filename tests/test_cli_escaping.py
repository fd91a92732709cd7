"""What the command line prints from raw/ or from its arguments is data: an event folder named
with a newline cannot write a GitHub workflow command, ESC cannot reach the terminal, and a
path holding `[/x]` or `[bold]` is printed as written."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from tests.conftest import SEED, CliResult, corrupt

Cli = Callable[..., CliResult]
HOSTILE = "\n::error::x\x1b[31m"
SHOWN = "\\x0a::error::x\\x1b[31m"
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


def hostile_event(raw: Path) -> Path:
    """The seed event moved to a folder whose name holds a newline, a command and ESC."""
    folder = raw / "events" / f"{SEED}{HOSTILE}"
    (raw / "events" / SEED).rename(folder)
    return folder


def assert_plain(text: str) -> None:
    assert not RAW_CONTROL.search(text)
    assert not any(line.startswith("::error::x") for line in text.split("\n"))


def test_a_folder_name_cannot_write_a_workflow_command(
    cli: Cli, raw_copy: Path, tmp_path: Path
) -> None:
    # The folder is refused (event ids are slugs); the refusal itself is one escaped line.
    hostile_event(raw_copy)
    result = cli("run", "--raw", str(raw_copy), "--warehouse", str(tmp_path / "wh"))
    assert (result.code, result.out) == (2, "")
    assert_plain(result.err)
    assert result.err.count("\n") == 1
    assert result.err.startswith(f"error: {raw_copy}/events: expected only event folders")
    assert result.err.endswith(f"found the folder {f'{SEED}{HOSTILE}'!r}\n")


def test_a_warehouse_path_is_never_markup(cli: Cli, raw_copy: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "w[/x]h[bold]\x1b[31m"
    result = cli("run", "--raw", str(raw_copy), "--warehouse", str(warehouse))
    assert result.code == 0, result.err
    assert_plain(result.out + result.err)
    # The summary line may wrap the long path: compare without white space.
    assert f"warehouse:{tmp_path}/w[/x]h[bold]\\x1b[31m;" in "".join(result.out.split())
    corrupt(raw_copy / "events" / SEED / "page.txt", "- Competitors: 26", "- Competitors: 25")
    rejected = cli("run", "--raw", str(raw_copy), "--warehouse", str(warehouse))
    assert rejected.code == 1
    assert_plain(rejected.out + rejected.err)
    assert rejected.err.startswith(
        f"build rejected: the warehouse in {tmp_path}/w[/x]h[bold]\\x1b[31m is unchanged"
    )
    named = cli("sql", "SELECT '[bold]x[/x]' AS \"[/x]\"", "--warehouse", str(warehouse))
    assert named.code == 0, named.err
    assert "┃ [/x]        ┃" in named.out and "│ [bold]x[/x] │" in named.out
