"""The teacher's view of a served room, with three students playing in Debian's Chromium.

`tauride serve` runs as a teacher runs it: in a terminal (a tmux pane on a
private socket), where it draws the live table of the room. Three students
open the sign-in page in their own browser contexts, sign in with the code
the teacher's screen shows, start a new game of the shipped story, read the
content note and make two choices each, one student at a time. After each
choice the test reads the teacher's terminal (tmux capture-pane, the text a
person sees) until that student's row shows the new scene and choice count,
and measures how long it took; the same rows are checked against the room
model read from the class folder (`read_room`, what the table is built from).

Bounded and self-stopping: every wait has a timeout, and the server is
stopped with its own key (`q`), then the tmux server is killed, in a
`finally`. Screenshots of a student's page and the teacher's pane are kept
with TAURIDE_SHOTS=DIR.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_classroom_serve_e2e import (
    CHROMIUM,
    FLAGS,
    REPO,
    Screen,
    Served,
    free_port,
    games,
    sign_in,
    wait_for,
    wait_for_port,
)

from game.classroom.room import read_room
from game.story_folder import load_folder

pytestmark = pytest.mark.e2e

CLASS = "9B"
FOLLOW = 5.0
"""How soon (seconds) a choice made in a browser must show in the teacher's table: the view reads the
class folder every 1.5 s, and the game writes its autosave as the choice is made; the margin is for a
loaded machine."""
STUDENTS = ("Anna", "Boris", "Clara")
PATH = (("not started", 0), ("Where to put the guns", 1), ("Six men at the door", 2))
"""Where each student stands, and their choices made, as they press 1 twice from the first scene."""


class Pane:
    """The teacher's terminal: a tmux pane on a socket of its own, read as text."""

    def __init__(self, socket_name: str) -> None:
        self.tmux = ["tmux", "-L", socket_name]
        self.socket = Path(os.environ.get("TMUX_TMPDIR", "/tmp")) / f"tmux-{os.getuid()}" / socket_name

    def start(self, argv: list[str], cwd: Path) -> None:
        subprocess.run([*self.tmux, "-f", "/dev/null", "new-session", "-d", "-s", "room", "-x", "200", "-y", "50",
                        "-c", str(cwd), *argv], check=True, timeout=10)

    def text(self) -> str:
        done = subprocess.run([*self.tmux, "capture-pane", "-p", "-t", "room"], capture_output=True, text=True,
                              timeout=10)
        return done.stdout

    def keys(self, *keys: str) -> None:
        subprocess.run([*self.tmux, "send-keys", "-t", "room", *keys], timeout=10)

    def alive(self) -> bool:
        return subprocess.run([*self.tmux, "has-session", "-t", "room"], capture_output=True,
                              timeout=10).returncode == 0

    def kill(self) -> None:
        subprocess.run([*self.tmux, "kill-server"], capture_output=True, timeout=10)
        self.socket.unlink(missing_ok=True)  # tmux can leave the socket file behind


def row(screen: str, name: str) -> str | None:
    """The table's line for `name` on the teacher's screen (the line that starts with it and says whether
    they are connected), or None. Before a student's first save the view knows only their folder
    ("anna-55579b…"), so the row starts with that until the save names them."""
    for line in screen.splitlines():
        cells = line.strip()
        if cells.startswith((name + " ", name.lower() + "-")) and ("● yes" in cells or "○ no" in cells):
            return cells
    return None


def cells(line: str) -> list[str]:
    """A table line's cells (the table pads each cell by a space on either side, so two spaces part them)."""
    return re.split(r"\s{2,}", line.strip())


def shows(screen: str, name: str, scene: str, choices: int) -> bool:
    """Whether the teacher's screen has `name` connected, in `scene`, with `choices` made (the Connected,
    Scene and Choices columns)."""
    line = row(screen, name)
    if line is None:
        return False
    got = cells(line)
    return len(got) > 5 and got[1] == "● yes" and got[4] == scene and got[5] == str(choices)


def test_the_teachers_view_shows_three_served_students_moving(tmp_path: Path):
    from playwright.sync_api import sync_playwright

    saves = tmp_path / "saves"
    port = free_port()
    pane = Pane(f"tauride-room-{os.getpid()}-{port}")
    story = load_folder(str(REPO / "scenes"))
    shot_page, shot_pane = tmp_path / "room-student.png", tmp_path / "room-teacher.txt"
    follow: list[tuple[str, str, float]] = []
    # (COLUMNS and LINES, if the test runner set them, would fix the view's size below the pane's)
    pane.start(["env", "-u", "COLUMNS", "-u", "LINES", sys.executable, "-m", "game", "serve", "--port", str(port),
                "--saves", str(saves), "--scenes", str(REPO / "scenes"), "--class", CLASS], REPO)
    try:
        code = wait_for(lambda: re.search(r"Class code: (\S+)", pane.text()), 30)
        assert code, f"the teacher's screen never showed a class code: {pane.text()!r}"
        wait_for_port(port)
        served = Served(f"http://127.0.0.1:{port}/", saves, code.group(1))
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            try:
                pages = {}
                for name in STUDENTS:
                    page = browser.new_context(viewport={"width": 1100, "height": 700}).new_page()
                    screen = Screen(page)
                    sign_in(page, served, name, "4821", first=True, screen=screen)
                    screen.after("Before you begin", lambda page=page: page.keyboard.press("n"))  # the content note
                    screen.after("What do you do?", lambda page=page: page.keyboard.press("Enter"))
                    pages[name] = (page, screen)
                assert wait_for(lambda: all(shows(pane.text(), n, *PATH[0]) for n in STUDENTS), 20), \
                    f"the teacher's view never listed all three, connected: {pane.text()}"

                for step in (1, 2):
                    scene, made = PATH[step]
                    for name in STUDENTS:
                        page, screen = pages[name]
                        screen.after("What do you do?", lambda page=page: page.keyboard.press("1"))
                        drawn = time.monotonic()
                        seen = wait_for(lambda name=name, scene=scene, made=made: shows(pane.text(), name, scene, made),
                                        FOLLOW, step=0.1)
                        took = time.monotonic() - drawn
                        assert seen, (f"{FOLLOW} s after {name}'s choice the teacher's view still showed "
                                      f"{row(pane.text(), name)!r}, not {scene!r} with {made} choices")
                        follow.append((name, scene, took))
                        # the others have not moved with them
                        for other in STUDENTS:
                            if other != name:
                                moved = STUDENTS.index(other) < STUDENTS.index(name)
                                o_scene, o_made = PATH[step if moved else step - 1]
                                assert shows(pane.text(), other, o_scene, o_made), (other, row(pane.text(), other))
                time.sleep(0.5)
                pages["Boris"][0].screenshot(path=str(shot_page))
            finally:
                browser.close()
        screen_text = pane.text()
        shot_pane.write_text(screen_text, encoding="utf-8")
        rows = {r.name: r for r in read_room(story, saves / CLASS)}
        assert set(rows) == set(STUDENTS), rows
        for name in STUDENTS:
            assert rows[name].scene == PATH[-1][0] and rows[name].choices == 2, rows[name]
            line = row(screen_text, name) or ""
            assert rows[name].clock in line, (rows[name].clock, line)
    finally:
        if pane.alive():
            pane.keys("q")
            wait_for(lambda: not pane.alive(), 10)
        pane.kill()
        assert wait_for(lambda: not games(saves), 15), f"stopping the server left games running: {games(saves)}"
    print("time from a choice drawn in the browser to the teacher's row showing it:",
          ", ".join(f"{n} → {s!r} {t:.1f} s" for n, s, t in follow))
    assert shot_page.stat().st_size > 10_000
    if os.environ.get("TAURIDE_SHOTS"):
        for shot in (shot_page, shot_pane):
            shutil.copy(shot, Path(os.environ["TAURIDE_SHOTS"]) / shot.name)
