"""Where the shipped story lives, wherever Tauride was installed from."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .story import Story, StoryError
    from .story_folder import PendingStory


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


def open_for_title(folder: str) -> "Story | PendingStory":
    """The story for a start on the title screen: its title to draw first and the load to run after the
    first frame (see `game.story_folder.TitleGlance`): the title from the story cache's record and the story
    unpickled, or the title from story.yaml and the story validated; the story itself when the cache holds
    it without a title record.

    A folder whose story.yaml cannot be glanced at is validated now, as `open_story` does.
    Raises StoryError with every problem found.
    """
    from .story_cache import StoryCache
    from .story_folder import PendingStory, from_cache, glance_title, load_folder, title_from_cache

    cache = StoryCache.default()
    if cache is not None:
        # Warm: the title from the cache's record, the story unpickled after the first frame (on the
        # same path as a cold start's validation); without a record, the story from the cache now.
        if (record := title_from_cache(folder, cache)) is not None:
            return PendingStory(record, lambda: load_folder(folder, cache))
        if (story := from_cache(folder, cache)) is not None:
            return story
    glance = glance_title(folder)
    if glance is None:
        return load_folder(folder, cache)
    return PendingStory(glance, lambda: load_folder(folder, cache))


def explain(folder: str, err: "StoryError") -> None:
    """Print every problem of a story that failed to load, and where to look next (on stderr)."""
    import sys

    from .story.problems import NoSuchChair

    if isinstance(err, NoSuchChair):  # the command asked wrongly; the story's files are fine
        print(f"tauride: --chair {err.chair}: {err.reason}", file=sys.stderr)
        return
    print(err, file=sys.stderr)
    print(f"tauride: the story in '{folder}' has errors; run 'tauride validate {folder}' for the list", file=sys.stderr)


def load_or_explain(folder: str | None, chair: str | None = None) -> "Story | None":
    """Load the story a command was pointed at (default: the shipped one).

    On errors, print every problem and where to look next, and return None:
    the one way every command meets a broken story.
    """
    from .story import StoryError

    folder = folder or str(default_story_dir())
    try:
        return open_story(folder, chair)
    except StoryError as err:
        explain(folder, err)
        return None


CHAIR_HELP = "the point of view, for a story of several chairs (the shipped story: committee or sailor)"
"""The help every command's --chair option shows."""


def add_chair_option(parser: "argparse.ArgumentParser") -> None:
    """`--chair NAME`: which chair of a story folder to load; every command takes it the same way."""
    parser.add_argument("--chair", metavar="NAME", help=CHAIR_HELP)
