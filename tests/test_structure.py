"""The code stays in small pieces: no function over 60 lines (ruff holds complexity at 12)."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import REPO

MAX_LINES = 60
PACKAGES = ("core", "pipeline", "checks", "report")


def test_no_function_is_over_60_lines() -> None:
    long = []
    for package in PACKAGES:
        for path in sorted((REPO / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    length = (node.end_lineno or node.lineno) - node.lineno + 1
                    if length > MAX_LINES:
                        long.append(f"{Path(path).relative_to(REPO)}:{node.lineno} {node.name}")
    assert long == []
