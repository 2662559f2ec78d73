"""Checks of the story as a whole, once its scenes are built: the clock, and what can be reached.

Kept apart from the loader's per-item checks: these look across scenes, and
each finding names the scene file and item to edit as (file, path, message).
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING, Any, Iterator, Mapping

from .model import Choice, Scene, Story, format_clock

if TYPE_CHECKING:
    from .yamlsrc import SourceFile

Finding = tuple["SourceFile", tuple[Any, ...], str]
"""A problem found: the file, the path of the value in it, the message."""


def came_from(story: Story, scene_id: str) -> list[str]:
    """The scenes a player can have left to arrive in `scene_id`: where its `goto: back` may return."""
    into = [sid for sid, s in story.scenes.items()
            if any(c.goto == scene_id and not c.goes_back and not c.stays for c in s.choices)]
    if any(e.goto == scene_id for e in story.events):  # an event can interrupt any scene that is not an ending
        into += [sid for sid, s in story.scenes.items() if s.ending is None and sid not in into]
    return into


def choice_targets(story: Story, scene: Scene, choice: Choice) -> list[str]:
    """Every scene a choice can lead to, before events: its `goto`, its own scene for a response,
    or, for `goto: back`, each scene the player can have come from."""
    if choice.goes_back:
        return came_from(story, scene.id)
    return [choice.goto]


def unreachable(story: Story, scene_at: Mapping[str, tuple[SourceFile, int]]) -> Iterator[Finding]:
    """Scenes no path from the start can reach (events count as paths): warnings."""
    # `goto: back` returns to a scene already visited, so it reaches nothing new.
    edges: dict[str, list[str]] = {sid: [c.goto for c in s.choices if not c.goes_back] for sid, s in story.scenes.items()}
    event_targets = [e.goto for e in story.events]
    seen = {story.start}
    queue = deque([story.start])
    events_added = False
    while queue:
        sid = queue.popleft()
        nexts = list(edges[sid])
        if not events_added and not story.scenes[sid].ending:
            nexts += event_targets  # events can fire after any choice
            events_added = True
        for nxt in nexts:
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    for sid, (src, i) in scene_at.items():
        if sid not in seen:
            yield src, ("scenes", i), f"scene '{sid}' cannot be reached from the start scene '{story.start}'"


def clock_problems(scenes: Mapping[str, Scene], scene_at: Mapping[str, tuple[SourceFile, int]],
                   clock_start: int, clock_end: int) -> Iterator[Finding]:
    """Times inside the story's span, and no choice that sends the clock backwards: errors."""
    for sid, s in scenes.items():
        src, i = scene_at[sid]
        if s.time is not None and not clock_start <= s.time <= clock_end:
            yield (src, ("scenes", i, "time"),
                   f"time is outside the story clock ({format_clock(clock_start)} to {format_clock(clock_end)})")
        if s.time is None:
            continue
        for j, c in enumerate(s.choices):
            if c.goes_back:  # a scene already visited: entering it never moves the clock back
                continue
            target = scenes.get(c.goto)
            if target is not None and target.time is not None and target.time < s.time:
                yield (src, ("scenes", i, "choices", j, "goto"),
                       f"the clock would run backwards: scene '{sid}' is at {format_clock(s.time)}, "
                       f"but '{c.goto}' sets it to {format_clock(target.time)}")
