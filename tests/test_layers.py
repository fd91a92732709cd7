"""The layering holds: raw files → read → resolve → derive → (Parquet, DuckDB) → checks → report,
with `core/` under everything and the command line on top. No import circle between modules or
between folders, lazy imports (inside functions) included."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

from tests.conftest import REPO

PACKAGES = ("core", "pipeline", "checks", "report")

# A folder may import only itself and these (the folders below it).
ALLOWED = {
    "core": set(),
    "pipeline.read": {"core"},
    "pipeline.resolve": {"core", "pipeline.read"},
    "pipeline.derive": {"core", "pipeline.read", "pipeline.resolve"},
    "pipeline.add": {"core", "pipeline.read", "pipeline.resolve", "pipeline.derive"},
    "checks.framework": {"core"},
    "checks.rules": {"core", "checks.framework"},
    "checks": {"core", "checks.framework", "checks.rules"},
    "report": {"core", "checks", "checks.framework"},
}


def _module(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module(path): path for package in PACKAGES for path in (REPO / package).rglob("*.py")}


def _imported(path: Path, known: dict[str, Path]) -> Iterator[str]:
    """The project modules a file imports, anywhere in it (a lazy import counts)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [f"{node.module}.{alias.name}" for alias in node.names] + [node.module]
        else:
            continue
        for name in names:
            while name and name not in known:
                name = name.rpartition(".")[0]
            if name:
                yield name
                break


def _folder(module: str, known: dict[str, Path]) -> str:
    """The package a module lives in (a package's __init__ is in the package itself)."""
    return module if known[module].name == "__init__.py" else module.rpartition(".")[0]


def _graphs() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    known = _modules()
    modules: dict[str, set[str]] = {name: set() for name in known}
    folders: dict[str, set[str]] = {}
    for name, path in known.items():
        for target in _imported(path, known):
            if target == name or name.startswith(f"{target}."):
                continue  # a package's own __init__, imported to reach its modules
            modules[name].add(target)
            source, into = _folder(name, known), _folder(target, known)
            folders.setdefault(source, set())
            if into != source:
                folders[source].add(into)
    return modules, folders


def _circle(graph: dict[str, set[str]]) -> list[str]:
    try:
        tuple(TopologicalSorter(graph).static_order())
    except CycleError as circle:
        return list(circle.args[1])
    return []


def test_no_module_imports_itself_in_a_circle() -> None:
    assert _circle(_graphs()[0]) == []


def test_no_folder_imports_itself_in_a_circle() -> None:
    assert _circle(_graphs()[1]) == []


@pytest.mark.parametrize("folder", sorted(ALLOWED))
def test_each_layer_imports_only_the_layers_below_it(folder: str) -> None:
    """The read layer never looks a name up (it imports nothing of resolve/), derive never reads
    a file, checks know nothing of reading, and reports decide no verdict."""
    imports = _graphs()[1].get(folder, set())
    assert imports - ALLOWED[folder] == set()


def test_the_layer_test_sees_an_import_that_breaks_the_layering(tmp_path: Path) -> None:
    """The graph is read from the code: an upward import in a read module is seen."""
    known = {"pipeline.read.x": tmp_path / "x.py", "pipeline.resolve.registry": tmp_path / "r.py"}
    known["pipeline.read.x"].write_text(
        "def f():\n    from pipeline.resolve.registry import Registry\n", encoding="utf-8"
    )
    assert list(_imported(known["pipeline.read.x"], known)) == ["pipeline.resolve.registry"]
