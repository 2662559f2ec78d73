"""The story: a pure model of a YAML story folder, its loader and validator.

Nothing here does terminal I/O or imports Textual or Rich; the engine and
every shell build on `load_story` and the `Story` it returns.
"""

from __future__ import annotations

from .loader import load_story, parse_duration, parse_time
from .model import Choice, Ending, Event, GlossaryEntry, History, Hour, Scene, Story, Variable, format_clock
from .problems import Problem, Severity, StoryError

__all__ = [
    "Choice", "Ending", "Event", "GlossaryEntry", "History", "Hour", "Problem", "Scene", "Severity", "Story",
    "StoryError", "Variable", "format_clock", "load_story", "parse_duration", "parse_time",
]
