"""Where the shipped story lives, wherever Tauride was installed from."""

from __future__ import annotations

import argparse
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


def open_story(folder: str, chair: str | None = None) -> "Story":
    """The story in `folder` (its `chair`, for a folder of several), through the user's story cache:
    how every command loads a story.

    Raises StoryError with every problem found.
    """
    from .story_cache import StoryCache
    from .story_folder import load_folder

    return load_folder(folder, StoryCache.default(), chair=chair)


def load_or_explain(folder: str | None, chair: str | None = None) -> "Story | None":
    """Load the story a command was pointed at (default: the shipped one).

    On errors, print every problem and where to look next, and return None:
    the one way every command meets a broken story.
    """
    import sys

    from .story import StoryError

    folder = folder or str(default_story_dir())
    try:
        return open_story(folder, chair)
    except StoryError as err:
        print(err, file=sys.stderr)
        print(f"tauride: the story in '{folder}' has errors; run 'tauride validate {folder}' for the list", file=sys.stderr)
        return None


CHAIR_HELP = "the point of view, for a story of several chairs (the shipped story: committee or sailor)"
"""The help every command's --chair option shows."""


def add_chair_option(parser: "argparse.ArgumentParser") -> None:
    """`--chair NAME`: which chair of a story folder to load; every command takes it the same way."""
    parser.add_argument("--chair", metavar="NAME", help=CHAIR_HELP)
