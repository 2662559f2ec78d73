"""End to end: a writer plays a new story with --debug and --watch in a real terminal,
breaks a scene file, sees the error in the game, fixes it and sees the change."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from test_e2e_tmux import READY, Terminal

from game.tools.new import scaffold

REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.e2e


def test_debug_panel_and_live_reload_in_a_terminal(tmp_path):
    if shutil.which("tmux") is None or shutil.which("tauride") is None:
        pytest.fail("the end-to-end tests need tmux and the installed tauride (pip install -e '.[test]')")
    story = tmp_path / "letters"
    scaffold(story, history=True)  # the history template: the line numbers below are its
    env = (f"env PYTHONPATH={REPO} TAURIDE_SAVE_DIR={tmp_path / 'saves'} TAURIDE_CONFIG_DIR={tmp_path / 'config'} "
           "TERM=xterm-256color")
    term = Terminal(f"{env} {shutil.which('tauride')} play --scenes {story} --seed 1 --debug --watch", 120, 40)
    try:
        term.wait_for("WRITER'S PANEL", "courage = 2 [0..5]  (default)", "✓ read_it → the_clerk_waits",
                      "A letter lies", "1. Read the letter", READY)
        term.keys("1")
        term.wait_for("The clerk is", "courage = 3 [0..5]", "selectable_if letter_read: yes")

        hour = story / "10-clerk.yaml"
        good = hour.read_text()
        hour.write_text(good.replace("goto: alone\n", "goto: alon\n", 1))
        # the message, and still the last good version's scene (waited for together: a loaded machine can
        # show the screen mid-redraw, the message drawn and the scene not yet)
        term.wait_for("The story does not load", "10-clerk.yaml:30:15:", "'alon'", "The clerk is")

        hour.write_text(good.replace('"Well?"', '"Well, then?"'))
        term.wait_for('"Well,', "then?", "courage = 3 [0..5]")
        deadline = time.monotonic() + 10
        while "does not load" in term.screen() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert "does not load" not in term.screen()

        term.keys("F2")
        term.wait_for("Jump to a scene", "(the_letter)")
        term.keys("Enter")
        term.wait_for("A letter lies", "scene the_letter")
    finally:
        term.close()
