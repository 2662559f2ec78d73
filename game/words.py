"""Words every shell says alike: nouns that agree with their numbers ('1 vote', '3 votes'), and the
answers to an undo that cannot be taken (the terminal game, plain mode, group play, the reading mode)."""

from __future__ import annotations


def noun(n: int, one: str, many: str | None = None) -> str:
    """The noun for `n`: `one` for exactly one, else `many` (by default `one` with an s)."""
    return one if n == 1 else (many if many is not None else one + "s")


def count(n: int, one: str, many: str | None = None) -> str:
    """`n` with its noun ('1 vote', '3 votes')."""
    return f"{n} {noun(n, one, many)}"


UNDO_LOCKED = "Undo is locked: your teacher started an assessed run."
"""Undo asked for in an assessed run (`--locked`)."""
NOTHING_TO_UNDO = "Nothing to undo: this is where the playthrough began."
"""Undo asked for before the first choice (of the playthrough, or of the chapter it began at)."""
