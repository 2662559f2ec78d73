"""Loading: validating a large generated story, and reloading the shipped one unchanged."""

from __future__ import annotations

import gc
import os
import shutil
import statistics
import tempfile

import yaml

from game.story import StoryError
from game.story_cache import StoryCache
from game.story_folder import load_folder, story_files
from game.tools.generate import write_story

from .measure import Row, interleaved_children

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def plain_yaml_load(paths: list[str]) -> None:
    """The floor: PyYAML's C loader on the same files, as a program would call it."""
    for p in paths:
        with open(p, "rb") as fh:
            yaml.load(fh, Loader=_Loader)


def plain_yaml_load_gc_off(paths: list[str]) -> None:
    was = gc.isenabled()
    gc.disable()
    try:
        plain_yaml_load(paths)
    finally:
        if was:
            gc.enable()


_FLOOR_SETUP = """
import gc
import yaml
paths = {paths!r}
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""
_FLOOR = """
for p in paths:
    with open(p, "rb") as fh:
        yaml.load(fh, Loader=Loader)
"""
_FLOOR_GC_OFF = "gc.disable()\n" + _FLOOR
_LOAD_SETUP = "from game.story_folder import load_folder"
_LOAD = "load_folder({folder!r})"


def validate_rows(scenes: int, repeat: int) -> list[Row]:
    folder = tempfile.mkdtemp(prefix="tauride-bench-")
    try:
        paths = write_story(folder, scenes)
        size = sum(os.path.getsize(p) for p in paths)
        story = load_folder(folder)  # also proves the generated story is valid
        what = f"validate a generated {len(story.scenes):,}-scene story ({size / 1e6:.1f} MB), positions kept"
        setup = _FLOOR_SETUP.format(paths=paths)
        load = (_LOAD_SETUP, _LOAD.format(folder=folder))
        floor, figure = interleaved_children((setup, _FLOOR), load, repeat)
        floor_off, figure2 = interleaved_children((setup, _FLOOR_GC_OFF), load, repeat)
        figure = statistics.median([figure, figure2])
        return [
            Row(what, "yaml.load (CSafeLoader)", floor, figure, "ms", "≤ 1.0×", figure <= floor),
            Row("  the same, against yaml.load with GC off", "yaml.load, gc.disable()", floor_off, figure, "ms",
                "(reference)", None),
        ]
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def shipped_or_generated(shipped: str, work: str) -> tuple[str, str]:
    """The shipped story if it loads; else a generated 120-scene one (before scenes/ lands)."""
    try:
        load_folder(shipped)
        return shipped, "the shipped story"
    except StoryError:
        folder = os.path.join(work, "stand-in")
        write_story(folder, 120)
        return folder, "a generated 120-scene stand-in (shipped story not loadable yet)"


def cache_rows(folder: str, label: str, repeat: int) -> list[Row]:
    paths = story_files(folder)
    cache_dir = tempfile.mkdtemp(prefix="tauride-cache-")
    try:
        load_folder(folder, StoryCache(cache_dir))  # fills the cache
        # As a player starts the game again: the first load in a fresh process.
        setup = _FLOOR_SETUP.format(paths=paths)
        cached = (_LOAD_SETUP + f"\nfrom game.story_cache import StoryCache\ncache = StoryCache({cache_dir!r})",
                  f"load_folder({folder!r}, cache)")
        floor, figure = interleaved_children((setup, _FLOOR), cached, repeat)
        return [Row(f"load {label} again, unchanged (cache)", "yaml.load of it", floor, figure, "ms", "≤ 0.1×",
                    figure <= 0.1 * floor)]
    finally:
        shutil.rmtree(cache_dir, ignore_errors=True)
