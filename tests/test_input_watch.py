"""`tauride play --watch`: a reload that finds bad input shows it and keeps the running game (issue 11).

Before: a scene file given an integer of 5,000 digits made the reload raise
ValueError out of the watcher, which ended the game the writer was playing.
"""

from __future__ import annotations

from game.tui.watch import StoryErrors, StoryWatcher
from tests.test_tools_tui_writer import MANIFEST, SCENES, folder, ready, touch_write, writer_app  # noqa: F401

HUGE = "9" * 5000


async def test_a_huge_integer_saved_during_watch_is_shown_and_the_game_goes_on(folder, tmp_path):  # noqa: F811
    app = writer_app(folder, tmp_path, watch=str(folder))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        old_story = app.story
        touch_write(folder / "scenes.yaml", SCENES + f"extra: {HUGE}\n")
        await app.check_files()
        await pilot.pause()
        text = str(app.screen.query_one(StoryErrors).render())
        assert "does not load" in text and "scenes.yaml:21:8: a number of 5,000 characters is too long" in text
        assert app.story is old_story
        await pilot.press("1")  # the game still plays
        await ready(pilot)
        assert app.play_screen().state.scene == "door"  # type: ignore[union-attr]


def test_the_watcher_turns_a_loader_fault_into_a_problem(folder, monkeypatch):  # noqa: F811
    watcher = StoryWatcher(str(folder))

    def broken(_folder: str, _chair: object = None) -> object:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr("game.tui.watch.open_story", broken)
    result = watcher.reload()
    assert result.story is None
    assert [p.message for p in result.problems] == [
        "the story could not be loaded (RecursionError: maximum recursion depth exceeded)"]
