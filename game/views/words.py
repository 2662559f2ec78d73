"""Counting the words a reader meets: one counter for the classroom guide, the figures script and the tests.

A word is a run of letters or digits in any script (Cyrillic names count
as words), joined by apostrophes or hyphens (`Chkheidze's`, `left-wing`).
Template markup `{…}` is not read aloud, so it is dropped first; Markdown
punctuation is not a word.
"""

from __future__ import annotations

import re

from ..story.model import Scene, Story

_MARKUP = re.compile(r"\{[^{}\n]*\}")
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


def count_words(text: str | None) -> int:
    """Words a reader meets in story text."""
    return len(_WORD.findall(_MARKUP.sub(" ", text or "")))


def scene_words(scene: Scene) -> int:
    """Every word written for a scene, in all branches: its text, its choices and its ending's epilogue."""
    n = count_words(scene.text_source) + sum(count_words(c.text_source) for c in scene.choices)
    if scene.ending is not None:
        n += count_words(scene.ending.epilogue)
    return n


def story_words(story: Story) -> int:
    """Every word written for the story's scenes (see `scene_words`)."""
    return sum(scene_words(s) for s in story.scenes.values())


def scene_text_words(story: Story) -> int:
    """Words of the scene texts alone, without choices and epilogues."""
    return sum(count_words(s.text_source) for s in story.scenes.values())
