"""Words that agree with their numbers: '1 vote', '3 votes', in every shell's messages alike."""

from __future__ import annotations


def count(n: int, one: str, many: str | None = None) -> str:
    """`n` with its noun: `one` for exactly one, else `many` (by default `one` with an s)."""
    return f"{n} {one if n == 1 else (many if many is not None else one + 's')}"
