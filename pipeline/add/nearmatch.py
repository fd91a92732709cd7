"""How far apart two spellings are: the Damerau-Levenshtein distance (optimal string alignment:
insertions, deletions, substitutions and swaps of two neighbours), written out so that no
dependency is needed, and cut off early since only small distances matter."""

from __future__ import annotations

NEAR = 2  # at most this many edits apart (after folding case and accents) is a near match


def edit_distance(a: str, b: str, limit: int = NEAR) -> int:
    """The optimal string alignment distance of `a` and `b`, or `limit + 1` if it is larger."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            best = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                best = min(best, before[j - 2] + 1)
            current[j] = best
        if min(current) > limit:  # every later row is at least as far
            return limit + 1
        before, previous = previous, current
    return min(previous[-1], limit + 1)


def is_near(a: str, b: str) -> bool:
    """Two folded spellings at most NEAR edits apart (and not equal)."""
    return a != b and edit_distance(a, b) <= NEAR
