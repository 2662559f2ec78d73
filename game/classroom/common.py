"""What the classroom commands share: finding the story and a save, writing output."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import ClassroomError
from ..locate import add_chair_option, load_or_explain
from ..saves import default_save_dir
from ..story import Story


class CommandError(ClassroomError):
    """A problem to print as `tauride: ...` with exit status 1."""


def add_scenes_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scenes", metavar="DIR", help="story folder (default: the shipped story, or $TAURIDE_SCENES)")
    add_chair_option(parser)


def load(folder: str | None, chair: str | None = None) -> Story:
    story = load_or_explain(folder, chair)
    if story is None:
        raise CommandError("the story has errors (listed above)")
    return story


def find_save(arg: str) -> Path:
    """A save given as a path, or as a slot name in the default save folder."""
    path = Path(arg)
    if path.is_file():
        return path
    for candidate in (default_save_dir() / arg, default_save_dir() / f"{arg}.json"):
        if candidate.is_file():
            return candidate
    raise CommandError(f"there is no save '{arg}' (give the path of a save file, or a slot name in {default_save_dir()})")

