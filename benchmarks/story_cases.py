"""Loading: validating a large generated story, and reloading the shipped one unchanged."""

from __future__ import annotations

import gc
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

import yaml

from game.story import StoryError
from game.story_cache import StoryCache
from game.story_folder import load_folder, story_files
from game.tools.generate import write_story

from .measure import ROOT, Row, interleaved_children

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


_FLOOR_PEAK = """
import sys
import yaml
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
for p in sys.argv[1:]:
    with open(p, "rb") as fh:
        yaml.load(fh, Loader=Loader)
"""
"""The floor of the memory row: `yaml.load` of each file in turn, as `plain_yaml_load` does."""

_TRACED_PEAK = """
import gc, json, sys, tracemalloc
from game.story_folder import load_folder
import game.story.loader, game.story.schema, yaml
gc.collect()
tracemalloc.start()
story = load_folder(sys.argv[1])
print(json.dumps([x / 2**20 for x in tracemalloc.get_traced_memory()]))
"""
"""A diagnostic beside the memory row: what the load itself allocates (Python objects only), after the imports."""


_PEAK = """
import runpy, sys
mode, what, *rest = sys.argv[1:]
try:
    if mode == "-m":
        sys.argv = [what, *rest]
        runpy.run_module(what, run_name="__main__", alter_sys=True)
    else:
        sys.argv = ["-c", *rest]
        exec(compile(what, "<floor>", "exec"), {"__name__": "__main__"})
except SystemExit as exc:
    code = exc.code
else:
    code = 0
with open("/proc/self/status") as fh:
    peak = next(line.split()[1] for line in fh if line.startswith("VmHWM:"))
print("peak-kib", peak, code, file=sys.__stderr__)
"""
"""Runs a module (`-m`) or code (`-c`) and reports the process's own peak (`VmHWM`) on its last line of stderr."""


def peak_rss(args: list[str], env: dict[str, str] | None = None) -> float:
    """Peak resident memory (MiB) of a fresh process running `args` (`-m module …` or `-c code …`) to its end.

    `VmHWM` of the process itself, read as it ends: the kernel's `ru_maxrss` of a child also
    counts what the parent had resident when it forked (carried over at exec), which made the
    floor look twice its size when run from this harness."""
    out = subprocess.run([sys.executable, "-c", _PEAK, *args], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True)
    last = out.stderr.strip().splitlines()[-1:] or [""]
    words = last[0].split()
    if len(words) != 3 or words[0] != "peak-kib" or words[2] not in ("0", "None"):
        raise RuntimeError(f"{' '.join(args[:2])[:80]} failed: {out.stderr.strip()[-400:]}")
    return int(words[1]) / 1024


def validate_memory_rows(scenes: int, repeat: int) -> list[Row]:
    """Peak memory of `tauride validate` on a generated story against `yaml.load` of the same files.

    Peak RSS of a fresh process, not tracemalloc: it is what the machine must have (a CI runner,
    a teacher's laptop), and it counts what tracemalloc does not see — libyaml's and pydantic-core's
    own allocations, and the imports validating cannot do without. Each `validate` sample gets an
    empty story cache, as after an edit: the validated story is written to it then. The traced
    peak of the load alone is printed beside it as a diagnostic.
    """
    folder = tempfile.mkdtemp(prefix="tauride-bench-")
    try:
        paths = write_story(folder, scenes)
        size = sum(os.path.getsize(p) for p in paths)
        floors, figures, no_cache = [], [], []
        for _ in range(repeat):
            floors.append(peak_rss(["-c", _FLOOR_PEAK, *paths]))
            with tempfile.TemporaryDirectory(prefix="tauride-cache-") as cache:
                env = dict(os.environ, TAURIDE_CACHE_DIR=cache)
                env.pop("TAURIDE_NO_CACHE", None)
                figures.append(peak_rss(["-m", "game", "validate", folder], env))
            no_cache.append(peak_rss(["-m", "game", "validate", folder],
                                     dict(os.environ, TAURIDE_NO_CACHE="1")))
        out = subprocess.run([sys.executable, "-c", _TRACED_PEAK, folder], cwd=ROOT, capture_output=True, text=True,
                             check=True, env=dict(os.environ, TAURIDE_NO_CACHE="1"))
        held, traced = json.loads(out.stdout.strip().splitlines()[-1])
        floor, figure = statistics.median(floors), statistics.median(figures)
        return [Row(f"validate peak memory, {scenes:,} scenes ({size / 1e6:.1f} MB), peak RSS", "yaml.load (CSafeLoader)",
                    floor, figure, "MiB", "≤ 3×", figure <= 3 * floor,
                    f"`tauride validate` with an empty story cache (it writes the entry); with the cache off "
                    f"{statistics.median(no_cache):.1f} MiB; the load alone, traced after its imports: peak "
                    f"{traced:.1f} MiB, the story it keeps {held:.1f} MiB")]
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
        # The setup imports what the load needs, as the floor's imports yaml: the model classes unpickling
        # needs are imported by the cache only when it unpickles (so a title drawn from the cache's title
        # record does not pay for them); importing them is start-up, which the pty start rows measure.
        cached = (_LOAD_SETUP + "\nimport game.story.model"
                  f"\nfrom game.story_cache import StoryCache\ncache = StoryCache({cache_dir!r})",
                  f"load_folder({folder!r}, cache)")
        floor, figure = interleaved_children((setup, _FLOOR), cached, repeat)
        return [Row(f"load {label} again, unchanged (cache)", "yaml.load of it", floor, figure, "ms", "≤ 0.1×",
                    figure <= 0.1 * floor)]
    finally:
        shutil.rmtree(cache_dir, ignore_errors=True)
