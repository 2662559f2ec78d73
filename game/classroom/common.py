"""What the classroom commands share: finding the story and a save, writing output."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import ClassroomError
from ..locate import add_chair_option
from ..saves import default_save_dir
from ..story import Story, StoryError


class CommandError(ClassroomError):
    """A problem to print as `tauride: ...` with exit status 1."""


def add_scenes_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scenes", metavar="DIR", help="story folder (default: the shipped story, or $TAURIDE_SCENES)")
    add_chair_option(parser)


def load(folder: str | None, chair: str | None = None) -> Story:
    from ..locate import default_story_dir, explain, open_story
    from ..story.problems import NoSuchChair

    folder = folder or str(default_story_dir())
    try:
        return open_story(folder, chair)
    except NoSuchChair as err:  # the command asked wrongly: one line, no "the story has errors"
        raise CommandError(f"--chair {err.chair}: {err.reason}") from None
    except StoryError as err:
        explain(folder, err)  # every problem, and where to look next
        raise CommandError("the story has errors (listed above)") from None


def find_save(arg: str) -> Path:
    """A save given as a path, or as a slot name in the default save folder."""
    path = Path(arg)
    if path.is_file():
        return path
    for candidate in (default_save_dir() / arg, default_save_dir() / f"{arg}.json"):
        if candidate.is_file():
            return candidate
    raise CommandError(f"there is no save '{arg}' (give the path of a save file, or a slot name in {default_save_dir()})")

