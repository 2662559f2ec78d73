"""What the classroom commands share: finding the story and a save, writing output."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import ClassroomError
from ..locate import load_or_explain
from ..saves import default_save_dir
from ..story import Story


class CommandError(ClassroomError):
    """A problem to print as `tauride: ...` with exit status 1."""


def add_scenes_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scenes", metavar="DIR", help="story folder (default: the shipped story, or $TAURIDE_SCENES)")


def load(folder: str | None) -> Story:
    story = load_or_explain(folder)
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


def shared_mode() -> int:
    """The mode a new file gets under this user's umask (0644 under the usual 022).

    A written report or transcript is for handing on: a teacher copies it to a
    shared drive or reads it from another account, so it is not kept private
    (a temporary file, as `write_atomic` makes, is created 0600). Students'
    saves are not written here and keep their own mode."""
    import os

    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def emit(text: str, out: str | None) -> None:
    """Write to a file (atomically) or to standard output."""
    if out is None or out == "-":
        sys.stdout.write(text)
        return
    from ..saves import write_atomic

    try:
        write_atomic(Path(out), text)
        Path(out).chmod(shared_mode())
    except OSError as exc:
        raise CommandError(f"{out}: could not write ({exc.strerror or exc})") from None
    print(f"wrote {out}", file=sys.stderr)
