"""The README stays true: its schema section is current and its example outputs are real."""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.docs import render
from tests.conftest import REPO, CliResult

README = (REPO / "README.md").read_text(encoding="utf-8")
EXAMPLES = re.findall(r"```console\n\$ (pipeline sql .*?)\n(.*?)```", README, re.DOTALL)


def test_schema_section_is_current() -> None:
    assert render(README) == README, "run `python -m pipeline.docs` and commit README.md"


def test_readme_has_five_examples() -> None:
    assert len(EXAMPLES) == 5


@pytest.mark.parametrize("command, output", EXAMPLES)
def test_example_output_is_real(
    cli: Callable[..., CliResult], built_warehouse: Path, command: str, output: str
) -> None:
    args = shlex.split(command)[1:] + ["--warehouse", str(built_warehouse)]
    result = cli(*args)
    assert (result.code, result.out) == (0, output)


def test_every_command_is_in_the_command_table() -> None:
    from pipeline.cli import app

    names = [
        command.name or (command.callback.__name__ if command.callback else "")
        for command in app.registered_commands
    ]
    table = README.split("## Command line", 1)[1].split("\n\n", 2)[1]
    assert [name for name in names if f"| `pipeline {name} " not in table] == []
