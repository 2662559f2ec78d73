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


def open_story(folder: str) -> "Story":
    """The story in `folder`, through the user's story cache: how every command loads a story.

    Raises StoryError with every problem found.
    """
    from .story_cache import StoryCache
    from .story_folder import load_folder

    return load_folder(folder, StoryCache.default())


def load_or_explain(folder: str | None) -> "Story | None":
    """Load the story a command was pointed at (default: the shipped one).

    On errors, print every problem and where to look next, and return None:
    the one way every command meets a broken story.
    """
    import sys

    from .story import StoryError

    folder = folder or str(default_story_dir())
    try:
        return open_story(folder)
    except StoryError as err:
        print(err, file=sys.stderr)
        print(f"tauride: the story in '{folder}' has errors; run 'tauride validate {folder}' for the list", file=sys.stderr)
        return None
