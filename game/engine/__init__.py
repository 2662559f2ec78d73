"""The pure engine: states and the step function. No I/O, no clock, no UI.

Every name is imported on first use (PEP 562): a fresh start's title reads
the autosave without decoding a state, so it imports neither the step
function (nor the expression runtime behind it) nor `State` (nor
`immutables`, behind it) before its first frame.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .state import LogEntry, Origin, State, Value, own, played_by_chapter
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


_STATE = frozenset({"LogEntry", "Origin", "State", "Value", "own", "played_by_chapter"})


def __getattr__(name: str) -> Any:
    if name not in _STEP and name not in _STATE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(".step" if name in _STEP else ".state", __name__), name)
    globals()[name] = value
    return value
