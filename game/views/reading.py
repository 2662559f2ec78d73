"""Words a reader meets, and how long a class takes to read them aloud.

One count for every figure: the teacher's guide, the chapters' minutes and
`scripts/story_figures.py` all call `count_words`, so a number in the guide
and a number in the closing figures can be compared.
"""

from __future__ import annotations

import math
import re

READ_ALOUD_WPM = 150
"""A class reading aloud, one voice at a time, takes about 150 words a minute."""

_MARKUP = re.compile(r"\{[^{}\n]*\}")
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


def count_words(text: str) -> int:
    """Words a reader sees: template markers `{…}` and Markdown punctuation do not count."""
    return len(_WORD.findall(_MARKUP.sub(" ", text or "")))


def read_aloud_minutes(words: int) -> int:
    """Whole minutes, rounded up, for a class to read `words` aloud (at least 1 for any text)."""
    return math.ceil(words / READ_ALOUD_WPM) if words else 0
