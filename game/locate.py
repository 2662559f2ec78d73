"""Where the shipped story lives, wherever Tauride was installed from."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .story import Story


def default_story_dir() -> Path:
    """`$TAURIDE_SCENES`, else `scenes/` beside the package (a checkout or editable install), else `./scenes`."""
    env = os.environ.get("TAURIDE_SCENES")
    if env:
        return Path(env)
    beside = Path(__file__).resolve().parent.parent / "scenes"
    if (beside / "story.yaml").exists():
        return beside
    return Path("scenes")


def load_or_explain(folder: str | None) -> "Story | None":
    """Load the story a command was pointed at (default: the shipped one).

    On errors, print every problem and where to look next, and return None:
    the one way every command meets a broken story.
    """
    import sys

    from .story import StoryError, load_story

    folder = folder or str(default_story_dir())
    try:
        return load_story(folder)
    except StoryError as err:
        print(err, file=sys.stderr)
        print(f"tauride: the story in '{folder}' has errors; run 'tauride validate {folder}' for the list", file=sys.stderr)
        return None
