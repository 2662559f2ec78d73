"""An ending of *July Days* is shown under the hour in which it happens.

A scene belongs to the hour of the file it is written in: the player sees
that hour's title above it and the class gets that hour's prompts after it.
An ending written in the dawn file but reached at seven in the evening would
be labelled "Four o'clock — dawn" and followed by the dawn prompts. The rule
held here: a choice that ends the story leads to an ending in its own hour
or the next one.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from game.story.model import Hour, Story
from game.story_folder import load_folder

SCENES = Path(__file__).resolve().parent.parent / "scenes"


@pytest.fixture(scope="module")
def story() -> Story:
    return load_folder(str(SCENES))


def _hour_rank(story: Story) -> dict[str, int]:
    """Scene id -> position of its hour in clock order (files after midnight sort after 22:00 by story minutes)."""
    def first_time(hour: Hour) -> int:
        return min(t for t in (story.scenes[s].time for s in hour.scenes) if t is not None)
    order = sorted(story.hours, key=first_time)
    return {scene: i for i, hour in enumerate(order) for scene in hour.scenes}


def test_a_choice_that_ends_the_story_ends_it_in_its_own_hour_or_the_next(story: Story) -> None:
    rank = _hour_rank(story)
    late = sorted(
        f"{scene.id}.{choice.id} -> {choice.goto} (file {story.scenes[choice.goto].hour})"
        for scene in story.scenes.values() for choice in scene.choices
        if story.scenes[choice.goto].ending is not None and rank[choice.goto] > rank[scene.id] + 1)
    assert late == []
