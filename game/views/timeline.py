"""The timeline: the historical sequence of the day beside the player's afternoon.

How the historical sequence is derived (from the story's own data, nothing
else): start a new game at the story's start scene with the variables at
their defaults and the player's seed, and at every scene take the choice
the writer marked `historical: true` (the first available one if several
are). A scene with no available historical choice but exactly one way on
takes that way, since the story offers nothing else. The path stops at an
ending, at a scene where history offers no choice to follow, or if it comes
back to a scene at the same clock with the same choice (a loop). Events fire
on it exactly as in play, so the historical clock is the story's clock.

The player's afternoon is the journal's sequence of scenes. The two are
compared step by step: they diverge at the first step where the scene or
the choice made there differ.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import engine
from ..engine import State
from ..story.model import Story, format_clock
from .refs import ChoiceRef, choice_text, walk


@dataclass(frozen=True)
class TimelineRow:
    """One scene on one of the two paths."""

    step: int
    """Position on its path, from 0."""
    clock: int
    """Story clock on entering the scene."""
    scene: str
    title: str
    choice: ChoiceRef | None
    """The choice made there; None at the end of a path (an ending, or where the player is now)."""
    note: str | None = None
    """The scene's history note (history rows only)."""
    ending: str | None = None
    """The ending's title if the scene is an ending."""

    @property
    def clock_text(self) -> str:
        return format_clock(self.clock)


@dataclass(frozen=True)
class TimelineLine:
    """One line of the side-by-side view: what history and the player did at one clock time."""

    clock: int
    history: TimelineRow | None
    player: TimelineRow | None

    @property
    def clock_text(self) -> str:
        return format_clock(self.clock)


@dataclass(frozen=True)
class Timeline:
    history: tuple[TimelineRow, ...]
    """The historical path, from the story's start."""
    player: tuple[TimelineRow, ...]
    """The player's path; its last row is where the player is now."""
    diverged: int | None
    """Step at which the paths part (the same index in both); None while the player is on history's path."""
    stopped: str | None
    """Why the historical path ends short of an ending, or None if it reaches one."""

    @property
    def here(self) -> int:
        """Index in `player` of the row where the player is now."""
        return len(self.player) - 1

    def side_by_side(self) -> list[TimelineLine]:
        """Both paths merged by clock; rows with the same clock and scene share a line.

        Steps before the divergence are paired one to one (they are the same
        scenes); after it, rows are merged by clock, history first on a tie.
        """
        h, p = list(self.history), list(self.player)
        lines: list[TimelineLine] = []
        shared = self.diverged if self.diverged is not None else min(len(h), len(p))
        for k in range(min(shared, len(h), len(p))):
            lines.append(TimelineLine(h[k].clock, h[k], p[k]))
        i = j = min(shared, len(h), len(p))
        while i < len(h) or j < len(p):
            if j >= len(p) or (i < len(h) and h[i].clock < p[j].clock):
                lines.append(TimelineLine(h[i].clock, h[i], None))
                i += 1
            elif i >= len(h) or p[j].clock < h[i].clock:
                lines.append(TimelineLine(p[j].clock, None, p[j]))
                j += 1
            elif h[i].scene == p[j].scene:
                lines.append(TimelineLine(h[i].clock, h[i], p[j]))
                i += 1
                j += 1
            else:
                lines.append(TimelineLine(h[i].clock, h[i], None))
                i += 1
        return lines


def historical_path(story: Story, seed: int = 0) -> tuple[tuple[TimelineRow, ...], str | None]:
    """The historical sequence of the day (see the module docstring); returns (rows, why it stopped short)."""
    state = engine.new_game(story, seed=seed)
    rows: list[TimelineRow] = []
    seen: set[tuple[str, int, str]] = set()
    limit = 4 * len(story.scenes) + 16
    while True:
        scene = story.scenes[state.scene]
        note = scene.history.note.strip() if scene.history else None
        ending = scene.ending.title if scene.ending else None
        if ending is not None:
            rows.append(TimelineRow(len(rows), state.clock, scene.id, scene.title, None, note, ending))
            return tuple(rows), None
        available = [c for c in engine.choices(story, state) if c.enabled]
        pick = next((c for c in available if c.historical), None)
        if pick is None and len(available) == 1:
            pick = available[0]
        if pick is None:
            rows.append(TimelineRow(len(rows), state.clock, scene.id, scene.title, None, note))
            return tuple(rows), f"history offers no choice to follow in '{scene.title}'"
        key = (scene.id, state.clock, pick.id)
        if key in seen or len(rows) >= limit:
            return tuple(rows), f"the historical path goes round in circles at '{scene.title}'"
        seen.add(key)
        rows.append(TimelineRow(len(rows), state.clock, scene.id, scene.title, ChoiceRef(pick.id, pick.text), note))
        state = engine.choose(story, state, pick.id)


def timeline(story: Story, state: State) -> Timeline:
    history, stopped = historical_path(story, seed=state.origin.seed)
    player: list[TimelineRow] = []
    for i, st in enumerate(walk(story, state).steps):
        scene = story.scenes[st.before.scene]
        choice = None
        if st.entry is not None:
            c = scene.choice(st.entry.choice)
            choice = ChoiceRef(st.entry.choice, choice_text(c, st.before) if c else st.entry.choice)
        player.append(TimelineRow(i, st.before.clock, scene.id, scene.title, choice,
                                  ending=scene.ending.title if scene.ending else None))
    diverged = None
    for k, row in enumerate(player):
        if k >= len(history):
            diverged = k
            break
        h = history[k]
        if h.scene != row.scene or (row.choice is not None and h.choice is not None and h.choice.id != row.choice.id):
            diverged = k
            break
    return Timeline(history, tuple(player), diverged, stopped)
