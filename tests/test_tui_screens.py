"""The player's screens beyond play: undo, names in context, history, journal, glossary,
timeline, debrief, settings and help — each reached by its key, as a player would."""

from __future__ import annotations

import json

import pytest
from textual.widgets import Input, Markdown, OptionList, Static
from tui_helpers import make_app, settle
from wire_story import FILES

from game import engine
from game.settings import Settings, load_settings
from game.story.model import History
from game.story_folder import load_folder
from game.tui.screens.debrief import DebriefScreen
from game.tui.screens.ending import EndingScreen
from game.tui.screens.glossary import GlossaryScreen
from game.tui.screens.help import HelpScreen
from game.tui.screens.journal import JournalScreen
from game.tui.screens.notes import NoteDialog, PickDialog, history_markdown
from game.tui.screens.play import PlayScreen
from game.tui.screens.settings import SettingsScreen
from game.tui.screens.timeline import TimelineScreen
from game.tui.widgets.choice_list import ChoiceList
from game.tui.widgets.scene_text import SceneText


@pytest.fixture
def wire(make_story):
    return load_folder(str(make_story(FILES, name="wire")))


def text_of(widget) -> str:
    return widget.source if isinstance(widget, Markdown) else str(widget.render())


async def press_and_settle(pilot, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


# ------------------------------------------------------------------ undo
async def test_u_takes_back_the_last_choice_and_the_autosave_follows(wire, saves):
    app = make_app(wire, saves, fresh=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press_and_settle(pilot, "1", "u")
        assert app.screen.state == engine.new_game(wire, seed=7)
        assert json.loads((saves / "autosave.json").read_text())["state"]["log"] == []
        await pilot.press("u")
        await pilot.pause()
        assert any("Nothing to undo" in str(n.message) for n in app._notifications)


async def test_shift_u_goes_back_several_choices_to_a_point_picked_from_the_journal(wire, saves):
    app = make_app(wire, saves, fresh=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press_and_settle(pilot, "1", "1", "1")  # keep, sit, sit: 16:45 in the session
        assert len(app.screen.state.log) == 3
        await pilot.press("U")
        await pilot.pause()
        assert isinstance(app.screen, PickDialog)
        menu = app.screen.query_one(OptionList)
        labels = [str(menu.get_option_at_index(i).prompt) for i in range(menu.option_count)]
        assert labels == [
            "16:45  The session — before “Sit it out”",
            "16:15  The session — before “Sit it out”",
            "16:00  The wire — before “Keep it secret”",
        ]
        await pilot.press("down", "down", "enter")  # back to the very start
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen)
        assert app.screen.state.log == () and app.screen.state.scene == "office"


# ------------------------------------------------------------------ names in context
async def test_names_in_the_text_are_marked_and_open_their_entry_by_keyboard(wire, saves):
    app = make_app(wire, saves, fresh=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        text = app.screen.query_one(SceneText)
        assert text.full.startswith("[Chkheidze](gloss:chkheidze) hands you the form.")
        assert app.screen.query_one(ChoiceList).border_subtitle == "e: 1 name on this page"
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, PickDialog)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, NoteDialog)
        note = app.screen.query_one(Markdown).source
        assert "Chaired the Petrograd Soviet." in note and "Stormy Passage" in note
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen) and app.screen.state.scene == "office"


async def test_clicking_a_marked_name_opens_its_entry_without_leaving_the_page(wire, saves):
    app = make_app(wire, saves, fresh=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        paragraph = app.screen.query_one(SceneText).children[0]
        assert await pilot.click(paragraph, offset=(3, 0))
        await pilot.pause()
        assert isinstance(app.screen, NoteDialog)
        assert app.screen.title_text == "Nikolai Chkheidze"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)


# ------------------------------------------------------------------ history on demand
async def test_h_shows_the_scene_history_with_its_sources(wire, saves):
    app = make_app(wire, saves, fresh=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, NoteDialog)
        assert app.screen.title_text == "History: The wire"
        note = app.screen.query_one(Markdown).source
        assert "Chkheidze kept the wire back." in note
        assert "- [SP] W. S. Woytinsky, Stormy Passage (1961)" in note


def test_an_invented_scene_says_so_and_a_scene_without_a_note_says_that(wire):
    invented = history_markdown(wire, History(note="Nobody did this.", invention=True))
    assert invented.startswith("**Invented scene.**")
    assert history_markdown(wire, None) == "*The writer left no historical note for this scene.*"


# ------------------------------------------------------------------ journal
async def test_the_journal_lists_the_playthrough_and_searches_it(wire, saves):
    app = make_app(wire, saves, fresh=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press_and_settle(pilot, "2", "1")  # read it aloud, then sit it out
        await pilot.press("j")
        await pilot.pause()
        assert isinstance(app.screen, JournalScreen)
        headings = [text_of(h) for h in app.screen.query(".entry-heading").results(Static)]
        sources = [m.content.markup for m in app.screen.query(".entry-text").results(Static)]
        assert headings == ["16:00 · Tauride Palace — The wire", "16:00 · Catherine Hall — The session",
                            "16:30 · Catherine Hall — The session"]
        assert sources[0].startswith("Chkheidze hands you the form.")
        assert "**You chose:** Read it aloud (resolve 2)" in sources[0]
        assert "**You are here.**" in sources[2]
        await pilot.press("slash", *"roar", "enter")
        await pilot.pause()
        found = text_of(app.screen.query_one("#journal-found", Static))
        assert found.startswith("2 matches in 2 entries")
        marks = [text_of(m) for m in app.screen.query(".entry-mark").results(Static)]
        assert marks == ["", "▶ ◆ match (1) — 1 of 2", "◆ match (1)"]
        await pilot.press("n")
        assert [text_of(m) for m in app.screen.query(".entry-mark").results(Static)][2] == "▶ ◆ match (1) — 2 of 2"
        await pilot.press("slash", "ctrl+u", *"xyzzy")
        await pilot.pause()
        assert app.screen.query_one(Input).value == "xyzzy"
        assert "No match" in text_of(app.screen.query_one("#journal-found", Static))
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)


# ------------------------------------------------------------------ glossary
async def test_the_glossary_lists_only_entries_met_so_far(wire, saves):
    app = make_app(wire, saves, fresh=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, GlossaryScreen)
        menu = app.screen.query_one(OptionList)
        assert [menu.get_option_at_index(i).id for i in range(menu.option_count)] == ["tauride", "chkheidze"]
        assert "Seat of the Soviet in 1917." in app.screen.query_one("#glossary-text", Markdown).source
        await pilot.press("down")
        await pilot.pause()
        assert "Chaired the Petrograd Soviet." in app.screen.query_one("#glossary-text", Markdown).source
        assert text_of(app.screen.query_one(".screen-title")) == "Glossary — 2 of 4 entries met so far"


# ------------------------------------------------------------------ timeline and debrief
async def test_the_timeline_marks_where_the_player_is_and_where_the_paths_part(wire, saves):
    app = make_app(wire, saves, fresh=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press_and_settle(pilot, "2")  # read it aloud: not what history did
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TimelineScreen)
        assert text_of(app.screen.query_one(".screen-sub")).startswith("Your day parted from history")
        table = app.screen.query_one("#timeline-table", Static).content
        cells = ["\n".join(str(c) for c in col._cells) for col in table.columns]
        assert "✱ paths part here" in cells[2] and "◀ you are here" in cells[2]
        assert "Go out to them" in cells[1]


async def test_the_timeline_shows_only_recorded_choices_as_historys(mini, saves):
    """Where the record has no choice (a connecting scene), history's column names the scene and no choice:
    the game's own way on, shown as history's, read as a choice the player had left while the heading said
    they had done as history did (plain mode's rule too)."""
    app = make_app(mini, saves, fresh=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TimelineScreen)
        assert text_of(app.screen.query_one(".screen-sub")) == "So far you have done as history did."
        table = app.screen.query_one("#timeline-table", Static).content
        history = "\n".join(str(c) for c in table.columns[1]._cells)
        assert "→ Keep it secret" in history  # recorded
        assert "The session" in history and "→ Go home" not in history and "→ Wait" not in history


async def test_after_an_ending_the_debrief_sets_decisions_beside_history(wire, saves):
    app = make_app(wire, saves, fresh=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press_and_settle(pilot, "1", "2")  # keep it secret (as history), then go home (not)
        assert isinstance(app.screen, EndingScreen)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        text = app.screen.query_one("#debrief-text", Markdown).source
        assert "## The ending: Asleep" in text and "**History ended otherwise.**" in text
        assert "Nobody of the committee went home." in text
        assert "You did as history did in **1 of 2** decisions." in text
        assert "### 1. 16:00 · The wire — ✓ as history" in text
        assert "### 2. 16:15 · The session — ✗ **here you left history**" in text
        assert "- **You:** Go home\n- **History:** Sit it out" in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, EndingScreen)


# ------------------------------------------------------------------ settings
async def test_settings_apply_at_once_and_are_remembered_for_the_next_run(wire, saves):
    config = saves.parent / "config" / "settings.json"
    app = make_app(wire, saves, fresh=False, settings_file=config)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        await pilot.press("enter")  # theme: dark -> light
        await pilot.press("down", "down", "right")  # width: 72 -> 88
        await pilot.pause()
        assert app.theme == "tauride-light"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.query_one("#reading").styles.max_width.value == 88
    assert load_settings(config) == (Settings(theme="light", width=88), [])
    again = make_app(wire, saves, fresh=False, settings_file=config)
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert again.theme == "tauride-light"


async def test_typed_reveal_shows_the_rest_on_a_key_and_only_then_takes_choices(make_story, saves):
    words = " ".join(f"word{i}" for i in range(300))
    story = load_folder(str(make_story({
        "story.yaml": 'title: Slow\nid: slow\nstart: a\nclock: {start: "16:00", end: "18:00"}\n',
        "a.yaml": f"scenes:\n  - id: a\n    title: A\n    text: {words}\n"
                  "    choices: [{id: go, text: Go, goto: a}]\n",
    }, name="slow")))
    app = make_app(story, saves, fresh=False, settings=Settings(reveal="typed"))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        text = app.screen.query_one(SceneText)
        assert text.revealing
        assert not app.screen.query_one(ChoiceList).display
        await pilot.press("1")  # shows the rest; does not choose
        await settle(pilot)
        assert not text.revealing and app.screen.state.log == ()
        assert app.screen.query_one(ChoiceList).display
        await pilot.press("1")
        await pilot.pause()
        assert [e.choice for e in app.screen.state.log] == ["go"]
        assert text.revealing  # the next scene types out again


# ------------------------------------------------------------------ help
async def test_help_lists_every_key_of_the_play_screen(wire, saves):
    app = make_app(wire, saves, fresh=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = text_of(app.screen.query_one("#help-text"))
        for binding in PlayScreen.BINDINGS:
            if not binding.action.startswith("pick"):
                assert binding.description in text
        assert "1 … 9" in text and "Take that choice" in text
        for phrase in ("Journal", "Debrief", "Undo several", "Names", "Timeline", "Settings", "Rename", "Delete"):
            assert phrase in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
