"""Live reload: edit a scene file, save it, and the running game picks it up.

`StoryWatcher` notices a change in the story folder (by polling file sizes
and modification times: no extra dependency, and it works on every file
system a classroom laptop may have), loads the story again, and hands back
either the new `Story` or the `Problem`s that stop it loading. A broken
file never replaces the story being played.

`carry_state` moves the player's state onto the new story: the same
choices are replayed from the same origin when they still fit (so edited
effects and texts apply), otherwise the player stays in the same scene
with every variable that still exists; only when the scene itself is gone
does play go back to the start.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from rich.text import Text
from textual.widgets import Static

from .. import engine
from ..engine import State
from ..story import Problem, StoryError, load_story
from ..story.load import story_files
from ..story.model import Story


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

    def __init__(self, folder: str):
        self.folder = folder
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
            return Reload(load_story(self.folder), [])
        except StoryError as err:
            return Reload(None, err.problems)
        except Exception as err:  # noqa: BLE001 — shown to the writer below, never swallowed
            where = os.path.join(self.folder, "story.yaml")
            return Reload(None, [Problem(where, 0, 0, f"the story could not be loaded ({type(err).__name__}: {err})")])


def carry_state(story: Story, state: State) -> tuple[State, str]:
    """`state`, moved onto a newly loaded `story`, and a sentence saying how."""
    origin = state.origin
    if origin.scene in story.scenes:
        try:
            moved = engine.replay(story, origin, list(state.log))
            if moved.scene == state.scene:
                return moved, "your choices were replayed on the new version"
        except (engine.ChoiceError, engine.RunError):
            pass
    values = {k: v for k, v in state.vars.items()
              if k in story.variables and type(v) is type(story.variables[k].default)}
    for k, v in list(values.items()):
        rng = story.variables[k].range
        if rng is not None and isinstance(v, int) and not isinstance(v, bool):
            values[k] = min(max(v, rng[0]), rng[1])
    if state.scene in story.scenes:
        moved = engine.new_game(story, seed=origin.seed, start=state.scene, overrides=values)
        return moved.with_(clock=max(moved.clock, state.clock)), \
            "you stay in this scene with your variables (the choices so far no longer replay)"
    moved = engine.new_game(story, seed=origin.seed, overrides=values)
    return moved, f"the scene '{state.scene}' is gone, so play goes back to the start with your variables"


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
