"""A story folder on disk, read into the pure loader: the I/O edge of `game.story`.

`load_story` (in `game.story`) takes file contents and reads nothing. This
module does the reading every shell needs: it lists a folder's YAML files,
reads their bytes (capped, so a huge file is refused, not parsed), names
them as problems should show them (relative to the working folder when
inside it), and asks the story cache the shell passed in before validating.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from .story.problems import Problem, StoryError
from .story.schema_light import MAX_FILE_BYTES

if TYPE_CHECKING:
    from .story.model import Story
    from .story_cache import StoryCache

MANIFEST = "story.yaml"
"""The one file every story folder has (the loader reads it first)."""


def story_files(folder: str) -> list[str]:
    """The YAML files of a story folder, story.yaml first, the rest by name."""
    names = sorted(n for n in os.listdir(folder) if n.endswith((".yaml", ".yml")) and not n.startswith("."))
    if MANIFEST in names:
        names.remove(MANIFEST)
        names.insert(0, MANIFEST)
    return [os.path.join(folder, n) for n in names]


def shown_name(path: str) -> str:
    """How a file is named in problems: relative to the working folder when inside it, else as given."""
    rel = os.path.relpath(path)
    return rel if not rel.startswith("..") else path


def read_capped(path: str) -> bytes:
    """A file's bytes, at most MAX_FILE_BYTES + 1 of them (one more than allowed tells "too large").

    Asking the OS for `MAX_FILE_BYTES + 1` bytes up front would allocate
    (and fault in) an 8 MiB buffer per file and shrink it after: on a
    cached start that was a quarter of its time. The file's size comes first;
    a file that grew since is read on to the cap.
    """
    fd = os.open(path, os.O_RDONLY)
    try:
        size = os.fstat(fd).st_size
        data = os.read(fd, min(size, MAX_FILE_BYTES) + 1)
        while len(data) <= MAX_FILE_BYTES:
            more = os.read(fd, MAX_FILE_BYTES + 1 - len(data))
            if not more:
                break
            data += more
        return data
    finally:
        os.close(fd)


def read_story_files(folder: str) -> tuple[dict[str, bytes], list[Problem]]:
    """Every story file's bytes by shown name, and a problem for each file that could not be read.

    Raises StoryError when the folder itself is missing or unreadable.
    """
    try:
        paths = story_files(folder)
    except OSError:
        raise StoryError([Problem(folder, 0, 0, "no such story folder")]) from None
    files: dict[str, bytes] = {}
    unread: list[Problem] = []
    for path in paths:
        name = shown_name(path)
        try:
            files[name] = read_capped(path)
        except OSError as exc:
            unread.append(Problem(name, 0, 0, f"cannot read the file: {exc.strerror or exc}"))
    return files, unread


def load_folder(folder: str, cache: StoryCache | None = None) -> Story:
    """Read, validate and return the story in `folder`; raises StoryError with every problem found.

    With a `cache` (a shell's `StoryCache`), an unchanged story comes from it:
    first by the files' stats (nothing read), then by their bytes; a
    validated miss is stored for next time. Without one, the files are
    always validated.
    """
    by_stat: tuple[str, bool] | None = None
    if cache is not None and os.path.isdir(folder):
        try:
            paths = story_files(folder)
        except OSError:
            paths = []
        from .story_cache import stat_key, story_key

        by_stat = stat_key((p, shown_name(p)) for p in paths) if paths else None
        if by_stat is not None and (cached := cache.fetch_by_stat(by_stat[0])) is not None:
            return cached
    files, unread = read_story_files(folder)
    key = None
    if cache is not None and not unread and files:
        key = story_key(files)
        cached = cache.fetch(key)
        if cached is not None:
            if by_stat is not None and by_stat[1]:
                cache.remember_stat(by_stat[0], key)
            return cached
    from .story.loader import load_story  # only now: a start from the cache never imports the validator

    try:
        story = load_story(files, folder=shown_name(folder))
    except StoryError as err:
        raise StoryError(unread + list(err.problems)) from None
    if unread:
        raise StoryError(unread + list(story.warnings))
    if cache is not None and key is not None:
        cache.store(key, story)
        if by_stat is not None and by_stat[1]:
            cache.remember_stat(by_stat[0], key)
    return story
