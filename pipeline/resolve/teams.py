"""Relay teams: the nation a Country cell or medal NOC field names."""

from __future__ import annotations

import re

from core.errors import SourceError
from pipeline.resolve.registry import Registry, fold

NOC_IN_BRACKETS = re.compile(r"\(([A-Z]{3})\)")


def team_noc(path: str, line: int, registry: Registry, cell: str) -> tuple[str, str]:
    """(NOC, how) of a Country cell: `South Korea`, `KOR` or `South Korea (KOR)`; how is exact
    when the cell is the code or the registered name, folded when only case or accents differ."""
    bracketed = NOC_IN_BRACKETS.search(cell)
    name = cell[: bracketed.start()].strip() if bracketed else cell
    noc = registry.noc_of(name) if name else None
    if bracketed and noc is not None and noc != bracketed.group(1):
        raise SourceError(path, line, f"a nation that agrees with ({bracketed.group(1)})", cell)
    noc = noc or (
        bracketed.group(1) if bracketed and registry.has_noc(bracketed.group(1)) else None
    )
    if noc is None:
        raise SourceError(path, line, registry.nation_expected, cell)
    exact = name in (noc, registry.nation_name(noc)) or (bracketed is not None and not name)
    if exact:
        return noc, "exact"
    return noc, "alias" if fold(name) in registry.nation_spellings else "folded"
