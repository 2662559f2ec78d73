"""How the bad-input tests load a story: one place, so a change of the loader's entry points is one edit.

`load_dir` reads a folder as `tauride validate` does (never from the story
cache, so every load is checked afresh); `load_named` loads files' contents
handed over by name, as the fuzzers do, without writing them.
"""

from __future__ import annotations

import os
from pathlib import Path

from game.story import Story, load_story
from game.story_folder import load_folder, shown_name


def load_dir(folder: str | Path) -> Story:
    return load_folder(str(folder))


def load_named(folder: str, files: dict[str, bytes]) -> Story:
    """`files`: every file of the story by name (story.yaml, 16.yaml, …), shown under `folder` as a folder's would be."""
    return load_story({shown_name(os.path.join(folder, name)): data for name, data in files.items()},
                      folder=shown_name(folder))
