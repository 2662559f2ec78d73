"""The timeline: the historical sequence of the day beside the player's afternoon.

How the historical sequence is derived, from the story's own data and
nothing else: start a new game at the story's start scene, with the
variables at their defaults and the player's seed, and play it with the
engine. In a scene where the writer marked a choice `historical: true`,
take it (the first available one if several are). In a scene where history
records no choice (the story's connecting scenes), take the available
choice that leads soonest to a scene where history does record one, or to
the historical ending; on a tie, the one that changes least (fewest
effects, then least time), then the one the writer listed first. Events
fire on the way exactly as in play, so the clock is the story's clock. The
path stops at an ending, where no choice is available, or if it would go
round in a loop.

Each row says whether history records the choice made there (`historical`),
so a shell can show the record and leave the connecting steps quiet.

The player's afternoon is the journal's sequence of scenes. The paths part
where the player first leaves history, the same place the debrief names:
the first decision where history's choice was open to the player and they
took another (`route.followed_history`, the one rule), or else the arrival
at an ending history did not have.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from .. import engine
from ..engine import State, own
from ..story.model import Scene, Story, format_clock
from .refs import ChoiceRef, choice_text, walk
from .route import followed_history


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
    historical: bool | None
    """True if history records this choice, False if it records another one, None if it records none here."""
    note: str | None = None
    """The scene's history note (Markdown), if it has one."""
    invention: bool = False
    """The writer marked the scene (and so its note's setting) as invented."""
    ending: str | None = None
    """The ending's title if the scene is an ending."""
    historical_ending: bool = False
    """The scene is the ending history had."""

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
    """The `step` of the row where the player left history; None while the player has not. (Equal to the
    row's index in `player` except after a chapter start, whose steps the player did not play.)"""
    stopped: str | None
    """Why the historical path ends short of an ending, or None if it reaches one."""

    @property
    def here(self) -> int:
        """Index in `player` of the row where the player is now."""
        return len(self.player) - 1

    def side_by_side(self) -> list[TimelineLine]:
        """Both paths merged by clock; a scene both paths entered at the same time shares a line.

        At one clock time, rows keep their order on each path; when the two
        differ, the player's row comes first if history's scene is still
        ahead on the player's path at that time, so shared scenes line up.
        """
        h, p = self.history, self.player
        lines: list[TimelineLine] = []
        i = j = 0
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
            elif any(r.scene == h[i].scene for r in p[j + 1:] if r.clock == h[i].clock):
                lines.append(TimelineLine(p[j].clock, None, p[j]))
                j += 1
            else:
                lines.append(TimelineLine(h[i].clock, h[i], None))
                i += 1
        return lines


def _distances(story: Story) -> dict[str, int]:
    """Fewest choices from each scene to one where history records a choice, or to the historical ending.

    Events are left out: one can fire from almost anywhere, which would make every scene look one step away.
    """
    into: dict[str, list[str]] = {}
    for scene in story.scenes.values():
        for c in scene.choices:
            if not c.goes_back:  # back returns to a scene already behind the player
                into.setdefault(c.goto, []).append(scene.id)
    dist = {s.id: 0 for s in story.scenes.values()
            if any(c.historical for c in s.choices) or (s.ending is not None and s.ending.historical)}
    queue = deque(dist)
    while queue:
        sid = queue.popleft()
        for prev in into.get(sid, ()):
            if prev not in dist:
                dist[prev] = dist[sid] + 1
                queue.append(prev)
    return dist


def historical_path(story: Story, seed: int = 0) -> tuple[tuple[TimelineRow, ...], str | None]:
    """The historical sequence of the day (see the module docstring); returns (rows, why it stopped short)."""
    state = engine.new_game(story, seed=seed)
    dist = _distances(story)
    far = len(story.scenes) + 1
    rows: list[TimelineRow] = []
    seen: set[tuple[str, int, str]] = set()
    limit = 4 * len(story.scenes) + 16
    while True:
        scene = story.scenes[state.scene]
        h = scene.history
        note, invention = (h.note.strip() if h else None), (h.invention if h else False)
        title = engine.scene_title(story, state)
        if scene.ending is not None:
            rows.append(TimelineRow(len(rows), state.clock, scene.id, title, None, None, note, invention,
                                    engine.ending_title(story, state), scene.ending.historical))
            return tuple(rows), None
        available = [c for c in engine.choices(story, state) if c.enabled]
        pick = next((c for c in available if c.historical), None)
        recorded = pick is not None or any(c.historical for c in scene.choices)
        if pick is None and available:
            order = {c.id: (c.goto, len(c.effects), c.cost) for c in scene.choices}
            pick = min(available, key=lambda c: (dist.get(order[c.id][0], far), *order[c.id][1:]))
        if pick is None:
            rows.append(TimelineRow(len(rows), state.clock, scene.id, title, None, None, note, invention))
            return tuple(rows), f"no choice can be taken in '{title}'"
        key = (scene.id, state.clock, pick.id)
        if key in seen or len(rows) >= limit:
            return tuple(rows), f"the historical path goes round in a loop at '{title}'"
        seen.add(key)
        historical = True if pick.historical else (False if recorded else None)
        rows.append(TimelineRow(len(rows), state.clock, scene.id, title, ChoiceRef(pick.id, pick.text),
                                historical, note, invention))
        state = engine.choose(story, state, pick.id)


def historical_route(story: Story) -> list[Scene]:
    """The scenes of the historical sequence (see the module docstring), in order: the guide's route."""
    rows, _ = historical_path(story)
    return [story.scenes[r.scene] for r in rows]


def timeline(story: Story, state: State) -> Timeline:
    history, stopped = historical_path(story, seed=state.origin.seed)
    player: list[TimelineRow] = []
    diverged = None
    for i, st in enumerate(walk(story, state).steps):
        if not own(st.entry):
            continue  # played by a chapter start, not by the player
        scene = story.scenes[st.before.scene]
        h = scene.history
        choice = None
        historical = None
        if st.entry is not None:
            c = scene.choice(st.entry.choice)
            choice = ChoiceRef(st.entry.choice, choice_text(c, st.before) if c else st.entry.choice)
            historical = followed_history(story, st.before, st.entry.choice)
        ending = scene.ending
        player.append(TimelineRow(
            i, st.before.clock, scene.id, engine.scene_title(story, st.before), choice, historical,
            note=h.note.strip() if h else None, invention=h.invention if h else False,
            ending=engine.ending_title(story, st.before) if ending else None,
            historical_ending=bool(ending and ending.historical),
        ))
        if diverged is None and (historical is False or (ending is not None and not ending.historical)):
            diverged = i
    return Timeline(history, tuple(player), diverged, stopped)
