"""`load_story`: a story folder in, a validated `Story` out, from the story cache when unchanged.

This module is the light front door of the package. Starting the game on an
unchanged story reads the files' bytes, finds the validated story in the cache
(`cache.py`) and never imports the YAML reader, the validator or the
expression compiler (`loader.py`, `expr.py`): that is most of the package's
import time, and it would be paid before the first frame.
"""

from __future__ import annotations

import os

from . import cache as _cache
from .model import Story
from .schema_light import MAX_FILE_BYTES, read_capped

MANIFEST = "story.yaml"
"""The one file every story folder has: title, variables, start, hours."""


def story_files(folder: str) -> list[str]:
    """The YAML files of a story folder, story.yaml first, the rest by name."""
    names = sorted(n for n in os.listdir(folder) if n.endswith((".yaml", ".yml")) and not n.startswith("."))
    if MANIFEST in names:
        names.remove(MANIFEST)
        names.insert(0, MANIFEST)
    return [os.path.join(folder, n) for n in names]


def load_story(folder: str, *, cache: bool | None = None) -> Story:
    """Load and validate a story folder; raises StoryError with every problem found.

    An unchanged story loads from the story cache (see `cache.py`); pass
    `cache=False`, or set TAURIDE_NO_CACHE=1, to always read the files.
    """
    key = None
    contents: dict[str, bytes] = {}
    by_stat: tuple[str, bool] | None = None
    if _cache.enabled(cache) and os.path.isdir(folder):
        reload = lambda: load_story(folder, cache=False)  # noqa: E731
        # Positions in the story name files as the loader's `_display` does, relative to the working
        # folder: the keys hold that folder and the paths as found, which fix those names.
        where = os.getcwd() + "\0" + folder
        try:
            paths = story_files(folder)
        except OSError:
            paths = []
        # First by the files' stats (nothing read: see `cache.stat_key`), then by their bytes.
        by_stat = _cache.stat_key(where, paths) if paths else None
        if by_stat is not None:
            cached = _cache.fetch_by_stat(by_stat[0], reload=reload)
            if cached is not None:
                return cached
        key, contents = _cache_key(where, paths)
        if key is not None:
            cached = _cache.fetch(key, reload=reload)
            if cached is not None:
                if by_stat is not None and by_stat[1]:
                    _cache.remember_stat(by_stat[0], key)
                return cached
    from .loader import load_files  # only now: see the module's docstring

    story = load_files(folder, contents)
    if key is not None:
        _cache.store(key, story)
        if by_stat is not None and by_stat[1]:
            _cache.remember_stat(by_stat[0], key)
    return story


def _cache_key(where: str, paths: list[str]) -> tuple[str | None, dict[str, bytes]]:
    """Read every file of the story once; the key covers their names and bytes."""
    contents: dict[str, bytes] = {}
    try:
        for path in paths:
            contents[path] = read_capped(path)
    except OSError:
        return None, {}  # the normal load reports it, with the file's name
    if not contents or any(len(data) > MAX_FILE_BYTES for data in contents.values()):
        return None, {}
    return _cache.story_key(where, contents.items()), contents
