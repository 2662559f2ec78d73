"""The title screen offers the chairs of a story folder of several, and a save opens its own chair.

The TUI decides nothing about the story: it asks the shell's loader
(`game.story_folder` through the story cache, in `tauride play`) for the
chair picked, and plays what comes back.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static
from tui_helpers import make_app, settle

from game import engine
from game.saves import SaveStore
from game.story_folder import load_folder
from game.tui.screens.confirm import ConfirmDialog
from game.tui.screens.notes import PickDialog
from game.tui.screens.play import PlayScreen
from game.tui.screens.saves import SavesScreen
from game.tui.screens.title import TitlePage, TitleScreen

SCENES = Path(__file__).resolve().parent.parent / "scenes"


@pytest.fixture(scope="module")
def committee():  # type: ignore[no-untyped-def]
    return load_folder(str(SCENES))


@pytest.fixture(scope="module")
def sailor():  # type: ignore[no-untyped-def]
    return load_folder(str(SCENES), chair="sailor")


def _loader(committee, sailor):  # type: ignore[no-untyped-def]
    return lambda chair: {"committee": committee, "sailor": sailor}[chair]


def _page(app) -> str:  # type: ignore[no-untyped-def]
    return app.screen.query_one(TitlePage).render().plain


async def _title(pilot) -> None:  # type: ignore[no-untyped-def]
    for _ in range(20):
        await pilot.pause()
        if isinstance(pilot.app.screen, TitleScreen):
            return
    raise AssertionError("no title screen")


async def test_the_title_shows_the_chair_and_v_changes_it_before_a_new_game(committee, sailor, saves):  # type: ignore[no-untyped-def]
    app = make_app(committee, saves, chair_loader=_loader(committee, sailor))
    async with app.run_test(size=(80, 24)) as pilot:
        await _title(pilot)
        page = _page(app)
        assert "Chair: On the Executive Committee" in page
        assert "v  Change chair" in page
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, PickDialog)
        assert "Enter: play this chair" in str(app.screen.query_one(".dialog-keys", Static).render())
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen) and app.story is sailor
        page = _page(app)
        assert "Chair: A Kronstadt sailor" in page and "the sailor's afternoon" in page
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)  # the sailor's content note first
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen) and app.screen.state.scene == sailor.start


async def test_start_at_a_chapter_offers_the_chosen_chairs_chapters(committee, sailor, saves):  # type: ignore[no-untyped-def]
    app = make_app(committee, saves, chair_loader=_loader(committee, sailor))
    async with app.run_test(size=(100, 32)) as pilot:
        await _title(pilot)
        await pilot.press("v", "down", "enter")
        await pilot.pause()
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, PickDialog)
        labels = [str(app.screen.items[k]) for k in app.screen.items]
        assert any("The crossing" in label for label in labels), labels
        await pilot.press("down", "enter")  # chapter 2, the balcony
        await pilot.pause()
        await pilot.press("enter")  # the story so far
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen) and app.screen.state.scene == "mansion_garden"


async def test_a_chair_given_on_the_command_line_is_shown_but_not_offered(committee, sailor, saves):  # type: ignore[no-untyped-def]
    app = make_app(sailor, saves, chair_loader=_loader(committee, sailor), chair_fixed=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await _title(pilot)
        page = _page(app)
        assert "Chair: A Kronstadt sailor" in page and "Change chair" not in page
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen) and app.story is sailor


async def test_loading_a_save_of_the_other_chair_opens_that_chair(committee, sailor, saves):  # type: ignore[no-untyped-def]
    store = SaveStore(saves)
    state = engine.new_game(sailor, seed=3)
    state = engine.choose(sailor, state, next(c.id for c in engine.choices(sailor, state) if c.enabled))
    store.write("on the barge", sailor, state, {})
    app = make_app(committee, saves, chair_loader=_loader(committee, sailor))
    async with app.run_test(size=(100, 32)) as pilot:
        await _title(pilot)
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, SavesScreen)
        info = app.screen.infos[0]
        assert info.error is None and info.scene_title and info.scene_title.startswith("A Kronstadt sailor: ")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen)
        assert app.story is sailor and app.screen.state.scene == state.scene


def test_live_reload_keeps_the_chair_being_played(tmp_path: Path) -> None:
    """`tauride play --watch --chair sailor`: an edit reloads the sailor's chair, not the folder's first."""
    import os
    import shutil

    from game.tui.watch import StoryWatcher

    folder = tmp_path / "scenes"
    shutil.copytree(SCENES, folder)
    watcher = StoryWatcher(str(folder), lambda: "sailor")
    edited = folder / "sailor" / "08-crossing.yaml"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    os.utime(edited, ns=(1, 1))  # a different time from the one seen, whatever the clock's tick
    reload = watcher.poll()
    assert reload is not None and reload.story is not None, reload and reload.problems
    assert reload.story.chair == "sailor"
