"""Live reload: edit a scene file, save it, and the running game picks it up.

`StoryWatcher` notices a change in the story folder (by polling file sizes
and modification times: no extra dependency, and it works on every file
system a classroom laptop may have), loads the story again, and hands back
either the new `Story` or the `Problem`s that stop it loading. A broken
file never replaces the story being played.

`carry_state` (`game/engine/migrate.py`, the rule saves use too) moves the
player's state onto the new story: the same choices are replayed from the
same origin when they still fit, otherwise the player stays in the same
scene with every variable that still exists (clamped into range); only when
the scene itself is gone does play go back to the start.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Callable

from rich.text import Text
from textual.widgets import Static

from ..engine.migrate import carry_state as carry_state  # re-exported: the writer app's name for it
from ..locate import open_story
from ..story import Problem, StoryError
from ..story.model import Story
from ..story_folder import story_files


def snapshot(folder: str) -> tuple[tuple[str, int, int], ...]:
    """What the folder's story files look like now (name, size, mtime in ns); any change means reload."""
    out = []
    try:
        for path in story_files(folder):
            try:
                st = os.stat(path)
            except OSError:
                continue
            out.append((os.path.basename(path), st.st_size, st.st_mtime_ns))
    except OSError:
        pass
    return tuple(out)


@dataclass
class Reload:
    """The outcome of one reload: a story, or the problems that stopped it loading."""

    story: Story | None
    problems: list[Problem]


class StoryWatcher:
    """Polls a story folder; `poll()` returns a Reload when something changed, else None."""

    def __init__(self, folder: str, chair: Callable[[], str | None] = lambda: None):
        """`chair`: the chair being played now (it may change on the title screen): the one reloaded."""
        self.folder = folder
        self.chair = chair
        self.seen = snapshot(folder)

    def poll(self) -> Reload | None:
        now = snapshot(self.folder)
        if now == self.seen:
            return None
        self.seen = now
        return self.reload()

    def reload(self) -> Reload:
        """The story as the files are now, or why not; never raises, so a bad edit never ends the game.

        Anything but a `StoryError` is a fault of the loader, not of the file
        (each such fault found so far is now a positioned problem); it is
        still shown as a problem, so the writer keeps the running game.
        """
        try:
            return Reload(open_story(self.folder, self.chair()), [])
        except StoryError as err:
            return Reload(None, err.problems)
        except Exception as err:
            where = os.path.join(self.folder, "story.yaml")
            return Reload(None, [Problem(where, 0, 0, f"the story could not be loaded ({type(err).__name__}: {err})")])


def problems_text(problems: list[Problem], folder: str) -> Text:
    """The load errors as the writer needs them: file:line:col and the message, short enough for a small terminal."""
    t = Text()
    errors = [p for p in problems if p.severity.value == "error"]
    t.append("The story does not load: you are playing the last version that did.\n", style="bold")
    for p in errors[:12]:
        t.append(f"{_relative(p, folder)}\n")
    if len(errors) > 12:
        t.append(f"… and {len(errors) - 12} more: tauride validate {folder}\n", style="dim")
    t.append("Fix the file and save it again.", style="dim")
    return t


def _relative(p: Problem, folder: str) -> str:
    """A problem with its file named from the story folder (the long absolute path helps nobody here)."""
    try:
        rel = os.path.relpath(p.path, folder)
    except ValueError:
        rel = p.path
    if rel.startswith(".."):
        rel = p.path
    where = f"{rel}:{p.line}:{p.col}" if p.line else rel
    return f"{where}: {p.message}"


class StoryErrors(Static):
    """A band across the play screen listing the load errors, until the files load again."""

    DEFAULT_CSS = """
    StoryErrors {
        dock: top;
        height: auto;
        max-height: 14;
        overflow-y: auto;
        padding: 0 1;
        background: $error 20%;
        border-bottom: hkey $error;
    }
    """

    def show(self, problems: list[Problem], folder: str) -> None:
        self.update(problems_text(problems, folder))
