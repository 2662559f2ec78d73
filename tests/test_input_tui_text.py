"""The game's screens show story and player text as written, never as Textual markup (issue 11, Pilot).

Before: a `[/]` in a scene title, a reflection question, a typed save name
or any notification raised MarkupError when drawn, which ended the game;
`[sic]` in a title vanished.
"""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Static

from game.tui.screens.prompt import PromptDialog
from tests.conftest import MINI_MANIFEST, MINI_SCENES
from tests.story_input import load_dir
from tests.tui_helpers import make_app, screen_text, settle


def bracket_story(make_story):  # type: ignore[no-untyped-def]
    scenes = (MINI_SCENES.replace("title: The wire", "title: The wire [sic] from [/] the front")
              .replace("{id: tell, text: \"Read it aloud ({resolve})\", goto: b}",
                       "{id: tell, text: \"Read it aloud ({resolve})\", goto: b, reflect: \"Why [/] say it [bold]aloud[/bold]?\"}"))
    assert "reflect:" in scenes
    return load_dir(str(make_story({"story.yaml": MINI_MANIFEST, "16.yaml": scenes})))


async def test_scene_title_and_reflection_question_show_brackets_as_written(make_story, saves: Path) -> None:
    app = make_app(bracket_story(make_story), saves, fresh=False)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert app.screen.query_one("#scene-title", Static).render().plain == "The wire [sic] from [/] the front"  # type: ignore[union-attr]
        await pilot.press("2")  # 'tell' asks for a reflection
        for _ in range(20):
            await pilot.pause()
            if isinstance(app.screen, PromptDialog):
                break
        assert isinstance(app.screen, PromptDialog)
        assert "Why [/] say it [bold]aloud[/bold]?" in screen_text(app)
        await pilot.press(*"a [/] b", "enter")
        await settle(pilot)
        play = app.play_screen()
        assert play is not None and play.state.log[-1].answer == "a [/] b"


async def save_dialog(pilot, app) -> None:  # type: ignore[no-untyped-def]
    """`s` in play, and the save dialog up."""
    await pilot.press("s")
    for _ in range(20):
        await pilot.pause()
        if isinstance(app.screen, PromptDialog):
            return
    raise AssertionError("the save dialog never came up")


async def test_a_typed_save_name_with_markup_is_refused_in_words_not_a_crash(make_story, saves: Path) -> None:
    app = make_app(bracket_story(make_story), saves, fresh=False)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await save_dialog(pilot, app)
        await pilot.press(*"[/]", "enter")
        await pilot.pause()
        problem = app.screen.query_one("#problem", Static).render().plain  # type: ignore[union-attr]
        assert problem.startswith("Not accepted: '[/]' is not a usable save name")


async def test_every_refused_save_name_keeps_the_dialog_and_says_which_rule(make_story, saves: Path) -> None:
    """The game's own name ('AutoSave') closed the dialog with a toast, losing what was typed, where every
    other refusal kept it open; and one sentence served every fault, whichever it was."""
    app = make_app(bracket_story(make_story), saves, fresh=False)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await save_dialog(pilot, app)
        dialog = app.screen
        for typed, said in [("AutoSave", "'AutoSave' is kept by the game itself"),
                            ("x" * 70, "it is 70 characters long; keep it to 64"),
                            ("Пётр 1917 ☭", "character 11 ('☭') cannot be in a save name")]:
            dialog.query_one(Input).value = typed
            await pilot.press("enter")
            await pilot.pause()
            assert app.screen is dialog and dialog.query_one(Input).value == typed  # open, the name still there
            assert said in dialog.query_one("#problem", Static).render().plain  # type: ignore[union-attr]


async def test_a_notification_quoting_markup_is_drawn_as_text(make_story, saves: Path) -> None:
    app = make_app(bracket_story(make_story), saves, fresh=False)
    async with app.run_test(size=(100, 32), notifications=True) as pilot:
        await settle(pilot)
        app.notify("effect 'x [/] y' failed [sic]", title="Story error [/]")
        app.screen.notify("from a screen [/]")
        for _ in range(5):
            await pilot.pause()
        toasts = [str(t.render()) for t in app.screen.query("Toast")]
        assert any("effect 'x [/] y' failed [sic]" in t for t in toasts), toasts
        assert any("from a screen [/]" in t for t in toasts), toasts


async def test_the_saves_list_shows_a_bracketed_scene_title_as_written(make_story, saves: Path) -> None:
    from textual.widgets import DataTable

    app = make_app(bracket_story(make_story), saves, fresh=False)
    async with app.run_test(size=(120, 32)) as pilot:
        await settle(pilot)
        await save_dialog(pilot, app)
        await pilot.press(*"first", "enter")
        await settle(pilot)
        await pilot.press("l")
        for _ in range(20):
            await pilot.pause()
            if app.screen.query(DataTable):
                break
        app.screen.query_one(DataTable)  # the table is on the screen
        await pilot.pause()
        await pilot.pause()
        drawn = app.export_screenshot()  # draws every visible cell, as the terminal would get it
        assert "The&#160;wire&#160;[sic]&#160;from&#160;[/]" in drawn.replace(" ", "&#160;")
