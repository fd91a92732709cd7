"""How far apart two spellings are: the Damerau-Levenshtein distance (optimal string alignment:
insertions, deletions, substitutions and swaps of two neighbours), written out so that no
dependency is needed. Only small distances matter, so the time grows with the length of the
names, not with its square, and not with the square of their number:

- the distance is computed in a band around the diagonal (an alignment within `limit` edits never
  strays further from it) and given up as soon as every cell of a row is beyond the limit;
- a NearIndex offers a name only the spellings that may be near it. Cut a spelling into
  PIECES pieces: one edit spoils at most two neighbouring pieces (a swap across their border),
  so a spelling NEAR edits from another keeps PIECES - 2 * NEAR pieces whole, each moved by at
  most NEAR characters. Only spellings sharing that many such pieces are compared: sharing one
  piece is not enough, as names that begin alike ("Kim …", "Van der …") all share their
  first."""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

NEAR = 2  # at most this many edits apart (after folding case and accents) is a near match
KEPT = 3  # pieces a near spelling keeps whole: a common first name or prefix is not enough
PIECES = 2 * NEAR + KEPT


def edit_distance(a: str, b: str, limit: int = NEAR) -> int:
    """The optimal string alignment distance of `a` and `b`, or `limit + 1` if it is larger.

    Row i keeps the cells j = i - limit … i + limit, at k = j - i + limit: the cell above is
    at k + 1 in the row before, the one above-left at k, the one two rows up and two columns
    left (a swap) at k in the row before that."""
    far = limit + 1
    if abs(len(a) - len(b)) > limit:
        return far
    a, b = _without_common_ends(a, b)
    width = 2 * limit + 1
    before: list[int] = []
    previous = [j if 0 <= j <= len(b) else far for j in range(-limit, limit + 1)]
    for i in range(1, len(a) + 1):
        current = [far] * width
        for k in range(width):
            j = i - limit + k
            if j == 0:
                current[k] = min(i, far)
            elif 0 < j <= len(b):
                current[k] = _cell(a, b, i, j, previous, current, before, k, far)
        if min(current) >= far:  # every later row is at least as far
            return far
        before, previous = previous, current
    return min(previous[len(b) - len(a) + limit], far)


def _without_common_ends(a: str, b: str) -> tuple[str, str]:
    """`a` and `b` without the start and end they share: an optimal alignment matches those
    characters, so the distance is that of what is left (names that begin or end alike, as
    a family of skaters does, cost only their difference)."""
    start, shortest = 0, min(len(a), len(b))
    while start < shortest and a[start] == b[start]:
        start += 1
    end = 0
    while end < shortest - start and a[-1 - end] == b[-1 - end]:
        end += 1
    if not start and not end:
        return a, b
    return a[start : len(a) - end], b[start : len(b) - end]


def _cell(
    a: str,
    b: str,
    i: int,
    j: int,
    previous: list[int],
    current: list[int],
    before: list[int],
    k: int,
    far: int,
) -> int:
    """The distance of a[:i] and b[:j] (capped at `far`), from its band neighbours."""
    above = previous[k + 1] if k + 1 < len(previous) else far
    left = current[k - 1] if k > 0 else far
    best = min(above + 1, left + 1, previous[k] + (a[i - 1] != b[j - 1]))
    if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
        best = min(best, before[k] + 1)
    return min(best, far)


def is_near(a: str, b: str) -> bool:
    """Two folded spellings at most NEAR edits apart (and not equal)."""
    return a != b and edit_distance(a, b) <= NEAR


@lru_cache(maxsize=4096)
def _pieces(length: int) -> tuple[tuple[int, int, int], ...]:
    """The number, start and end of each of the PIECES pieces of a spelling of this length
    (some empty when it is shorter than PIECES)."""
    bounds = [length * number // PIECES for number in range(PIECES + 1)]
    return tuple((number, bounds[number], bounds[number + 1]) for number in range(PIECES))


class NearIndex:
    """Spellings in the order added, found again by the pieces they are cut into."""

    def __init__(self) -> None:
        self.spellings: list[str] = []
        self._holders: dict[tuple[int, int, str], list[int]] = {}

    def __len__(self) -> int:
        return len(self.spellings)

    def add(self, spelling: str) -> None:
        """Index one more spelling, at the next position."""
        position = len(self.spellings)
        self.spellings.append(spelling)
        for number, start, end in _pieces(len(spelling)):
            self._holders.setdefault((len(spelling), number, spelling[start:end]), []).append(
                position
            )

    def near(self, key: str) -> list[int]:
        """The positions, in order, of the spellings near `key` (see is_near)."""
        return [p for p in sorted(self._candidates(key)) if is_near(key, self.spellings[p])]

    def _candidates(self, key: str) -> set[int]:
        """The positions of the spellings that keep KEPT of their pieces whole in `key`, each
        moved by at most NEAR: of every length within NEAR of its own."""
        kept: Counter[int] = Counter()
        if not self.spellings:
            return set()
        for length in range(max(0, len(key) - NEAR), len(key) + NEAR + 1):
            for number, start, end in _pieces(length):
                holders: set[int] = set()  # each spelling counts once for a piece
                for shift in range(-min(NEAR, start), NEAR + 1):
                    if end + shift <= len(key):
                        piece = key[start + shift : end + shift]
                        holders.update(self._holders.get((length, number, piece), ()))
                kept.update(holders)
        return {position for position, count in kept.items() if count >= KEPT}
