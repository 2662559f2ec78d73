"""`tauride serve` end to end: the real command, the real game, Debian's Chromium.

A student opens the page, types a name, starts a game and makes a choice;
the save appears on disk under the class folder, and every request the
browser made went to this laptop. Then a browser is killed outright and no
game process is left once the idle timeout has passed, with the autosave
still on disk.

Chromium is the system binary (never `playwright install`). The game's text
is drawn on a canvas, so the test waits on what the game sends the page over
its websocket (the terminal's output) before each key, reads the files the
game writes, and keeps the screenshot for a person to look at
(`TAURIDE_SHOTS=DIR` keeps it there too).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Iterator

import pytest
from class_story import write_class_story

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
CODE = "9B"
"""The class code the teacher set; students type it after their name."""
IDLE = 6.0
"""The idle timeout the served games get here, in seconds (a lesson would use twenty minutes)."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, timeout: float = 20) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"nothing is listening on port {port}")


def games(saves: Path) -> list[int]:
    """Pids of live game processes serving this test's save folder."""
    out = []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            args = (d / "cmdline").read_bytes().split(b"\0")
            state = (d / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z" and b"--classroom" in args and str(saves).encode() in args:
            out.append(int(d.name))
    return out


def student_saves(saves: Path, name: str) -> list[dict]:
    found = []
    for path in saves.rglob("*.json"):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if (data.get("meta") or {}).get("student") == name:
            found.append({"path": path, **data})
    return found


def wait_for(cond, timeout: float, step: float = 0.2):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = cond()
        if value:
            return value
        time.sleep(step)
    return cond()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """`tauride serve` on a free local port, with the small class story and a short idle timeout."""
    story = write_class_story(tmp_path / "story")
    saves = tmp_path / "saves"
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "game", "serve", "--port", str(port), "--saves", str(saves), "--scenes", str(story),
         "--idle-timeout", str(IDLE), "--class-code", CODE],
        cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, start_new_session=True,
    )
    try:
        wait_for_port(port)
        yield f"http://127.0.0.1:{port}/", saves
    finally:
        os.killpg(server.pid, signal.SIGINT)
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        assert not games(saves), "stopping the server left games running"


class Screen:
    """What the served game has sent the page so far: its terminal output, read off the websocket.

    The page draws that output on a canvas, which holds no text to wait for;
    the bytes on their way to it do. Waiting for a cue there, rather than a
    fixed time, means a slow machine is waited for and a fast one is not.
    """

    def __init__(self, page) -> None:
        self.page = page
        self.out = bytearray()
        self.mark = 0
        page.on("websocket", lambda ws: ws.on("framereceived", self._frame))

    def _frame(self, payload: bytes | str) -> None:
        self.out += payload if isinstance(payload, bytes) else payload.encode()

    def after(self, cue: str, do=None, timeout: float = 30) -> None:
        """Do `do` (if given), then wait until the game has drawn `cue` since then."""
        self.mark = len(self.out)
        if do is not None:
            do()
        end = time.monotonic() + timeout
        while self.out.find(cue.encode(), self.mark) < 0:
            if time.monotonic() > end:
                tail = bytes(self.out[-600:]).decode("utf-8", "replace")
                raise AssertionError(f"the game never drew {cue!r} within {timeout} s; it last sent: {tail!r}")
            self.page.wait_for_timeout(100)  # (not time.sleep: Playwright delivers frames while it waits)


def start_playing(page, url: str, name: str) -> None:
    """What a student does: open the page, type a name and the class code, start a new game, take the first choice."""
    screen = Screen(page)
    keys = page.keyboard
    screen.after("Your name", lambda: page.goto(url), timeout=60)
    page.click("#terminal")
    screen.after("Class code", lambda: (keys.type(name), keys.press("Enter")))
    screen.after("Playing as", lambda: (keys.type(CODE.lower()), keys.press("Enter")))  # as a student types it
    screen.after("What do you do?", lambda: keys.press("n"))
    # the first choice of the class story asks "Why did you keep the telegram secret?": the game
    # asks it before the choice is made, and the answer goes into the log with it
    screen.after("Why did you keep", lambda: keys.press("1"))
    keys.type("To keep the session calm.")
    keys.press("Enter")


def test_a_student_plays_in_a_browser_and_the_save_lands_on_disk(served, tmp_path: Path):
    from playwright.sync_api import sync_playwright

    url, saves = served
    requests: list[str] = []
    shot = tmp_path / "served-game.png"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 700})
            page.on("request", lambda r: requests.append(r.url))
            start_playing(page, url, "Anna Petrovna")
            found = wait_for(lambda: [s for s in student_saves(saves, "Anna Petrovna") if s["state"]["log"]], 20)
            time.sleep(1.0)
            page.screenshot(path=str(shot))
        finally:
            browser.close()
    assert found, f"no save with a choice for Anna Petrovna under {saves}: {list(saves.rglob('*'))}"
    save = found[0]
    where = save["path"].relative_to(saves).parts
    assert where[0] == CODE and len(where) == 3, where  # saves/<class>/<student>/<slot>.json
    assert save["meta"].get("class") == CODE
    assert save["state"]["log"][0]["scene"] == "wire"
    assert requests and all(r.startswith(url) for r in requests), [r for r in requests if not r.startswith(url)]
    assert shot.stat().st_size > 10_000
    if os.environ.get("TAURIDE_SHOTS"):
        shutil.copy(shot, Path(os.environ["TAURIDE_SHOTS"]) / shot.name)


def test_a_browser_killed_outright_leaves_no_game_behind(served):
    from playwright.sync_api import sync_playwright

    url, saves = served
    port = free_port()
    profile = tempfile.mkdtemp(prefix="tauride-chromium-")
    chromium = subprocess.Popen([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", f"--remote-debugging-port={port}",
                                 "about:blank"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
    try:
        wait_for_port(port)
        with sync_playwright() as p:
            browser = p.chromium.connect_over_cdp(f"http://127.0.0.1:{port}")
            page = browser.contexts[0].new_page()
            start_playing(page, url, "Boris")
            assert wait_for(lambda: [s for s in student_saves(saves, "Boris") if s["state"]["log"]], 20)
            running = games(saves)
            assert running, "no game process was serving the student"
            os.killpg(chromium.pid, signal.SIGKILL)  # the laptop lid shuts: no goodbye to the server
            chromium.wait()
        left = wait_for(lambda: not games(saves), IDLE + 20)
        assert left, f"game processes outlived their browser: {games(saves)}"
        autosaves = [s for s in student_saves(saves, "Boris") if s["path"].name == "autosave.json"]
        assert autosaves and autosaves[0]["state"]["log"], "the student's autosave is gone"
    finally:
        if chromium.poll() is None:
            os.killpg(chromium.pid, signal.SIGKILL)
            chromium.wait()
        shutil.rmtree(profile, ignore_errors=True)


def test_a_name_that_looks_like_a_path_stays_in_the_class_folder(served, tmp_path: Path):
    from playwright.sync_api import sync_playwright

    url, saves = served
    hostile = "../../evil"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            start_playing(browser.new_page(viewport={"width": 1100, "height": 700}), url, hostile)
            found = wait_for(lambda: student_saves(saves, hostile), 20)
        finally:
            browser.close()
    assert found, f"no save for {hostile!r}: {list(saves.rglob('*'))}"
    for save in found:
        assert save["path"].resolve().is_relative_to((saves / CODE).resolve())
    assert not (tmp_path / "evil").exists() and not (saves / "evil").exists()
