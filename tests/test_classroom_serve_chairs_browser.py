"""`tauride serve --chair pick` in Debian's Chromium: a student picks the sailor's chair and plays it.

The real command serves the shipped story; the student signs in on the
form, ticks "A Kronstadt sailor", and their game opens on the sailor's title
and first scene; the save lands in their folder as the sailor's own autosave.
The screenshot is kept for a person to look at (`TAURIDE_SHOTS=DIR`).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_classroom_serve_e2e import CHROMIUM, FLAGS, Screen, free_port, games, wait_for, wait_for_port

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parent.parent


def test_a_student_picks_the_sailors_chair_and_sees_the_sailors_first_scene(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    saves, port = tmp_path / "saves", free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "game", "serve", "--port", str(port), "--saves", str(saves), "--class", "9B",
         "--chair", "pick", "--log", "--idle-timeout", "30"],
        cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, start_new_session=True)
    form_shot, game_shot = tmp_path / "chair-form.png", tmp_path / "chair-sailor-game.png"
    first_shot = tmp_path / "chair-sailor-first-scene.png"
    try:
        assert server.stdout is not None
        printed = ""
        while "Class code:" not in printed:
            line = server.stdout.readline()
            assert line, f"the server stopped: {printed}"
            printed += line
        assert "each student picking a chair (committee, sailor)" in printed
        code = printed.split("Class code:")[1].split()[0]
        wait_for_port(port)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            try:
                page = browser.new_page(viewport={"width": 1100, "height": 760})
                screen = Screen(page)
                page.goto(f"http://127.0.0.1:{port}/")
                page.fill("#name", "Vera")
                page.fill("#code", code.lower())
                page.fill("#pin", "4821")
                page.fill("#pin2", "4821")
                page.check("#chair-sailor")
                page.screenshot(path=str(form_shot), full_page=True)
                screen.after("A Kronstadt sailor", lambda: page.click("#go"), timeout=60)
                page.wait_for_selector("body.-first-byte")
                page.click("#terminal")
                keys = page.keyboard
                screen.after("Before you begin", lambda: keys.press("n"))
                screen.after("Anchor Square", lambda: keys.press("Enter"))
                page.wait_for_timeout(800)
                page.screenshot(path=str(first_shot))  # the sailor's first scene, before any choice
                screen.after("The boats", lambda: keys.press("1"), timeout=30)
                found = wait_for(lambda: list(saves.glob("9B/*/autosave-sailor.json")), 20)
                time.sleep(1.0)
                page.screenshot(path=str(game_shot))
            finally:
                browser.close()
    finally:
        os.killpg(server.pid, signal.SIGINT)
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    assert found, f"no sailor's autosave under {saves}: {list(saves.rglob('*'))}"
    data = json.loads(found[0].read_text(encoding="utf-8"))
    assert data["story"]["chair"] == "sailor" and data["meta"]["student"] == "Vera"
    assert not list(saves.glob("9B/*/autosave.json")), "the committee's autosave slot was not touched"
    assert not games(saves)
    assert game_shot.stat().st_size > 10_000
    if os.environ.get("TAURIDE_SHOTS"):
        for shot in (form_shot, first_shot, game_shot):
            shutil.copy(shot, Path(os.environ["TAURIDE_SHOTS"]) / shot.name)
