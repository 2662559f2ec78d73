"""From the title's "New game" to the first scene: one widget for the keys, no restyling on the way.

What made a new game slow was work that does not show: the footer built
a widget per key, and built them again at every change of bindings (each
restyled as it was mounted); the Markdown parser and the glossary's
patterns were made at the key. These tests count that work; the pty
benchmark row measures the time.
"""

from __future__ import annotations

import pytest
from conftest import SCENES
from textual.css.stylesheet import Stylesheet
from textual.widget import Widget
from textual.widgets import Footer
from tui_helpers import make_app, new_game_from_the_title, settle, under_the_note

from game import engine
from game.saves import SaveStore
from game.settings import Settings
from game.story.model import Story
from game.story_folder import load_folder
from game.tui.screens.confirm import ConfirmDialog
from game.tui.screens.journal import JournalScreen
from game.tui.screens.play import PlayScreen
from game.tui.screens.title import TitleScreen
from game.tui.widgets import scene_text
from game.tui.widgets.choice_list import ChoiceList
from game.tui.widgets.key_bar import KeyBar
from game.tui.widgets.scene_text import SceneText


@pytest.fixture(scope="module")
def july() -> Story:
    return load_folder(str(SCENES))


async def test_the_play_screen_shows_its_keys_in_one_line_and_a_click_presses_one(mini, saves):
    app = make_app(mini, saves, fresh=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        bar = app.screen.query_one(KeyBar)
        line = str(bar.render())
        assert line.startswith(" u Undo  j Journal  h History ") and " s Save " in line and line.endswith("q Quit ")
        assert not app.screen.query(Footer)
        await pilot.click(KeyBar, offset=(line.index("Journal"), 0))
        await pilot.pause()
        assert isinstance(app.screen, JournalScreen)


async def test_new_game_restyles_nothing_but_the_new_screen(mini, saves, monkeypatch):
    scene_text._parser.cache_clear()  # as in a new process: a test before may have built a parser already
    app = make_app(mini, saves)
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(20):  # the title, then what it prepares while it is read
            await pilot.pause(0.05)
        assert scene_text._parser.cache_info().currsize == 1  # the Markdown parser is ready before the key
        restyled: list[str] = []
        real = Stylesheet.update_nodes

        def counted(self, nodes, *args, **kwargs):  # type: ignore[no-untyped-def]
            nodes = list(nodes)
            # the play screen's own (the title's footer, under it, is the title's business)
            restyled.extend(type(n).__name__ for n in nodes[:1] if n is n.screen or isinstance(n.screen, PlayScreen))
            return real(self, nodes, *args, **kwargs)

        monkeypatch.setattr(Stylesheet, "update_nodes", counted)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen)
        # a footer restyled each of its keys as it was built, and built them again at each change of bindings:
        # dozens of restylings; what is left is focus moving and the breakpoints of the new screen
        assert "FooterKey" not in restyled and len(restyled) <= 8, restyled


# ---------------------------------------------------------------- the content note over a new game
# The play screen is built, its first scene drawn and its choices focused while the content note
# is read; "Begin" only takes the note away. Before, Begin composed and styled the whole play screen
# (~90 ms in a pty, the new-game row of `python -m benchmarks`; ~27 ms after).


async def test_the_first_scene_is_ready_under_the_content_note_and_begin_only_uncovers_it(july, saves, monkeypatch):
    app = make_app(july, saves)
    async with app.run_test(size=(100, 30)) as pilot:
        play = await under_the_note(pilot, app)
        assert app.screen.question == "Before you begin"
        assert play.focused is play.query_one(ChoiceList)  # the focus moved under the note, not at Begin
        assert list(saves.iterdir()) == []  # nothing is autosaved before the game begins
        restyled: list[str] = []
        real = Stylesheet.update_nodes

        def counted(self, nodes, *args, **kwargs):  # type: ignore[no-untyped-def]
            nodes = list(nodes)
            restyled.extend(type(n).__name__ for n in nodes)  # the note's too: its blurred button is never drawn again
            return real(self, nodes, *args, **kwargs)

        monkeypatch.setattr(Stylesheet, "update_nodes", counted)
        composed: list[Widget] = []
        monkeypatch.setattr(PlayScreen, "compose", lambda self: composed.append(self) or iter(()))
        await pilot.press("enter")
        await pilot.pause(0.1)
        assert app.screen is play and not composed and restyled == []
        first = play.state
        await pilot.press("1")
        await settle(pilot)
        assert play.state is not first and len(play.state.log) == 1  # it plays: the choices took the key
        assert [p.name for p in saves.iterdir()] == ["autosave.json"]


async def test_back_from_the_content_note_leaves_the_title_and_no_game(july, saves):
    app = make_app(july, saves)
    async with app.run_test(size=(100, 30)) as pilot:
        await under_the_note(pilot, app)
        await pilot.press("escape")
        await pilot.pause(0.1)
        assert isinstance(app.screen, TitleScreen) and len(app.screen_stack) == 1
        assert list(saves.iterdir()) == []


async def test_with_typed_reveal_the_scene_is_not_typed_out_behind_the_note(july, saves):
    app = make_app(july, saves, settings=Settings(reveal="typed"))
    async with app.run_test(size=(100, 30)) as pilot:
        await new_game_from_the_title(pilot)
        await pilot.pause(0.2)
        assert isinstance(app.screen, ConfirmDialog) and app.play_screen() is None
        await pilot.press("enter")
        await pilot.pause(0.1)
        assert isinstance(app.screen, PlayScreen) and app.screen.query_one(SceneText).revealing


async def test_enter_on_a_question_answers_as_the_focused_button_at_once(monkeypatch):
    """Enter takes the focused button's answer without first drawing the button pressed (a frame before Begin)."""
    from textual.app import App
    from textual.widgets import Button

    pressed: list[Button] = []
    real = Button._start_active_affect
    monkeypatch.setattr(Button, "_start_active_affect", lambda self: pressed.append(self) or real(self))
    answers: list[bool | None] = []

    class Asker(App[None]):
        def on_mount(self) -> None:
            self.push_screen(ConfirmDialog("Go?", "", "Go", "Stay"), answers.append)

    app = Asker()
    async with app.run_test() as pilot:
        await pilot.press("enter")  # "Stay" has the focus: a question that could lose work defaults to no
        await pilot.pause()
        app.push_screen(ConfirmDialog("Go?", "", "Go", "Stay"), answers.append)
        await pilot.pause()
        await pilot.press("tab", "enter")
        await pilot.pause()
        app.push_screen(ConfirmDialog("Go?", "", "Go", "Stay", default_yes=True), answers.append)
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
    assert answers == [False, True, True] and pressed == []


@pytest.mark.parametrize("key", ["q", "ctrl+q"])
async def test_quitting_at_the_content_note_asks_nothing_and_keeps_nothing(july, saves, key):
    """The game under the note has not begun: a teacher's exit question is not asked, no autosave is written.
    "q" quits here too, as the help says it does everywhere (a modal dialog cut the app's "q" off)."""
    app = make_app(july, saves, exit_question="What would you have done?")
    async with app.run_test(size=(100, 30)) as pilot:
        await under_the_note(pilot, app)
        await pilot.press(key)
        await pilot.pause(0.2)
    assert app.return_code == 0
    assert list(saves.iterdir()) == []


async def test_a_new_game_left_before_its_first_choice_leaves_the_autosave_as_it_was(july, saves):
    """Backing out at the content note, or quitting before a choice: the old game is still the autosave
    ("Continue" finds it), and no "earlier game" is left behind for a game never played."""
    unfinished = engine.choose(july, engine.new_game(july, seed=1),
                               next(c.id for c in engine.choices(july, engine.new_game(july, seed=1)) if c.enabled))
    SaveStore(saves).autosave(july, unfinished)
    app = make_app(july, saves)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        for leave in ("n", "ctrl+q"):  # the note's Back, then quitting under the note
            await pilot.press("n")
            await settle(pilot)
            assert isinstance(app.screen, ConfirmDialog) and "'earlier game'" in app.screen.detail
            await pilot.press("y")
            await settle(pilot)
            assert isinstance(app.screen, ConfirmDialog) and app.screen.question == "Before you begin"
            await pilot.press(leave)
            await settle(pilot)
            assert [p.name for p in saves.iterdir()] == ["autosave.json"]
            assert SaveStore(saves).load("autosave", july) == unfinished

