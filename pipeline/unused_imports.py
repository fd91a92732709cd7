"""Libraries a dependency imports when they are installed but no command ever uses: kept out of
the process while a command runs, so that it pays only for what it does."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from importlib.abc import MetaPathFinder
from importlib.machinery import ModuleSpec
from types import ModuleType

# - hypothesis: pandera imports it, when installed (a development dependency here), for data
#   synthesis only, which no command does: about 3% of a build of the bundled page (measured).
# - pandas: pandera imports it, when installed, for its pandas API; the checks use its polars
#   API, which pandera supports without pandas (its "polars-only" install). pandas is here only
#   because country_converter requires it, and pipeline.nations reads that library's data file
#   without it. Importing it costs about 0.3 s of every command that checks (measured).
UNUSED = ("hypothesis", "pandas")


class _NotInstalled(MetaPathFinder):
    """Finds the named packages (and their modules) as an installation without them would:
    ModuleNotFoundError, "No module named ...", as library code tests for."""

    def __init__(self, names: Sequence[str]) -> None:
        self.names = frozenset(names)

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> ModuleSpec | None:
        if fullname.partition(".")[0] in self.names:
            raise ModuleNotFoundError(f"No module named {fullname!r}", name=fullname)
        return None


@contextmanager
def unimportable(names: tuple[str, ...] = UNUSED) -> Iterator[None]:
    """Inside the block `import name` raises ModuleNotFoundError (as for a library not
    installed, which pandera handles) for each name not yet imported; one already imported
    stays as it is. After the block each is importable again, but a module that looked for it
    inside the block keeps what it found (pandera: no data synthesis and no pandas API for the
    rest of the process), so the block is for a process that ends with it."""
    finder = _NotInstalled([name for name in names if name not in sys.modules])
    sys.meta_path.insert(0, finder)
    try:
        yield
    finally:
        sys.meta_path.remove(finder)
