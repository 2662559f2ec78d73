"""What the play screen asks to do after its next refresh is done, whatever dialog comes and goes meanwhile.

Textual hands an after-refresh callback to the screen on top when the request is read, and a
screen closed before its next refresh drops what it was handed. The play screen's unlock of a
new scene, its autosave after a choice and its fit after a resize were lost that way under a
dialog opened and closed at once (seen in a room of thirty: a first scene's choices locked for
good, 1 student in ~180). `ClosedAtOnce` plays such a dialog: it drops every callback handed to it.
"""

from __future__ import annotations

import pytest
from conftest import SCENES
from textual.screen import ModalScreen
from tui_helpers import make_app, settle, under_the_note

from game import engine
from game.story.model import Story
from game.story_folder import load_folder
from game.tui.screens.confirm import ConfirmDialog
from game.tui.screens.play import PlayScreen
from game.tui.widgets.choice_list import ChoiceList


class ClosedAtOnce(ModalScreen[None]):
    """A dialog closed before its next refresh: the after-refresh callbacks it was handed go with it."""

    async def _invoke_and_clear_callbacks(self) -> None:
        self._callbacks.clear()


@pytest.fixture(scope="module")
def july() -> Story:
    return load_folder(str(SCENES))


async def test_a_callback_the_play_screen_asks_for_under_a_dialog_runs_though_the_dialog_drops_its_own(mini, saves):
    app = make_app(mini, saves, fresh=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        play = app.screen
        assert isinstance(play, PlayScreen)
        ran: list[str] = []
        dialog = ClosedAtOnce()
        await app.push_screen(dialog)
        dialog.call_after_refresh(ran.append, "the dialog's own")  # (dropped, as a closed dialog's are)
        play.call_after_refresh(ran.append, "the play screen's")
        await pilot.pause(0.1)
        assert ran == ["the play screen's"]  # run at the play screen's idle: nothing of it is drawn under the dialog
        app.pop_screen()
        await pilot.pause(0.1)
        assert ran == ["the play screen's"]


async def test_a_choice_is_autosaved_though_a_dialog_came_and_went_before_the_frame(mini, saves):
    app = make_app(mini, saves, fresh=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        play = app.screen
        assert isinstance(play, PlayScreen)
        choice = next(v for v in play.query_one(ChoiceList).views if v.enabled)
        new = engine.choose(mini, play.state, choice.id)
        await app.push_screen(ClosedAtOnce())
        await play.advance(new)  # drawn; its autosave asked for after the refresh
        await pilot.pause(0.1)
        app.pop_screen()
        await settle(pilot)
        assert app.screen is play and play.state is new
        assert len(app.store.load("autosave", mini).log) == 1  # not only when the next choice or quitting comes


async def test_a_new_games_first_scene_unlocks_though_the_content_note_dropped_what_it_was_handed(
        july, saves, monkeypatch):
    """The first scene is drawn just before its content note comes up; Begin and "1" at once must play."""
    monkeypatch.setattr(ConfirmDialog, "_invoke_and_clear_callbacks", ClosedAtOnce._invoke_and_clear_callbacks)
    app = make_app(july, saves)
    async with app.run_test(size=(100, 30)) as pilot:
        play = await under_the_note(pilot, app)  # unlocked under the note, though the note dropped what it was handed
        first = play.state
        await pilot.press("enter", "1")
        await settle(pilot)
        assert app.screen is play and play.state is not first and len(play.state.log) == 1


async def test_an_autosave_written_on_its_thread_lets_go_of_the_lock_before_it_reports(mini, saves, monkeypatch):
    """A writer on its thread reported while holding the save lock, and waited for the event loop to take the
    report; leaving the screen at that moment (which writes a save still pending) waited for the lock on the
    loop: both stopped for good (seen once in a full test run). The report is queued, with the lock let go."""
    import asyncio

    app = make_app(mini, saves, fresh=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        play = app.screen
        assert isinstance(play, PlayScreen)
        held: list[bool] = []

        def noted(*args, **kwargs):  # type: ignore[no-untyped-def]
            held.append(play._save_lock.locked())
            return True

        monkeypatch.setattr(app, "call_from_thread", noted)
        monkeypatch.setattr(app, "post_message", noted)
        play._save_pending = True
        await asyncio.to_thread(play._write_autosave)
        assert held == [False]
