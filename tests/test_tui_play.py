"""The play screen as a player meets it: keys, mouse, locks, costs, the panel, autosave."""

from __future__ import annotations

import json

from textual import events
from textual.style import Style
from textual.visual import Visual
from tui_helpers import make_app, settle

from game.saves import SaveError
from game.tui.screens.confirm import ConfirmDialog
from game.tui.screens.ending import EndingScreen
from game.tui.screens.play import PlayScreen
from game.tui.widgets.choice_list import ChoiceList
from game.tui.widgets.clock_header import ClockHeader
from game.tui.widgets.status_panel import StatusPanel


def rendered(widget) -> str:
    return str(widget.render())


def choice_lines(app, width: int = 80) -> list[str]:
    """Each choice as the list draws it, `width` cells wide (wrapped lines joined with newlines)."""
    options = app.screen.query_one(ChoiceList)
    out = []
    for i in range(options.option_count):
        strips = Visual.to_strips(options, options.get_option_at_index(i).prompt, width, None, Style())
        out.append("\n".join(strip.text.rstrip() for strip in strips))
    return out


async def test_a_given_state_opens_straight_into_play(mini, saves):
    app = make_app(mini, saves, fresh=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        header = rendered(app.screen.query_one(ClockHeader))
        assert "16:00" in header and "Catherine Hall" in header and "The wire" in header
        assert choice_lines(app) == ["1. Keep it secret  (takes 15 min)", "2. Read it aloud (2)"]


async def test_a_number_key_chooses_and_the_step_is_autosaved(mini, saves):
    app = make_app(mini, saves, fresh=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("1")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PlayScreen)
        assert screen.state.scene == "b"
        assert [(e.scene, e.choice) for e in screen.state.log] == [("a", "keep")]
        assert "16:15" in rendered(screen.query_one(ClockHeader))
    saved = json.loads((saves / "autosave.json").read_text())
    assert saved["state"]["scene"] == "b"
    assert saved["state"]["log"] == [{"scene": "a", "choice": "keep", "clock": 960}]


async def test_a_choice_taken_just_before_quitting_is_still_autosaved(mini, saves):
    """The autosave waits for the new scene's frame; quitting before that frame still writes it."""
    app = make_app(mini, saves, fresh=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await app.screen.take("keep")  # no pause: the scene is drawn but its frame is not out yet
        assert not (saves / "autosave.json").exists()
        app.exit()
    saved = json.loads((saves / "autosave.json").read_text())
    assert saved["state"]["scene"] == "b"


async def test_quitting_right_after_a_choice_whose_autosave_fails_asks_first(mini, saves):
    app = make_app(mini, saves, fresh=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)

        def full_disk(*args, **kwargs):
            raise SaveError("No space left on device")

        app.store.autosave = full_disk  # type: ignore[method-assign]
        await app.screen.take("keep")  # no pause: the autosave is still waiting for the frame
        await app.action_quit()
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert app.return_code is None


async def test_arrows_and_enter_choose_the_highlighted_choice(mini, saves):
    app = make_app(mini, saves, fresh=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert [e.choice for e in app.screen.state.log] == ["tell"]


async def test_a_mouse_click_chooses(mini, saves):
    app = make_app(mini, saves, fresh=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.pause()
        # the second choice sits on the second line inside the list's border
        assert await pilot.click(ChoiceList, offset=(5, 2))
        await pilot.pause()
        assert [e.choice for e in app.screen.state.log] == ["tell"]


async def test_a_locked_choice_shows_its_reason_and_cannot_be_taken(mini, saves):
    app = make_app(mini, saves, fresh=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("2")  # read it aloud: the secret stays unkept
        await pilot.pause()
        lines = choice_lines(app)
        assert lines[1] == "2. [locked] Go home\n   You have nothing to hide yet"
        await pilot.press("2")
        await pilot.pause()
        assert app.screen.state.scene == "b"
        assert len(app.screen.state.log) == 1
        assert any("You have nothing to hide yet" in str(n.message) for n in app._notifications)


async def test_two_quick_presses_choose_only_once(mini, saves):
    app = make_app(mini, saves, fresh=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.pause()
        # two key presses queued before the first has been handled
        app.post_message(events.Key("1", "1"))
        app.post_message(events.Key("1", "1"))
        for _ in range(100):  # under load the first press may take a while: wait for it, bounded
            if app.screen.state.log:
                break
            await pilot.pause(0.05)
        for _ in range(5):  # then give a second press every chance to be (wrongly) taken too
            await pilot.pause(0.05)
        state = app.screen.state
        assert [(e.scene, e.choice) for e in state.log] == [("a", "keep")]
        assert state.scene == "b" and state.clock == 16 * 60 + 15


async def test_the_panel_shows_shown_variables_in_words_bars_and_moves(mini, saves):
    app = make_app(mini, saves, fresh=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.pause()
        panel = rendered(app.screen.query_one(StatusPanel))
        assert panel == "Resolve\n████░░░░░░ 2/5"
        assert "Secret" not in panel  # not marked shown
        await pilot.press("1")
        await pilot.pause()
        assert rendered(app.screen.query_one(StatusPanel)) == "Resolve\n██████░░░░ 3/5 ▲1"


async def test_an_event_fired_by_the_clock_takes_over(mini, saves):
    app = make_app(mini, saves, fresh=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("1")  # 16:15
        await pilot.pause()
        await pilot.press("1")  # wait: 16:45
        await pilot.pause()
        await pilot.press("1")  # wait: 17:15, the sailors arrive
        await pilot.pause()
        assert app.screen.state.scene == "sailors"
        assert "Sailors at the gate!" in app.screen.query_one("#scene-text").source


async def test_reaching_an_ending_shows_its_title_epilogue_and_note(mini, saves):
    app = make_app(mini, saves, fresh=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        assert isinstance(app.screen, EndingScreen)
        assert rendered(app.screen.query_one("#ending-title")) == "The end"
        text = app.screen.query_one("#ending-text").source
        assert "Over." in text and "Really." in text
        assert rendered(app.screen.query_one("#ending-verdict")) == "The historical outcome: this is how the day really ended."
        # u takes the last choice back, into play again
        await pilot.press("u")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        assert app.screen.state.scene == "b" and len(app.screen.state.log) == 1


async def test_page_keys_scroll_a_long_scene(make_story, saves):
    from game.story_folder import load_folder

    long_text = "\n\n".join(f"Paragraph {i} of a long scene." for i in range(40))
    folder = make_story({
        "story.yaml": 'title: Long\nid: long\nstart: a\nclock: {start: "16:00", end: "18:00"}\n',
        "a.yaml": "scenes:\n  - id: a\n    title: Long\n    text: |\n"
        + "".join(f"      {line}\n" for line in long_text.splitlines())
        + "    choices: [{id: go, text: Go, goto: z}]\n"
        "  - {id: z, title: Z, text: Z., ending: {title: Z, epilogue: Z., history: Z.}}\n",
    })
    app = make_app(load_folder(str(folder)), saves, fresh=False)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        await pilot.pause()
        reading = app.screen.query_one("#reading")
        assert reading.scroll_y == 0
        await pilot.press("pagedown")
        await pilot.pause()
        assert reading.scroll_y > 0


async def test_a_choice_that_asks_for_reflection_takes_the_answer_into_the_log(make_story, saves):
    from game.story_folder import load_folder
    from game.tui.screens.prompt import PromptDialog

    story = load_folder(str(make_story({
        "story.yaml": 'title: R\nid: r\nstart: a\nclock: {start: "16:00", end: "18:00"}\n',
        "a.yaml": "scenes:\n  - id: a\n    title: A\n    text: Cheer?\n    choices:\n"
                  "      - {id: cheer, text: Cheer, goto: z, reflect: What were you greeting?}\n"
                  "  - {id: z, title: Z, text: Z., ending: {title: Z, epilogue: Z., history: Z.}}\n",
    }, name="reflect")))
    app = make_app(story, saves, fresh=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, PromptDialog) and app.screen.question == "What were you greeting?"
        await pilot.press("1")  # typed into the answer: it does not choose again
        await pilot.press("ctrl+u", *"the end of it", "enter")
        await pilot.pause()
        play = app.screen_stack[1]
        assert [(e.choice, e.answer) for e in play.state.log] == [("cheer", "the end of it")]
    saved = json.loads((saves / "autosave.json").read_text())
    assert saved["state"]["log"][0]["answer"] == "the end of it"


async def test_a_long_reflection_question_is_shown_whole_and_wrapped(make_story, saves):
    from game.story_folder import load_folder
    from game.tui.screens.prompt import PromptDialog

    question = ("Why might a column of armoured cars on Liteiny calm the sailors at the palace, "
                "and why might it do the very opposite?")
    story = load_folder(str(make_story({
        "story.yaml": 'title: R\nid: r\nstart: a\nclock: {start: "16:00", end: "18:00"}\n',
        "a.yaml": "scenes:\n  - id: a\n    title: A\n    text: Cars?\n    choices:\n"
                  f"      - {{id: cars, text: Send the cars, goto: z, reflect: \"{question}\"}}\n"
                  "  - {id: z, title: Z, text: Z., ending: {title: Z, epilogue: Z., history: Z.}}\n",
    }, name="reflect-long")))
    app = make_app(story, saves, fresh=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, PromptDialog)
        shown = app.screen.query_one("#question")
        lines = [line.text.rstrip() for line in shown.render_lines(shown.region.reset_offset)]  # type: ignore[attr-defined]
        assert shown.region.height >= 2, "the question was cut to one line"
        assert " ".join(" ".join(lines).split()) .startswith(question[:60])
        assert question.split()[-1] in " ".join(lines)
