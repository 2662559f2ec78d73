"""The served canvas at device pixel ratios 1, 1.25 and 2: the whole terminal shows, drawn sharp.

textual-serve's bundled xterm.js measured the terminal at one pixel ratio
and drew it at another: at ratio 2 only the top-left quarter of the game
showed. The page template now settles the ratio once the terminal exists
(`settlePixelRatio` in game/classroom/templates/app_index.html). Held
here in Debian's Chromium: every canvas layer lies inside the window, and
its backing store is its CSS size times the ratio (sharp, and consistent
with how the cells are drawn). Screenshots are kept with TAURIDE_SHOTS=DIR.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from test_classroom_serve_e2e import CHROMIUM, FLAGS, Screen, sign_in

pytestmark = pytest.mark.e2e

MEASURE = """() => [...document.querySelectorAll('#terminal canvas')].map(c => {
  const r = c.getBoundingClientRect();
  return {name: c.className, w: c.width, h: c.height, cssW: r.width, cssH: r.height, right: r.right,
          bottom: r.bottom, winW: innerWidth, winH: innerHeight, dpr: devicePixelRatio};
})"""


def test_the_canvas_is_whole_and_sharp_at_ratios_1_125_and_2(served, tmp_path: Path):
    from playwright.sync_api import sync_playwright

    shots = os.environ.get("TAURIDE_SHOTS")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            for i, ratio in enumerate((1, 1.25, 2)):
                ctx = browser.new_context(viewport={"width": 1100, "height": 700}, device_scale_factor=ratio)
                try:
                    page = ctx.new_page()
                    screen = Screen(page)
                    sign_in(page, served, f"Ratio {i}", "4821", first=True, screen=screen)
                    page.wait_for_timeout(800)  # the settling resize, and the game's redraw after it
                    layers = page.evaluate(MEASURE)
                    assert layers, "no canvas on the game page"
                    for layer in layers:
                        assert layer["right"] <= layer["winW"] + 0.5 and layer["bottom"] <= layer["winH"] + 0.5, \
                            f"at ratio {ratio} the {layer['name']} runs past the window: {layer}"
                        assert layer["cssW"] > 0.9 * layer["winW"], f"at ratio {ratio} the terminal is narrow: {layer}"
                        assert abs(layer["w"] - layer["cssW"] * ratio) <= 2 and \
                            abs(layer["h"] - layer["cssH"] * ratio) <= 2, \
                            f"at ratio {ratio} the {layer['name']}'s backing store is not scaled: {layer}"
                    shot = tmp_path / f"served-ratio-{ratio}.png"
                    page.screenshot(path=str(shot))
                    if shots:
                        shutil.copy(shot, Path(shots) / shot.name)
                finally:
                    ctx.close()
        finally:
            browser.close()
