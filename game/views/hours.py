"""Which hour a state stands in: the one rule every shell uses for an hour's heading and prompts.

A scene belongs to the hour (scene file) it is written in, with one
exception: an ending. Endings are written together in the last hour's file
but are reached from many hours (an event at 18:00 can end the game, and so
can a choice before 2 a.m.). An ending belongs to the hour of the scene the
player came from: the ending is the outcome of that hour's choice, and its
label and discussion prompts must be that hour's, not dawn's. (The story
clock alone cannot say it: hours are files, not fixed spans of the clock,
and an event may move the clock past an hour's end.)
"""

from __future__ import annotations

from ..engine import State
from ..story.model import Hour, Story


def hour_of_step(story: Story, scene_id: str, came_from: str | None) -> Hour | None:
    """The hour of `scene_id` entered from `came_from` (None at the start of a game)."""
    if story.scenes[scene_id].ending is not None and came_from is not None and came_from in story.scenes:
        return story.hour_of(came_from)
    return story.hour_of(scene_id)


def hour_now(story: Story, state: State) -> Hour | None:
    """The hour `state` stands in: its scene's hour, or for an ending the hour it was reached from."""
    return hour_of_step(story, state.scene, state.log[-1].scene if state.log else None)
