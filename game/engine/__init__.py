"""The pure engine: states and the step function. No I/O, no clock, no UI."""

from __future__ import annotations

from .state import LogEntry, Origin, State, Value
from .step import (
    ChoiceError,
    ChoiceView,
    RunError,
    available_ids,
    choices,
    choose,
    is_ending,
    new_game,
    replay,
    scene_of,
    scene_text,
    undo,
)

__all__ = [
    "ChoiceError", "ChoiceView", "LogEntry", "Origin", "RunError", "State", "Value", "available_ids", "choices",
    "choose", "is_ending", "new_game", "replay", "scene_of", "scene_text", "undo",
]
