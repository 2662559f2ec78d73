"""An engine step touches no file: not on a fresh story, not on one restored from the cache.

Run in a fresh interpreter, so that nothing another test imported hides a
module the engine would import (and so read) on its first step. Every
file-system audit event raised while the steps run is a failure.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

_PROGRAM = r"""
import sys
from game.engine import scene_text
from game.tools.walker import walk_states
from game.story_cache import StoryCache
from game.story_folder import load_folder

story = load_folder(sys.argv[1], StoryCache(sys.argv[2]))
if sys.argv[3] == "cached":
    assert "game.story.loader" not in sys.modules, "the story did not come from the cache"
touched = []
FILE_EVENTS = ("open", "os.listdir", "os.scandir", "os.stat", "os.lstat", "import", "os.remove", "os.rename",
               "os.mkdir", "shutil.copyfile", "glob.glob", "pathlib.Path.glob", "os.chmod", "os.utime")
def hook(event, args):
    if event in FILE_EVENTS:
        touched.append((event, str(args[:1])))
sys.addaudithook(hook)
steps = 0
for seed in range(30):
    for state in walk_states(story, seed):  # new_game, available_ids and choose, as a player's keys call them
        scene_text(story, state)
        steps += 1
print(steps, len(touched), touched[:5])
"""


def _run(how: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", _PROGRAM, str(REPO / "scenes"), str(tmp_path / "cache"), how],
                         capture_output=True, text=True, cwd=REPO, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
                         timeout=120)


@pytest.mark.parametrize("how", ["fresh", "cached"])
def test_engine_steps_make_no_file_system_call(how: str, tmp_path: Path) -> None:
    out = _run("fresh", tmp_path)  # validates the files and fills the cache
    if how == "cached":
        out = _run("cached", tmp_path)  # a new process: the story comes from the cache, nothing else imported
    assert out.returncode == 0, out.stderr
    steps, touched, first = out.stdout.split(" ", 2)
    assert int(steps) > 100
    assert (touched, first.strip()) == ("0", "[]")
