"""Problems found in a story, and the exception that carries them.

A load never stops at the first problem: every stage appends `Problem`
records and the loader raises one `StoryError` holding all of them, so a
writer fixes a file in one pass instead of one error per run.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Iterable

from ..errors import TaurideError


class ExprRuntimeError(TaurideError):
    """An expression failed while the game ran (division by zero, a number too large).

    Defined here, beside the load-time problems, so the engine can catch it without
    importing the expression compiler (`expr.py`) on a start from the story cache.
    """


class Severity(str, Enum):
    """Errors stop a story from loading; warnings are shown and allowed."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a story, pinned to the place a writer must edit."""

    path: str
    """File the problem is in, as the writer named it (relative where possible)."""
    line: int
    """1-based line; 0 when the problem has no single place (e.g. a missing file)."""
    col: int
    """1-based column."""
    message: str
    """What was found and what was expected."""
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.col}" if self.line else self.path
        prefix = "" if self.severity is Severity.ERROR else "warning: "
        return f"{where}: {prefix}{self.message}"


class StoryError(TaurideError):
    """A story could not be loaded; `problems` lists every error found."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems: list[Problem] = sorted(problems)
        errors = [p for p in self.problems if p.severity is Severity.ERROR]
        head = f"{len(errors)} error(s) in story"
        super().__init__(head + "\n" + "\n".join(str(p) for p in self.problems))


class NoSuchChair(StoryError):
    """`--chair NAME` names no chair of the story: the command was asked for something the story does not
    have, not a fault in its files (the shells say so, naming the option, not "the story has errors")."""

    def __init__(self, file: str, chair: str, known: list[str]) -> None:
        self.chair = chair
        self.known = known
        listed = ", ".join(known) or "none: this story has one point of view"
        self.reason = f"no chair '{chair}' in this story (its chairs: {listed}){did_you_mean(chair, known)}"
        super().__init__([Problem(file, 1, 1, self.reason)])


def did_you_mean(word: str, options: Iterable[str]) -> str:
    """A ' Did you mean …?' suffix for a misspelt name, or '' when nothing is close."""
    import difflib  # only when there is a problem to explain

    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" Did you mean '{close[0]}'?" if close else ""
