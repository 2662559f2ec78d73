"""End to end, in a real terminal: a writer saves a scene file with a 5,000-digit number during
`tauride play --watch`; the game shows the problem and plays on (before: the reload raised and the
game ended)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_e2e_tmux import READY, Terminal

from game.tools.new import scaffold

REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.e2e


def test_a_huge_number_saved_during_watch_is_shown_and_the_game_plays_on(tmp_path):
    if shutil.which("tmux") is None or shutil.which("tauride") is None:
        pytest.fail("the end-to-end tests need tmux and the installed tauride (pip install -e '.[test]')")
    story = tmp_path / "letters"
    scaffold(story)
    env = (f"env PYTHONPATH={REPO} TAURIDE_SAVE_DIR={tmp_path / 'saves'} TAURIDE_CONFIG_DIR={tmp_path / 'config'} "
           "TAURIDE_NO_CACHE=1 TERM=xterm-256color")
    term = Terminal(f"{env} {shutil.which('tauride')} play --scenes {story} --seed 1 --watch", 120, 40)
    try:
        term.wait_for("A letter lies", "1. Read the letter", READY)
        hour = story / "10-clerk.yaml"
        lines = hour.read_text().count("\n")
        hour.write_text(hour.read_text() + "extra: " + "9" * 5000 + "\n")
        screen = term.wait_for("The story does not load", f"10-clerk.yaml:{lines + 1}:8: a number of 5,000",
                               timeout=30)
        assert "A letter lies" in screen and "Traceback" not in screen
        term.keys("1")
        term.wait_for("The clerk is")
        assert term.alive()
    finally:
        term.close()
