"""Words that agree with their numbers: '1 vote', '3 votes', in every shell's messages alike."""

from __future__ import annotations


def noun(n: int, one: str, many: str | None = None) -> str:
    """The noun for `n`: `one` for exactly one, else `many` (by default `one` with an s)."""
    return one if n == 1 else (many if many is not None else one + "s")


def count(n: int, one: str, many: str | None = None) -> str:
    """`n` with its noun ('1 vote', '3 votes')."""
    return f"{n} {noun(n, one, many)}"
