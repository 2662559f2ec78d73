"""Snapshots of the screens, for layout: dark and light, 60×20 and 120×40.

Baselines are SVGs in tests/__snapshots__/ (created with
`pytest --snapshot-update`, looked at before committing). They catch a
layout that breaks; behaviour is tested by the Pilot tests.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from wire_story import FILES

from game import engine
from game.saves import SaveStore
from game.settings import Settings
from game.story_folder import load_folder
from game.tui.app import TaurideApp

SIZES = {"small": (60, 20), "large": (120, 40)}
THEMES = ["dark", "light"]


@pytest.fixture
def wire(make_story):
    return load_folder(str(make_story(FILES, name="wire")))


def app_at(story, tmp_path: Path, theme: str, *steps: str, fresh: bool = False) -> TaurideApp:
    state = engine.new_game(story, seed=7)
    for step in steps:
        state = engine.choose(story, state, step)
    saves = tmp_path / "saves"
    return TaurideApp(story, SaveStore(saves), state=None if fresh else state, seed=7,
                      settings=Settings(theme=theme), settings_file=tmp_path / "settings.json")


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("theme", THEMES)
def test_title(snap_compare, wire, tmp_path, theme, size):
    async def footer_in(pilot) -> None:
        # The title's footer is mounted just after the first frame (see TitleScreen.on_mount).
        for _ in range(20):
            if pilot.app.screen.query("FooterKey"):
                break
            await pilot.pause()
        await pilot.pause()

    assert snap_compare(app_at(wire, tmp_path, theme, fresh=True), terminal_size=SIZES[size], run_before=footer_in)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("theme", THEMES)
def test_play(snap_compare, wire, tmp_path, theme, size):
    # after one choice: a moved variable, a clock advanced by the choice's cost
    assert snap_compare(app_at(wire, tmp_path, theme, "keep"), terminal_size=SIZES[size])


@pytest.mark.parametrize("theme", THEMES)
def test_ending(snap_compare, wire, tmp_path, theme):
    assert snap_compare(app_at(wire, tmp_path, theme, "keep", "leave"), terminal_size=SIZES["large"])


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("theme", THEMES)
def test_journal(snap_compare, wire, tmp_path, theme, size):
    # a search under way: the matching entry marked in words
    app = app_at(wire, tmp_path, theme, "read", "sit")
    assert snap_compare(app, press=["j", "slash", *"roar", "enter"], terminal_size=SIZES[size])


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("theme", THEMES)
def test_glossary(snap_compare, wire, tmp_path, theme, size):
    assert snap_compare(app_at(wire, tmp_path, theme, "keep"), press=["g"], terminal_size=SIZES[size])


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("theme", THEMES)
def test_debrief(snap_compare, wire, tmp_path, theme, size):
    app = app_at(wire, tmp_path, theme, "keep", "sit", "sit", "hide")
    assert snap_compare(app, press=["d"], terminal_size=SIZES[size])


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("theme", THEMES)
def test_help(snap_compare, wire, tmp_path, theme, size):
    assert snap_compare(app_at(wire, tmp_path, theme), press=["question_mark"], terminal_size=SIZES[size])


def test_play_high_contrast(snap_compare, wire, tmp_path):
    assert snap_compare(app_at(wire, tmp_path, "high-contrast", "read"), terminal_size=SIZES["small"])
