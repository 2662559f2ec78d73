"""End to end: the installed `tauride` in a real terminal (tmux), driven by keys only.

Starts the console script on a story this test writes, waits for each
screen by polling what tmux shows, presses keys as a player would, and
checks the saves that land on disk.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from wire_story import FILES

REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.e2e

READY = "What do you do?"
"""The choices' frame shows this only once they take input (the play screen's cue)."""


class Terminal:
    """One tmux server with one window running a command."""

    def __init__(self, command: str, width: int = 100, height: int = 30):
        self.socket = f"tauride-e2e-{uuid.uuid4().hex[:10]}"
        self.run("new-session", "-d", "-s", "game", "-x", str(width), "-y", str(height), command)

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["tmux", "-L", self.socket, "-f", "/dev/null", *args],
                              capture_output=True, text=True, timeout=20)

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", "game").stdout

    def keys(self, *keys: str) -> None:
        for key in keys:
            self.run("send-keys", "-t", "game", key)
            # a key straight after Escape would read as Alt+key: let the Escape stand alone
            time.sleep(0.5 if key == "Escape" else 0.15)

    def type(self, text: str) -> None:
        self.run("send-keys", "-t", "game", "-l", text)

    def wait_for(self, *texts: str, timeout: float = 20.0) -> str:
        """Poll the screen until every text is on it; fail with the last screen if not."""
        deadline = time.monotonic() + timeout
        shown = ""
        while time.monotonic() < deadline:
            shown = self.screen()
            if all(t in shown for t in texts):
                return shown
            time.sleep(0.1)
        raise AssertionError(f"waited {timeout}s for {texts!r}; the screen shows:\n{shown}")

    def alive(self) -> bool:
        return self.run("has-session", "-t", "game").returncode == 0

    def close(self) -> None:
        self.run("kill-server")


@pytest.fixture
def story_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "story"
    folder.mkdir()
    for name, text in FILES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def terminal_for(tmp_path: Path):
    if shutil.which("tmux") is None or shutil.which("tauride") is None:
        pytest.fail("the end-to-end tests need tmux and the installed tauride (pip install -e '.[test]')")
    opened: list[Terminal] = []

    def open_(story: Path, saves: Path, *extra: str) -> Terminal:
        env = (f"env PYTHONPATH={REPO} TAURIDE_SAVE_DIR={saves} TAURIDE_CONFIG_DIR={tmp_path / 'config'} "
               "TERM=xterm-256color")
        term = Terminal(f"{env} {shutil.which('tauride')} play --scenes {story} {' '.join(extra)}")
        opened.append(term)
        return term

    yield open_
    for term in opened:
        term.close()


def test_play_a_story_by_keyboard_and_find_the_saves_on_disk(story_dir, terminal_for, tmp_path):
    saves = tmp_path / "saves"
    term = terminal_for(story_dir, saves)
    term.wait_for("The Wire", "New game", "Continue")
    term.keys("n")
    screen = term.wait_for("16:00", "Tauride Palace", "Chkheidze hands you the form", "1. Keep it secret", READY)
    assert "takes 15 min" in screen and "Resolve" in screen and "2/5" in screen

    term.keys("1")
    term.wait_for("16:15", "Catherine Hall", "The benches murmur", READY)
    auto = autosave_after(saves, 1)
    assert auto["state"]["scene"] == "hall"
    assert [e["choice"] for e in auto["state"]["log"]] == ["keep"]

    term.keys("s")
    term.wait_for("Save as:")
    term.type("by the wire")
    term.keys("Enter")
    term.wait_for("Saved as 'by the wire'")
    assert json.loads((saves / "by the wire.json").read_text())["state"]["scene"] == "hall"

    term.keys("1")  # sit it out: 16:45
    term.wait_for("16:45", READY)
    term.keys("1")  # the clock passes 17:00: the sailors' event takes over
    term.wait_for("The gate", "Sailors from Kronstadt", READY)
    term.keys("Down", "Up", "Enter")  # arrows and Enter: go out to them
    term.wait_for("THE END", "The session holds", "Morning comes.")

    term.keys("d")
    screen = term.wait_for("Debrief", "This is the ending history took", "You did as history did in 4 of 4")
    term.keys("Escape")
    term.wait_for("THE END")

    term.keys("q")
    deadline = time.monotonic() + 10
    while term.alive() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not term.alive(), term.screen()
    auto = json.loads((saves / "autosave.json").read_text())
    assert auto["state"]["scene"] == "dawn"


def test_keyboard_only_through_undo_journal_history_names_and_the_debrief(story_dir, terminal_for, tmp_path):
    saves = tmp_path / "saves"
    term = terminal_for(story_dir, saves)
    term.wait_for("New game")
    term.keys("n")
    term.wait_for("Chkheidze hands you the form", READY)

    term.keys("h")  # the scene's history, with its source
    term.wait_for("History: The wire", "Chkheidze kept the wire back.", "Stormy Passage")
    term.keys("Escape")
    term.keys("e")  # the names on this page, then one entry
    term.wait_for("Names on this page", "Nikolai Chkheidze")
    term.keys("Enter")
    term.wait_for("Chaired the Petrograd Soviet.")
    term.keys("Escape")
    term.wait_for(READY)

    term.keys("2")  # read it aloud
    term.wait_for("The benches roar", READY)
    term.keys("u")  # take it back
    term.wait_for("Took back 1 choice", "Chkheidze hands you the form", READY)
    assert autosave_after(saves, 0)["state"]["log"] == []

    term.keys("1")
    term.wait_for("The benches murmur", READY)
    term.keys("j")
    term.wait_for("Journal", "You chose: Keep it secret", "You are here.")
    term.keys("Escape")
    term.wait_for(READY)

    term.keys("2")  # go home: an ending history did not take
    term.wait_for("THE END", "Asleep")
    term.keys("d")
    term.wait_for("Debrief", "History ended otherwise.", "1 of 2 decisions")
    term.keys("End")  # the last decision is further down
    term.wait_for("here you left history", "You: Go home")
    term.keys("t")
    term.wait_for("Timeline", "paths part here")
    term.keys("Escape", "Escape")
    term.wait_for("THE END")
    auto = json.loads((saves / "autosave.json").read_text())
    assert [e["choice"] for e in auto["state"]["log"]] == ["keep", "leave"]


def autosave_after(saves: Path, steps: int, timeout: float = 10.0) -> dict:
    """The autosave once it holds `steps` choices: it is written on a thread once the frame showing the
    new scene is out (PlayScreen.advance), so it can land a moment after the screen changes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and _log_length(saves / "autosave.json") != steps:
        time.sleep(0.05)
    return json.loads((saves / "autosave.json").read_text())


def _log_length(path: Path) -> int:
    try:
        return len(json.loads(path.read_text())["state"]["log"])
    except (FileNotFoundError, ValueError, KeyError):
        return 0


def test_the_shipped_story_plays_to_an_ending_and_its_debrief(terminal_for, tmp_path):
    """July Days itself, Enter on the first open choice each time, to an ending and the debrief."""
    from game.story_folder import load_folder

    scenes = REPO / "scenes"
    story = load_folder(str(scenes))
    saves = tmp_path / "saves"
    term = terminal_for(scenes, saves, "--seed", "1")
    term.wait_for("Before you begin", "for ages 15+")  # a new game: the story's content note comes first
    term.keys("Escape")
    term.wait_for(READY)
    auto = saves / "autosave.json"
    for step in range(1, 200):
        term.keys("Enter")
        deadline = time.monotonic() + 20
        while _log_length(auto) < step and time.monotonic() < deadline:
            if "Answer in a few words" in term.screen():  # a choice that asks the player to reflect
                term.type("I did what I could.")
                term.keys("Enter")
            time.sleep(0.1)
        assert _log_length(auto) == step, term.screen()
        scene = json.loads(auto.read_text())["state"]["scene"]
        if story.scenes[scene].ending is not None:
            break
        # the autosave lands before the new scene is drawn: let the drawing finish, then see it ready
        time.sleep(0.3)
        term.wait_for(READY, story.scenes[scene].title[:20])
    ending = story.scenes[scene].ending
    assert ending is not None
    term.wait_for("THE END", ending.title[:30])
    term.keys("d")
    term.wait_for("Debrief", "The ending:")


def test_a_teacher_starts_chapter_three_from_the_title_and_asks_what_the_meters_mean(terminal_for, tmp_path):
    """The shipped story in a real terminal: the title's chapters, the content note and story so far, the meters."""
    saves = tmp_path / "saves"
    term = terminal_for(REPO / "scenes", saves)
    term.wait_for("July Days", "New game", "Start at a chapter")
    term.keys("h")
    term.wait_for("Start at a chapter", "3. 17:00–18:00  The sailors at the gate")
    term.keys("Down", "Down", "Enter")
    screen = term.wait_for("Before you begin", "for ages 15+", "Chapter 3: The sailors at the gate", "Begin (y)")
    assert "massacre" in screen
    term.keys("Enter")
    term.wait_for("17:00", READY)
    term.keys("m")
    screen = term.wait_for("The meters", "Temper of the street: 8 of 10", "High is danger")
    (tmp_path / "meters-screen.txt").write_text(screen, encoding="utf-8")
    term.keys("Escape")
    term.wait_for(READY)
    auto = json.loads((saves / "autosave.json").read_text()) if (saves / "autosave.json").exists() else None
    assert auto is None or auto["state"]["scene"] == "sailors_at_gate"


def test_a_finished_game_and_its_reflection_outlive_the_next_new_game(terminal_for, tmp_path):
    """Issue 11's repro on the shipped story: --from regiment, 1, a reflection, Enter, then n, n and a choice."""
    saves = tmp_path / "saves"
    term = terminal_for(REPO / "scenes", saves, "--from", "regiment")
    term.wait_for("Before you begin", "for ages 15+")  # a new game: the content note first
    term.keys("Escape")
    term.wait_for("The band", READY)
    term.keys("1")
    term.wait_for("Enter: confirm")
    term.type("Because everyone sang")
    term.keys("Enter")
    term.wait_for("THE END", "The Marseillaise", "Finished game kept")
    term.keys("n")  # from the ending, a new game at once: its content note
    term.wait_for("Before you begin", "Begin (y)")
    term.keys("Enter")
    term.wait_for(READY)
    # The repro chose 2; at the regiment both 1 and 2 now end the day, so the new game goes on with 3
    # (to the barracks) and the saves screen can be opened from play.
    term.keys("3")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and _log_length(saves / "autosave.json") != 1:
        time.sleep(0.1)
    assert _log_length(saves / "autosave.json") == 1
    finished = list(saves.glob("finished - The Marseillaise - *.json"))
    assert len(finished) == 1, sorted(p.name for p in saves.iterdir())
    data = json.loads(finished[0].read_text())
    assert data["kind"] == "finished"
    assert data["state"]["log"] == [{"scene": "regiment", "choice": "greet", "clock": 1665, "answer": "Because everyone sang"}]
    term.keys("l")
    screen = term.wait_for("Saves", finished[0].stem, "04:15")  # the Scene column ("finished · …") is cut at 100 columns
    print(screen)
