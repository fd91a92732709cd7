"""The documentation stays true: README.md is short, its links lead to documents that exist,
the generated sections of README.md and docs/ are current, each once, and every example
output (README and docs) is real."""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.docs import DOCUMENTS, SECTIONS, render, sections_in
from tests.conftest import REPO, CliResult

README = (REPO / "README.md").read_text(encoding="utf-8")
DOCS = {path.name: path.read_text(encoding="utf-8") for path in (REPO / "docs").glob("*.md")}
EXAMPLES = [
    example
    for text in (README, *DOCS.values())
    for example in re.findall(r"```console\n\$ (pipeline sql .*?)\n(.*?)```", text, re.DOTALL)
]


@pytest.mark.parametrize("document", DOCUMENTS)
def test_generated_sections_are_current(document: str) -> None:
    text = (REPO / document).read_text(encoding="utf-8")
    assert render(text) == text, f"run `python -m pipeline.docs` and commit {document}"


def test_each_generated_section_stands_in_one_document() -> None:
    found = [name for document in DOCUMENTS for name in sections_in((REPO / document).read_text())]
    assert sorted(found) == sorted(SECTIONS)


def test_the_readme_is_short_and_its_links_lead_somewhere() -> None:
    assert README.count("\n") <= 300
    for link in re.findall(r"\]\(((?:docs/)?[A-Za-z-]+\.(?:md|png))(?:#[a-z0-9-]+)?\)", README):
        assert (REPO / link).is_file(), link
    for name, text in DOCS.items():
        for link in re.findall(r"\]\(([A-Za-z-]+\.(?:md|png))(?:#[a-z0-9-]+)?\)", text):
            assert (REPO / "docs" / link).is_file(), (name, link)
        assert "](#" not in text or name == "schema.md", name


def test_there_are_six_examples() -> None:
    assert len(EXAMPLES) == 6


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
