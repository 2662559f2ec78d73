"""The story: a pure model of a YAML story folder, its loader and validator.

Nothing here does terminal I/O or imports Textual or Rich; the engine and
every shell build on `load_story` and the `Story` it returns.

Names are imported on first use (PEP 562): `from game.story import Story`
does not import the validator, so a start from the story cache stays light.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .loader import load_story, parse_duration, parse_time
    from .model import Choice, Ending, Event, GlossaryEntry, History, Hour, Scene, Story, Variable, format_clock
    from .problems import Problem, Severity, StoryError

_WHERE = {
    "load_story": "loader", "parse_duration": "loader", "parse_time": "loader",
    **dict.fromkeys(("Choice", "Ending", "Event", "GlossaryEntry", "History", "Hour", "Scene", "Story", "Variable",
                     "format_clock"), "model"),
    **dict.fromkeys(("Problem", "Severity", "StoryError"), "problems"),
}
"""Public name -> the module of this package that defines it."""

__all__ = [
    "Choice", "Ending", "Event", "GlossaryEntry", "History", "Hour", "Problem", "Scene", "Severity", "Story",
    "StoryError", "Variable", "format_clock", "load_story", "parse_duration", "parse_time",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
