"""What a teacher prints: the transcript's summary fits two A4 pages, checked on paper (Chromium's PDF).

A whole playthrough of the shipped story along history's path, every
reflection answered at length, as a class would leave it: the summary is
printed to A4 with Chromium and `pdfinfo` (poppler-utils) counts the pages.
The pages are kept as PNG (`pdftoppm`) with TAURIDE_SHOTS=DIR, to look at.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from game import engine
from game.classroom.playthrough import trace
from game.classroom.transcript import to_html
from game.classroom.transcript_summary import to_summary_html
from game.locate import load_or_explain

pytestmark = pytest.mark.e2e

CHROMIUM = "/usr/bin/chromium"
ANSWER = ("Because the committee feared that taking power in the street would hand the army and the provinces "
          "to the right, and because they believed the Soviet spoke for more than the crowd outside the gate.")


def pages(pdf: Path) -> int:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    found = re.search(r"^Pages:\s+(\d+)", out, re.M)
    assert found, out
    return int(found.group(1))


def long_playthrough():
    story = load_or_explain(None)
    assert story is not None
    state = engine.new_game(story, seed=3)
    while not engine.is_ending(story, state):
        options = [c for c in engine.choices(story, state) if c.enabled]
        pick = next((c for c in options if c.reflect), next((c for c in options if c.historical), options[0]))
        state = engine.choose(story, state, pick.id, answer=ANSWER if pick.reflect else None)
    meta = {"student": "Anna Petrova", "class": "9B", "active_seconds": 1500,
            "exit_question": {"question": "Was the Soviet's refusal to take power a mistake?", "answer": ANSWER}}
    return trace(story, state, meta=meta)


def print_pdf(html: str, out: Path) -> None:
    from playwright.sync_api import sync_playwright

    page_file = out.with_suffix(".html")
    page_file.write_text(html, encoding="utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page()
            page.goto(page_file.as_uri())
            page.pdf(path=str(out), format="A4", print_background=True)
        finally:
            browser.close()


def test_the_summary_transcript_prints_on_at_most_two_a4_pages(tmp_path: Path):
    if not Path(CHROMIUM).exists() or shutil.which("pdfinfo") is None:
        pytest.skip("needs Chromium and pdfinfo (poppler-utils; scripts/test installs both)")
    pt = long_playthrough()
    assert len(pt.steps) >= 10 and sum(1 for s in pt.steps if s.answer) >= 2  # a real, long game
    summary, full = tmp_path / "summary.pdf", tmp_path / "full.pdf"
    print_pdf(to_summary_html(pt), summary)
    print_pdf(to_html(pt), full)
    n = pages(summary)
    assert 1 <= n <= 2, f"the summary printed on {n} pages"
    assert pages(full) > n  # the full transcript is the long one; the summary is what is printed
    shots = os.environ.get("TAURIDE_SHOTS")
    if shots and shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(summary), str(Path(shots) / "summary-page")], check=True)


def test_the_guides_first_page_is_the_whole_one_page_sheet(tmp_path: Path):
    if not Path(CHROMIUM).exists() or shutil.which("pdftotext") is None:
        pytest.skip("needs Chromium and pdftotext (poppler-utils; scripts/test installs both)")
    from game.classroom.guide import decision_points
    from game.classroom.guide import to_html as guide_html

    story = load_or_explain(None)
    assert story is not None
    pdf = tmp_path / "guide.pdf"
    print_pdf(guide_html(story), pdf)

    def text(first: int, last: int) -> str:
        return subprocess.run(["pdftotext", "-f", str(first), "-l", str(last), "-layout", str(pdf), "-"],
                              capture_output=True, text=True, check=True).stdout

    page1, page2 = text(1, 1), text(2, 2)
    assert "Content note" in page1 or "content note" in page1.lower()
    assert "Chapters: one per lesson" in page1 and "--chapter 5" in page1
    last = decision_points(story)[-1].title
    assert " ".join(last.split()[:3]) in " ".join(page1.split()), f"the sheet runs past page 1 ({last!r})"
    assert "appendix" in page2.split("\n\n")[0].lower() or "appendix" in " ".join(page2.split()[:12]).lower()
    assert pages(pdf) > 2
    shots = os.environ.get("TAURIDE_SHOTS")
    if shots and shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "2", str(pdf), str(Path(shots) / "guide-page")],
                       check=True)
