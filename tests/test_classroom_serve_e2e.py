"""`tauride serve` end to end: the real command, the real game, Debian's Chromium.

A student opens the page, signs in on the form (name, the class code the
server printed, a PIN chosen there), starts a game and makes a choice; the
save appears on disk in their own folder under the class folder, and every
request the browser made went to this laptop. Another browser cannot open
that student's game while it is live, nor afterwards without the PIN; with
it, the student returns to their autosave. A browser killed outright
leaves no game process once the idle timeout has passed, and the autosave
stays on disk.

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
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest
from class_story import write_class_story

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
CLASS = "9B"
"""The class's folder name (`--class`); the code students type is the one the server makes and prints."""
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
        command = b" ".join(args)  # a game forked by the fork server shows its command as one title
        if state != "Z" and b"--classroom" in command and str(saves).encode() in command:
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


@dataclass
class Served:
    url: str
    saves: Path
    code: str
    """The class code the server made and printed for the teacher."""


@contextmanager
def serving(tmp_path: Path, story: Path | None = None, *flags: str) -> Iterator[Served]:
    """`tauride serve` on a free local port, with the small class story (or `story`) and a short idle timeout.

    `flags`: more of serve's options (`--chapter 3`). The `served` fixture (conftest.py) runs it for each
    test that asks."""
    story = story or write_class_story(tmp_path / "story")
    saves = tmp_path / "saves"
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "game", "serve", "--port", str(port), "--saves", str(saves), "--scenes", str(story),
         "--idle-timeout", str(IDLE), "--class", CLASS, *flags],
        cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, start_new_session=True,
    )
    try:
        assert server.stdout is not None
        printed = ""
        while "Class code:" not in printed:
            line = server.stdout.readline()
            assert line, f"the server stopped before printing a class code: {printed}"
            printed += line
        code = printed.split("Class code:")[1].split()[0]
        wait_for_port(port)
        yield Served(f"http://127.0.0.1:{port}/", saves, code)
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


def sign_in(page, served: Served, name: str, pin: str, *, first: bool, screen: "Screen | None" = None) -> None:
    """What a student does on the sign-in page: name, the class code (as a student types it), PIN, Play."""
    page.goto(served.url)
    page.fill("#name", name)
    page.fill("#code", served.code.lower())
    page.fill("#pin", pin)
    if first:
        page.fill("#pin2", pin)
    if screen is None:
        page.click("#go")
    else:
        screen.after("Playing as", lambda: page.click("#go"), timeout=60)
        page.wait_for_selector("body.-first-byte")
        page.click("#terminal")


def start_playing(page, served: Served, name: str, pin: str = "4821") -> "Screen":
    """Sign in for the first time, start a new game, take the first choice and answer its question."""
    screen = Screen(page)
    keys = page.keyboard
    sign_in(page, served, name, pin, first=True, screen=screen)
    screen.after("What do you do?", lambda: keys.press("n"))
    # the first choice of the class story asks "Why did you keep the telegram secret?": the game
    # asks it before the choice is made, and the answer goes into the log with it
    screen.after("Why did you keep", lambda: keys.press("1"))
    keys.type("To keep the session calm.")
    keys.press("Enter")
    return screen


def refusal(page) -> str:
    return page.inner_text("#refused")


def test_a_student_plays_in_a_browser_and_the_save_lands_on_disk(served, tmp_path: Path):
    from playwright.sync_api import sync_playwright

    url, saves = served.url, served.saves
    requests: list[str] = []
    shot = tmp_path / "served-game.png"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 700})
            page.on("request", lambda r: requests.append(r.url))
            start_playing(page, served, "Anna Petrovna")
            found = wait_for(lambda: [s for s in student_saves(saves, "Anna Petrovna") if s["state"]["log"]], 20)
            time.sleep(1.0)
            page.screenshot(path=str(shot))
        finally:
            browser.close()
    assert found, f"no save with a choice for Anna Petrovna under {saves}: {list(saves.rglob('*'))}"
    save = found[0]
    where = save["path"].relative_to(saves).parts
    assert where[0] == CLASS and where[1].startswith("anna petrovna-") and len(where) == 3, where
    assert save["meta"].get("class") == CLASS
    assert save["state"]["log"][0]["scene"] == "wire"
    assert requests and all(r.startswith(url) for r in requests), [r for r in requests if not r.startswith(url)]
    assert shot.stat().st_size > 10_000
    if os.environ.get("TAURIDE_SHOTS"):
        shutil.copy(shot, Path(os.environ["TAURIDE_SHOTS"]) / shot.name)


def test_a_browser_killed_outright_leaves_no_game_behind(served):
    from playwright.sync_api import sync_playwright

    saves = served.saves
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
            start_playing(page, served, "Boris")
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

    saves = served.saves
    hostile = "../../evil"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            start_playing(browser.new_page(viewport={"width": 1100, "height": 700}), served, hostile)
            found = wait_for(lambda: student_saves(saves, hostile), 20)
        finally:
            browser.close()
    assert found, f"no save for {hostile!r}: {list(saves.rglob('*'))}"
    for save in found:
        assert save["path"].resolve().is_relative_to((saves / CLASS).resolve())
    assert not (tmp_path / "evil").exists() and not (saves / "evil").exists()


def test_a_student_returns_with_their_pin_and_nobody_else_gets_in(served, tmp_path: Path):
    from playwright.sync_api import sync_playwright

    shots = tmp_path
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            form = browser.new_page(viewport={"width": 900, "height": 760})
            form.goto(served.url)
            form.screenshot(path=str(shots / "sign-in.png"))
            anna = browser.new_context().new_page()
            anna.set_viewport_size({"width": 1100, "height": 700})
            start_playing(anna, served, "Anna Petrova", pin="4821")
            assert wait_for(lambda: [s for s in student_saves(served.saves, "Anna Petrova") if s["state"]["log"]], 20)

            # Someone else, on another computer, while Anna plays: her right PIN does not open her game.
            other = browser.new_context().new_page()
            sign_in(other, served, "anna petrova", "4821", first=False)
            assert "anna petrova is already playing on another computer" in refusal(other)
            other.screenshot(path=str(shots / "hijack-refused.png"))
            anna.close()  # Anna leaves; her game ends
            assert wait_for(lambda: not games(served.saves), 20), "Anna's game did not end with her page"

            # Now her game is free, but not without her PIN.
            sign_in(other, served, "ANNA PETROVA", "1234", first=False)
            assert "That PIN is not the one ANNA PETROVA chose" in refusal(other)
            assert not games(served.saves)

            # Anna, next lesson, types her name in capitals and her PIN: her autosave is there to continue.
            back = browser.new_context().new_page()
            back.set_viewport_size({"width": 1100, "height": 700})
            screen = Screen(back)
            sign_in(back, served, "ANNA PETROVA", "4821", first=False, screen=screen)
            screen.after("What do you do?", lambda: back.keyboard.press("c"))
            back.screenshot(path=str(shots / "returned.png"))
        finally:
            browser.close()
    folders = [p for p in (served.saves / CLASS).iterdir()]
    assert len(folders) == 1, folders  # one student, one folder, whatever the case she typed
    if os.environ.get("TAURIDE_SHOTS"):
        for shot in ("sign-in.png", "hijack-refused.png", "returned.png"):
            shutil.copy(shots / shot, Path(os.environ["TAURIDE_SHOTS"]) / shot)


def test_a_served_new_game_of_july_days_shows_the_content_note_first(tmp_path: Path):
    """The shipped story served to a browser: the student signs in, presses n, and reads the content note
    before the first scene; Enter begins."""
    from playwright.sync_api import sync_playwright

    saves = tmp_path / "saves"
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "game", "serve", "--port", str(port), "--saves", str(saves), "--scenes",
         str(REPO / "scenes"), "--idle-timeout", str(IDLE), "--class", CLASS],
        cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, start_new_session=True,
    )
    shot = tmp_path / "served-content-note.png"
    found: list[dict] = []
    try:
        assert server.stdout is not None
        printed = ""
        while "Class code:" not in printed:
            line = server.stdout.readline()
            assert line, f"the server stopped before printing a class code: {printed}"
            printed += line
        wait_for_port(port)
        served = Served(f"http://127.0.0.1:{port}/", saves, printed.split("Class code:")[1].split()[0])
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            try:
                page = browser.new_page(viewport={"width": 1100, "height": 700})
                screen = Screen(page)
                keys = page.keyboard
                sign_in(page, served, "Clara", "4821", first=True, screen=screen)
                screen.after("Before you begin", lambda: keys.press("n"))
                assert b"Content note" in screen.out[screen.mark:]
                page.wait_for_timeout(500)
                page.screenshot(path=str(shot))
                screen.after("What do you do?", lambda: keys.press("Enter"))
                keys.press("1")
                found = wait_for(lambda: [s for s in student_saves(saves, "Clara") if s["state"]["log"]], 20)
            finally:
                browser.close()
    finally:
        os.killpg(server.pid, signal.SIGINT)
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    assert found and found[0]["state"]["log"][0]["scene"] == "armoured_cars"
    assert shot.stat().st_size > 10_000
    if os.environ.get("TAURIDE_SHOTS"):
        shutil.copy(shot, Path(os.environ["TAURIDE_SHOTS"]) / shot.name)
