"""The play screen in a real pseudo-terminal: one frame per choice, and the autosave after it.

The game runs in a pty with its output read through a terminal emulator
(`pyte`), as a player's terminal would show it. A `sitecustomize` module put
first on the game's path marks every `os.fsync` in that output stream, so
the test sees, in the order the terminal got them, the frames and the
autosave's fsyncs.
"""

from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path

import pytest

pyte = pytest.importorskip("pyte")

from benchmarks.pty_term import Pty, game_env, game_frame, next_key, past_opening  # noqa: E402
from game import engine  # noqa: E402
from game.locate import default_story_dir  # noqa: E402
from game.story_folder import load_folder  # noqa: E402
from game.tui.screens.play import PlayScreen  # noqa: E402

pytestmark = pytest.mark.e2e

FSYNC_MARK = b"\x1b]2;tauride-fsync\x07"
"""Written to the terminal at each fsync (an escape that sets the window title: nothing is drawn)."""

SITECUSTOMIZE = f"""
import os
_fsync = os.fsync
def fsync(fd):
    os.write(1, {FSYNC_MARK!r})
    return _fsync(fd)
os.fsync = fsync
"""

AUTOSAVE_FSYNCS = 2
"""fsyncs per autosave: the file, then its folder (`saves.write_atomic`)."""

WAITING = "╭─ … "
"""The choices' border while they are locked: a frame showing it is a frame before the prompt."""


def _play(tmp_path: Path, keys: int) -> list[tuple[str, list[str]]]:
    """Play `keys` choices of the shipped story; for each, the screens seen up to its first fsync and after.

    Each screen is the emulated terminal after a chunk of output (or after the fsync mark).
    """
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(SITECUSTOMIZE)
    env = game_env(str(tmp_path))
    env["PYTHONPATH"] = f"{hook}{os.pathsep}{env['PYTHONPATH']}"
    story = load_folder(str(default_story_dir()))
    seed = 11
    state = engine.new_game(story, seed=seed)
    rng = random.Random(seed)
    out: list[tuple[str, list[str]]] = []
    argv = [sys.executable, "-m", "game", "play", "--scenes", str(default_story_dir()), "--seed", str(seed)]
    with Pty(argv, env) as term:
        past_opening(term, game_frame(story, state))
        for _ in range(keys):
            step = next_key(story, state, rng)
            assert step is not None
            key, state = step
            title = engine.scene_of(story, state).title
            term.press(key)
            screens: list[str] = []
            deadline = time.perf_counter() + 10
            marks = 0
            # An autosave is two fsyncs (the file, then its folder: `saves.write_atomic`). Both are read here,
            # so a late second one is never taken for the next choice's first (seen on a loaded machine).
            while time.perf_counter() < deadline and marks < AUTOSAVE_FSYNCS:
                try:
                    _, _, data = term.chunks.get(timeout=0.1)
                except Exception:
                    continue
                for i, piece in enumerate(data.split(FSYNC_MARK)):
                    if i:
                        marks += 1
                        screens.append("FSYNC")
                    term.stream.feed(piece)
                    screens.append(term.text)
            assert marks == AUTOSAVE_FSYNCS, f"{marks} fsyncs after choosing; the screen:\n{term.text}"
            out.append((title, screens))
            term.drain(0.3)
    return out


def test_one_frame_shows_the_scene_and_its_prompt_and_the_autosave_follows_it(tmp_path: Path) -> None:
    for title, screens in _play(tmp_path, 4):
        upto = screens[: screens.index("FSYNC")]
        # the new scene is on the screen, playable, before the autosave's first fsync
        assert title in upto[-1] and PlayScreen.PROMPT in upto[-1], upto[-1]
        # and no frame showed the new scene with its choices still waiting for a second refresh
        for screen in upto:
            assert not (title in screen and WAITING in screen), f"a frame without the prompt:\n{screen}"
