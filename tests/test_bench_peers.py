"""`python -m benchmarks --peers`: the ink twin of the generated story, and the line when Node is missing.

These test the benchmark harness itself, so they import it (`benchmarks/`); the game's own tests
import from it only the pty harness (`benchmarks.pty_term`), the one home of what a terminal row
waits for, so a test and the row it backs cannot drift apart.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from benchmarks.peers import write_ink
from game.story_folder import load_folder
from game.tools.generate import CHAPTER, write_story

REPO = Path(__file__).resolve().parent.parent


def test_the_ink_twin_has_a_knot_per_scene_and_the_same_choices(tmp_path: Path) -> None:
    write_story(str(tmp_path / "story"), 200)
    story = load_folder(str(tmp_path / "story"))
    write_ink(str(tmp_path / "story.ink"), 200)
    ink = (tmp_path / "story.ink").read_text(encoding="utf-8")
    knots = set(re.findall(r"^=== (\w+) ===$", ink, re.M))
    assert knots == set(story.scenes)  # the event's scene included
    for sid, scene in story.scenes.items():
        body = ink.split(f"=== {sid} ===\n", 1)[1].split("\n=== ", 1)[0]
        targets = re.findall(r"-> go\(-> (\w+)\)", body)
        assert targets == [c.goto for c in scene.choices], sid
        assert ("-> END" in body) == (scene.ending is not None), sid
    assert len(story.scenes) == 200 // CHAPTER * CHAPTER + 1


def test_without_node_the_peers_run_says_so_in_one_line_and_succeeds(tmp_path: Path) -> None:
    env = dict(os.environ, PATH=str(tmp_path), XDG_CACHE_HOME=str(tmp_path / "cache"))  # no node, no npm
    out = subprocess.run([sys.executable, "-m", "benchmarks", "--peers", "--quick"], cwd=REPO, env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "peers: skipped — Node.js is not on PATH."
