"""Libraries a dependency imports when they are installed but no command ever uses: kept out of
the process while a command runs, so that it pays only for what it does."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

# pandera imports hypothesis, when installed (a development dependency here), for data
# synthesis only, which no command does: about 3% of a build of the bundled page (measured).
UNUSED = ("hypothesis",)


@contextmanager
def unimportable(names: tuple[str, ...] = UNUSED) -> Iterator[None]:
    """Inside the block `import name` raises ImportError (as for a library not installed, which
    pandera handles) for each name not yet imported; one already imported stays as it is. After
    the block each is importable again, but a module that looked for it inside the block keeps
    what it found (pandera: no data synthesis for the rest of the process), so the block is for
    a process that ends with it."""
    blocked = [name for name in names if name not in sys.modules]
    for name in blocked:
        # The import system's own "not importable" mark (typeshed types the values as modules).
        sys.modules[name] = None  # type: ignore[assignment]
    try:
        yield
    finally:
        for name in blocked:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]
