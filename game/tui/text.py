"""Small pure helpers that turn story values into the words the screens show.

Kept apart from the widgets so they can be tested without an app, and so
every screen says a time cost or a variable's value the same way.
"""

from __future__ import annotations

from typing import Any

from ..story.model import Story, Variable

BAR_FULL = "█"
BAR_EMPTY = "░"


def duration(minutes: int) -> str:
    """A time cost as a reader says it: '15 min', '1 h', '1 h 30 min'."""
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    return f"{hours} h" + (f" {rest} min" if rest else "")


def place_name(story: Story, place: str | None) -> str:
    """The player-facing name of a scene's place: its glossary term, else the id in words."""
    if not place:
        return ""
    entry = story.glossary.get(place)
    if entry is not None:
        return entry.term
    return place.replace("_", " ").capitalize()


def value_words(value: Any) -> str:
    """A variable's value in words: yes/no for true/false, the number or text otherwise."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def bar(var: Variable, value: Any, width: int = 10) -> str | None:
    """A text bar for a ranged number (shape, not colour, carries the meaning); None otherwise."""
    if var.type != "int" or var.range is None or isinstance(value, bool):
        return None
    lo, hi = var.range
    span = max(1, hi - lo)
    filled = round((min(max(int(value), lo), hi) - lo) * width / span)
    return BAR_FULL * filled + BAR_EMPTY * (width - filled)


def delta_words(old: Any, new: Any) -> str:
    """How a number moved since the last choice, as '▲2' / '▼1' (empty when unchanged)."""
    if isinstance(old, bool) or isinstance(new, bool) or not isinstance(old, int) or not isinstance(new, int):
        return "changed" if old != new and old is not None else ""
    if new > old:
        return f"▲{new - old}"
    if new < old:
        return f"▼{old - new}"
    return ""
