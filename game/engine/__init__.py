"""The pure engine: states and the step function. No I/O, no clock, no UI.

The step function's names are imported on first use (PEP 562): the saves
and the title screen need only `State`, so a fresh start does not import
the step function (nor the expression runtime behind it) before its first
frame.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .state import LogEntry, Origin, State, Value, own, played_by_chapter

if TYPE_CHECKING:
    from .step import (
        ChoiceError,
        ChoiceView,
        RunError,
        available_ids,
        choices,
        choose,
        ending_title,
        epilogue,
        hour_title,
        is_ending,
        new_game,
        replay,
        response_text,
        scene_of,
        scene_text,
        scene_title,
        undo,
    )

_STEP = frozenset({"ChoiceError", "ChoiceView", "RunError", "available_ids", "choices", "choose", "ending_title",
                   "epilogue", "hour_title", "is_ending", "new_game", "replay", "response_text", "scene_of",
                   "scene_text", "scene_title", "undo"})

__all__ = [
    "ChoiceError", "ChoiceView", "LogEntry", "Origin", "RunError", "State", "Value", "available_ids", "choices",
    "choose", "ending_title", "epilogue", "hour_title", "is_ending", "new_game", "own", "played_by_chapter", "replay",
    "response_text", "scene_of", "scene_text", "scene_title", "undo",
]


def __getattr__(name: str) -> Any:
    if name not in _STEP:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(".step", __name__), name)
    globals()[name] = value
    return value
