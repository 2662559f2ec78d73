"""Plain mode asks a person at the keyboard which chair to play; piped input is never asked."""

from __future__ import annotations

import io
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

from game.plain_chair import ask_chair
from game.story.model import Chair

REPO = Path(__file__).resolve().parent.parent
CHAIRS = (Chair("committee", "On the Executive Committee"), Chair("sailor", "A Kronstadt sailor"))


def test_the_question_numbers_the_chairs_and_takes_a_number() -> None:
    out = io.StringIO()
    assert ask_chair(CHAIRS, io.StringIO("2\n"), out) == "sailor"
    assert "  1. On the Executive Committee\n  2. A Kronstadt sailor\n" in out.getvalue()


def test_enter_takes_the_first_and_a_wrong_answer_is_asked_again() -> None:
    assert ask_chair(CHAIRS, io.StringIO("\n"), io.StringIO()) == "committee"
    out = io.StringIO()
    assert ask_chair(CHAIRS, io.StringIO("3\nsailor\n２\n2\n"), out) == "committee"  # three tries, then the first
    assert out.getvalue().count("Type a number from 1 to 2.") == 3 and "Playing the first chair" in out.getvalue()
    assert ask_chair(CHAIRS, io.StringIO(""), io.StringIO()) is None  # the input ended: nothing starts


def _read_until(fd: int, needle: str, seconds: float = 60.0) -> str:
    seen = b""
    end = time.monotonic() + seconds
    while needle.encode() not in seen:
        left = end - time.monotonic()
        if left <= 0:
            raise AssertionError(f"never saw {needle!r} in:\n{seen.decode(errors='replace')[-2000:]}")
        if select.select([fd], [], [], left)[0]:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    return seen.decode(errors="replace")


def test_in_a_terminal_tauride_play_plain_asks_and_plays_the_chair_picked(tmp_path: Path) -> None:
    leader, follower = pty.openpty()
    env = {**os.environ, "TAURIDE_SAVE_DIR": str(tmp_path), "TAURIDE_NO_CACHE": "1", "TERM": "dumb"}
    proc = subprocess.Popen([sys.executable, "-m", "game", "play", "--plain", "--seed", "1"], cwd=REPO, env=env,
                            stdin=follower, stdout=follower, stderr=follower, close_fds=True)
    os.close(follower)
    try:
        _read_until(leader, "Which chair? (1-2, Enter for 1)")
        os.write(leader, b"2\n")
        shown = _read_until(leader, "> ")
        assert "Anchor Square" in shown
        os.write(leader, b"quit\n")
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(leader)


def test_piped_input_is_not_asked_and_plays_the_folders_own_chair(tmp_path: Path) -> None:
    env = {**os.environ, "TAURIDE_SAVE_DIR": str(tmp_path), "TAURIDE_NO_CACHE": "1"}
    done = subprocess.run([sys.executable, "-m", "game", "play", "--plain", "--seed", "1"], cwd=REPO, env=env,
                          input="quit\n", capture_output=True, text=True, timeout=60)
    assert "Which chair?" not in done.stdout and "Anchor Square" not in done.stdout


def test_load_in_plain_mode_opens_a_save_of_the_other_chair_in_its_chair(tmp_path: Path) -> None:
    from game import engine
    from game.saves import SaveStore
    from game.story_folder import load_folder

    sailor = load_folder(str(REPO / "scenes"), chair="sailor")
    state = engine.new_game(sailor, seed=5)
    state = engine.choose(sailor, state, next(c.id for c in engine.choices(sailor, state) if c.enabled))
    SaveStore(tmp_path).write("on the barge", sailor, state, {})
    env = {**os.environ, "TAURIDE_SAVE_DIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "game", "play", "--plain", "--seed", "1"], cwd=REPO, env=env,
                          input="load on the barge\nquit\n", capture_output=True, text=True, timeout=60)
    out = done.stdout
    assert "belongs to the story" not in out
    assert "That game was played in another chair: A Kronstadt sailor. Playing it there." in out
    assert "Loaded 'on the barge'." in out and sailor.scenes[state.scene].title in out.split("Loaded")[1]
