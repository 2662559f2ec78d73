"""The authoring tutorial, followed word for word: every file it shows is
written where it says, every command it shows is run with a real shell, and
the output it shows must appear. Then the finished story is played."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from pathlib import Path

from game import engine
from game.story_folder import load_folder
from game.tools.walker import random_walk

REPO = Path(__file__).resolve().parent.parent
GUIDE = REPO / "docs" / "authoring.md"
_FENCE = re.compile(r"^```(\w*)\n(.*?)^```\n", re.MULTILINE | re.DOTALL)


def tutorial_steps(heading: str = "## Tutorial") -> list[tuple[str, str, str]]:
    """(kind, target, body) for each block of a section: ('file', path, text) or ('console', '', text)."""
    text = GUIDE.read_text(encoding="utf-8")
    start = text.index(heading)
    section = text[start:text.index("\n## ", start + 1)]
    steps = []
    for m in _FENCE.finditer(section):
        lang, body = m.group(1), m.group(2)
        if lang == "yaml":
            before = section[:m.start()].rstrip().splitlines()[-1]
            names = re.findall(r"`([^`]+\.yaml)`", before)
            assert names and before.endswith(":"), f"a YAML block must follow a line naming its file: {before!r}"
            steps.append(("file", names[-1], body))
        elif lang == "console":
            steps.append(("console", "", body))
    return steps


def run_console(block: str, cwd: Path, env: dict[str, str]) -> None:
    """Run each `$ command` and check that the lines shown after it appear in what it printed."""
    chunks = re.split(r"^\$ ", block, flags=re.MULTILINE)[1:]
    for chunk in chunks:
        command, *expected = chunk.splitlines()
        done = subprocess.run(["bash", "-c", command], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
        out = done.stdout + done.stderr
        assert done.returncode == 0, f"$ {command}\n{out}"
        for line in expected:
            if line.strip() and "…" not in line:
                assert line.strip() in out, f"$ {command}: expected {line.strip()!r} in:\n{out}"


def _shell_env(tmp_path: Path) -> dict[str, str]:
    """`tauride` on PATH runs this checkout, whatever is installed."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "tauride"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m game "$@"\n')
    shim.chmod(shim.stat().st_mode | stat.S_IEXEC)
    return dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}", PYTHONPATH=str(REPO),
                TAURIDE_SAVE_DIR=str(tmp_path / "saves"))


def test_tutorial_as_written(tmp_path):
    env = _shell_env(tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    steps = tutorial_steps()
    assert sum(1 for kind, _, _ in steps if kind == "file") >= 5
    assert sum(1 for kind, _, _ in steps if kind == "console") >= 4
    for kind, target, body in steps:
        if kind == "file":
            path = work / target
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(body, encoding="utf-8")
        else:
            run_console(body, work, env)

    # The result: three scenes, valid, clean under the walker, and playable to its ending.
    folder = work / "the-wire"
    assert (folder / "schema.json").exists()
    story = load_folder(str(folder))
    assert len(story.scenes) == 3 and [s.id for s in story.endings] == ["sailors"]
    assert not random_walk(story, 200).findings
    state = engine.new_game(story, seed=1)
    for cid in ("read_aloud", "tell_the_hall"):
        state = engine.choose(story, state, cid)
    assert engine.is_ending(story, state) and state.vars["resolve"] == 2


def test_patterns_as_written(tmp_path):
    """The patterns section: its story is the test suite's second story, word for word, and its commands pass."""
    env = _shell_env(tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    steps = tutorial_steps("## Patterns")
    files = [(target, body) for kind, target, body in steps if kind == "file"]
    assert [t for t, _ in files] == ["night-ferry/story.yaml", "night-ferry/crossing.yaml"]
    for target, body in files:
        assert body == (REPO / "tests" / "stories" / target).read_text(encoding="utf-8"), target
        path = work / target
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body, encoding="utf-8")
    for kind, _, body in steps:
        if kind == "console":
            run_console(body, work, env)
    # the plain-mode excerpt it shows is what the game prints when the coat is searched first, as it says
    text = GUIDE.read_text(encoding="utf-8")
    section = text[text.index("## Patterns"):text.index("\n## ", text.index("## Patterns") + 1)]
    excerpt = [m.group(2) for m in _FENCE.finditer(section) if m.group(1) == ""][-1]
    assert "`tauride play --plain --scenes night-ferry`" in section and "searching the\ncoat" in section
    deck = subprocess.run(["bash", "-c", "tauride play --plain --scenes night-ferry"], cwd=work, env=env,
                          input="3\n", capture_output=True, text=True, timeout=120)
    assert "3. Search your coat" in deck.stdout and excerpt in deck.stdout, deck.stdout + deck.stderr
