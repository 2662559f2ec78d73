"""The accessible reading mode of `tauride serve`, as a student with a screen reader or a keyboard meets it.

Debian's Chromium signs in with the sign-in page's "Read it instead"
button, plays a scene into the next with the keyboard only (Tab, Enter,
typing a reflection), reads the journal and the timeline, and each page
is checked with Playwright's
accessibility snapshot and with axe-core (npm, injected into the page; no
serious or critical violation). The step lands in the student's own
autosave, where the canvas game and the report read it. A new game of the
shipped story at a chapter opens, as in the terminal, with the content note
and the story so far above the first scene.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from test_classroom_serve_e2e import CHROMIUM, CLASS, FLAGS, REPO, serving

pytestmark = pytest.mark.e2e

AXE = REPO / ".cache" / "test-npm" / "node_modules" / "axe-core" / "axe.min.js"


def axe_problems(page) -> list[str]:
    """Serious and critical axe-core violations on the page, as readable lines."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


def sign_in_to_read(page, url: str, code: str, name: str) -> None:
    """The sign-in form, first time (a PIN chosen and typed twice), then "Read it instead", with the keyboard."""
    page.goto(url)
    page.focus("#name")
    page.keyboard.type(name)
    page.fill("#code", code)
    page.fill("#pin", "4821")
    page.fill("#pin2", "4821")
    page.focus("#read")
    page.keyboard.press("Enter")
    page.wait_for_selector("h1")


def test_a_chapter_read_in_the_browser_opens_with_the_content_note_and_the_story_so_far(tmp_path: Path):
    if not AXE.exists():
        pytest.skip(f"axe-core is not installed ({AXE}): scripts/test installs it with npm")
    from playwright.sync_api import sync_playwright

    shots = os.environ.get("TAURIDE_SHOTS")
    with serving(tmp_path, REPO / "scenes", "--chapter", "3") as served, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            page = browser.new_page(viewport={"width": 900, "height": 900})
            sign_in_to_read(page, served.url, served.code, "Olga")
            tree = page.locator("body").aria_snapshot()
            before = tree.index('- heading "Before you begin" [level=2]')
            note = tree.index("Content note · for ages 15+.")
            so_far = tree.index("Chapter 3: The sailors at the gate.")
            scene = tree.index("[level=1]")
            assert before < note < so_far < scene, tree
            assert "The story so far: At four o'clock a wire" in page.inner_text("section.opening")
            box = page.locator("section.opening").bounding_box()
            assert box is not None and box["y"] < page.locator("h1").bounding_box()["y"]  # seen first, too
            assert axe_problems(page) == []
            if shots:
                page.screenshot(path=str(Path(shots) / "reading-mode-opening.png"), full_page=True)
        finally:
            browser.close()


def test_a_student_reads_and_plays_a_scene_with_the_keyboard_only(served, tmp_path: Path):
    if not AXE.exists():
        pytest.skip(f"axe-core is not installed ({AXE}): scripts/test installs it with npm")
    from playwright.sync_api import sync_playwright

    shots = os.environ.get("TAURIDE_SHOTS")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            page = browser.new_page(viewport={"width": 900, "height": 900})
            page.goto(served.url)
            kb = page.keyboard
            page.focus("#name")
            kb.type("Vera")
            page.fill("#code", served.code)
            page.fill("#pin", "4821")
            page.fill("#pin2", "4821")
            page.focus("#read")
            kb.press("Enter")
            page.wait_for_selector("h1")
            assert page.inner_text("h1") == "The wire from the Fifth Army"
            tree = page.locator("body").aria_snapshot()  # what a screen reader is given
            assert '- heading "The wire from the Fifth Army" [level=1]' in tree, tree
            for label in ("1. Keep it secret", "2. Read it aloud"):
                assert f'- button "{label}' in tree, tree
            assert '- link "Glossary"' in tree and "What do you do?" in tree, tree
            assert "Resolve" in page.inner_text("main")  # the meters, as text
            assert axe_problems(page) == []
            if shots:
                page.screenshot(path=str(Path(shots) / "reading-mode.png"), full_page=True)
            # keyboard only: Tab to the first choice, Enter; its reflection question; type; Enter on "Answer"
            for _ in range(30):
                kb.press("Tab")
                if page.evaluate("document.activeElement.textContent").startswith("1. Keep it secret"):
                    break
            else:
                raise AssertionError("Tab never reached the first choice")
            kb.press("Enter")
            page.wait_for_selector("textarea#answer")
            assert page.inner_text("label[for=answer]") == "Why did you keep the telegram secret?"
            assert axe_problems(page) == []
            page.focus("#answer")
            kb.type("So nobody panics")
            kb.press("Tab")
            kb.press("Enter")
            page.wait_for_function("document.querySelector('h1').textContent !== 'The wire from the Fifth Army'")
            assert page.inner_text("h1") != "The wire from the Fifth Army"
            assert page.locator("form.undo button").inner_text() == "Take back your last choice"
            assert axe_problems(page) == []
            if shots:
                page.screenshot(path=str(Path(shots) / "reading-mode-after-a-choice.png"), full_page=True)
            page.click("text=Glossary")
            assert page.inner_text("h1") == "Glossary" and axe_problems(page) == []
            # the journal and the timeline: the step just taken, the answer typed, each page checked as the others
            page.click("text=Back to the story")
            page.click("text=Your journal")
            assert page.inner_text("h1") == "Your journal" and axe_problems(page) == []
            journal = page.inner_text("main")
            assert "Entry 1. 16:00" in journal and "You chose: Keep it secret" in journal and "So nobody panics" in journal
            tree = page.locator("body").aria_snapshot()
            assert '- heading "Entry 1. 16:00' in tree and '- heading "Entry 2. ' in tree, tree
            if shots:
                page.screenshot(path=str(Path(shots) / "reading-mode-journal.png"), full_page=True)
            page.click("text=Back to the story")
            page.click("text=Timeline")
            assert page.inner_text("h1") == "Timeline" and axe_problems(page) == []
            assert "You: The wire from the Fifth Army. You chose: Keep it secret" in page.inner_text("main")
            if shots:
                page.screenshot(path=str(Path(shots) / "reading-mode-timeline.png"), full_page=True)
        finally:
            browser.close()
    saves = list((served.saves / CLASS).glob("vera-*/autosave.json"))
    assert len(saves) == 1, list(served.saves.rglob("*"))
    data = json.loads(saves[0].read_text(encoding="utf-8"))
    assert data["state"]["log"][0]["choice"] == "keep" and data["state"]["log"][0]["answer"] == "So nobody panics"
    assert data["meta"]["student"] == "Vera" and data["meta"]["mode"] == "reading"
