"""Words a reader meets, and how long a class takes to read them aloud.

One count for every figure: the teacher's guide, the chapters' minutes and
`scripts/story_figures.py` all call `count_words`, so a number in the guide
and a number in the closing figures can be compared.
"""

from __future__ import annotations

import math
import re

from ..story.model import Scene, Story

READ_ALOUD_WPM = 150
"""A class reading aloud, one voice at a time, takes about 150 words a minute."""

_MARKUP = re.compile(r"\{[^{}\n]*\}")
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


def count_words(text: str | None) -> int:
    """Words a reader sees: template markers `{…}` and Markdown punctuation do not count.

    A word is a run of letters or digits in any script (Cyrillic names count
    as words), joined by apostrophes or hyphens (`Chkheidze's`, `left-wing`).
    """
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


def read_aloud_minutes(words: int) -> int:
    """Whole minutes, rounded up, for a class to read `words` aloud (at least 1 for any text)."""
    return math.ceil(words / READ_ALOUD_WPM) if words else 0
