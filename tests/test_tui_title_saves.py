"""Title screen, continue, named saves, the saves screen, quitting, and terminal sizes."""

from __future__ import annotations

import json

import pytest
from textual.widgets import DataTable, Input
from tui_helpers import make_app, settle

from game import engine
from game.saves import SaveStore
from game.tui.screens.confirm import ConfirmDialog
from game.tui.screens.play import PlayScreen
from game.tui.screens.prompt import PromptDialog
from game.tui.screens.saves import SavesScreen
from game.tui.screens.title import TitlePage, TitleScreen
from game.tui.widgets.clock_header import ClockHeader


def menu_lines(app) -> list[tuple[str, bool]]:
    """The title menu's lines as drawn, and whether each is disabled."""
    page = app.screen.query_one(TitlePage)
    drawn = page.render().plain
    assert all(item.text in drawn for item in page.items)
    return [(item.text, item.disabled) for item in page.items]


async def test_a_fresh_start_shows_the_title_and_n_starts_a_new_game(mini, saves):
    app = make_app(mini, saves)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)
        assert menu_lines(app) == [
            ("n  New game", False), ("c  Continue  (no autosave yet)", True),
            ("l  Load a save", False), ("q  Quit", False),
        ]
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        assert app.screen.state.scene == "a" and app.screen.state.origin.seed == 7


async def test_continue_resumes_the_autosave(mini, saves):
    store = SaveStore(saves)
    state = engine.choose(mini, engine.new_game(mini, seed=1), "keep")
    store.autosave(mini, state)
    app = make_app(mini, saves)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.pause()
        assert menu_lines(app)[1] == ("c  Continue  (16:15 · The session)", False)
        await pilot.press("enter")  # continue is highlighted when there is one
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        assert app.screen.state == state


async def test_an_unreadable_autosave_cannot_be_continued_and_says_so(mini, saves):
    (saves / "autosave.json").write_text("{ not json")
    app = make_app(mini, saves)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.pause()
        assert menu_lines(app)[1] == ("c  Continue  (the autosave cannot be read)", True)
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)
        assert any("corrupt" in str(n.message) for n in app._notifications)


async def test_an_autosave_of_another_story_says_whose_it_is_and_where_it_goes(mini, saves):
    """Stories played from one save folder share its autosave: the title says whose game it holds (the first
    choice keeps it as 'july-days autosave', and says so)."""
    from pathlib import Path

    from game.story_folder import load_folder

    shipped = load_folder(str(Path(__file__).resolve().parent.parent / "scenes"))
    SaveStore(saves).autosave(shipped, engine.new_game(shipped, seed=3))
    app = make_app(mini, saves)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.pause()
        assert menu_lines(app)[1] == ("c  Continue  (a game of july-days: it will be kept)", True)


async def test_the_save_dialog_writes_a_named_slot(mini, saves):
    app = make_app(mini, saves, fresh=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("1", "s")
        await pilot.pause()
        assert isinstance(app.screen, PromptDialog)
        await pilot.press(*"before dusk", "enter")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
    data = json.loads((saves / "before dusk.json").read_text())
    assert data["state"]["scene"] == "b"


async def test_a_bad_save_name_is_refused_in_the_dialog(mini, saves):
    app = make_app(mini, saves, fresh=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await pilot.pause()
        await pilot.press(*"../escape", "enter")
        await pilot.pause()
        assert isinstance(app.screen, PromptDialog)
        assert "not a usable save name" in str(app.screen.query_one("#problem").render())
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
    assert sorted(p.name for p in saves.iterdir()) == []
    assert not (saves.parent / "escape.json").exists()


async def test_saving_over_a_slot_asks_first(mini, saves):
    SaveStore(saves).write("slot", mini, engine.new_game(mini, seed=1))
    app = make_app(mini, saves, fresh=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("1", "s", *"slot", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await pilot.pause()
        assert json.loads((saves / "slot.json").read_text())["state"]["scene"] == "a"
        await pilot.press("s", *"slot", "enter", "y")
        await pilot.pause()
        assert json.loads((saves / "slot.json").read_text())["state"]["scene"] == "b"


async def test_the_saves_screen_lists_loads_renames_and_deletes(mini, saves):
    store = SaveStore(saves)
    later = engine.choose(mini, engine.new_game(mini, seed=1), "tell")
    store.write("early", mini, engine.new_game(mini, seed=1))
    store.write("later", mini, later)
    (saves / "broken.json").write_text("{ not json")
    app = make_app(mini, saves)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, SavesScreen)
        table = app.screen.query_one(DataTable)
        rows = {table.get_row_at(i)[0]: table.get_row_at(i) for i in range(table.row_count)}
        assert set(rows) == {"early", "later", "broken"}
        assert rows["later"][1:4] == ["The session", "16:00", "1"]
        assert rows["broken"][1].startswith("cannot be read: ") and "broken.json" in rows["broken"][1]
        # the corrupt one refuses to load, by name, and leaves the screen open
        app.screen.query_one(DataTable).move_cursor(row=[r[0] for r in map(table.get_row_at, range(3))].index("broken"))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SavesScreen)
        # rename 'early'
        table.move_cursor(row=[table.get_row_at(i)[0] for i in range(3)].index("early"))
        await pilot.press("r")
        await pilot.pause()
        app.screen.query_one(Input).value = ""
        await pilot.press(*"first", "enter")
        await pilot.pause()
        assert (saves / "first.json").exists() and not (saves / "early.json").exists()
        # delete 'first', confirming
        await pilot.press("d", "y")
        await pilot.pause()
        assert not (saves / "first.json").exists()
        # load 'later'
        table = app.screen.query_one(DataTable)
        table.move_cursor(row=[table.get_row_at(i)[0] for i in range(table.row_count)].index("later"))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        assert app.screen.state == later


async def test_the_autosave_is_neither_renamed_nor_taken_as_a_new_name(mini, saves):
    """The game's own save: renamed away, Continue found nothing; renamed to, the next choice wrote over it."""
    store = SaveStore(saves)
    store.autosave(mini, engine.choose(mini, engine.new_game(mini, seed=1), "tell"))
    store.write("early", mini, engine.new_game(mini, seed=1))
    assert "is the game's own save of the game going on" in (store.rename_problem("autosave") or "")
    assert "'Autosave-sailor' is kept by the game itself" in (store.rename_problem("early", "Autosave-sailor") or "")
    app = make_app(mini, saves)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        table.move_cursor(row=[table.get_row_at(i)[0] for i in range(table.row_count)].index("autosave"))
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, SavesScreen)  # refused before a name is typed
        assert any("the game's own save" in str(n.message) for n in app._notifications)
        table.move_cursor(row=[table.get_row_at(i)[0] for i in range(table.row_count)].index("early"))
        await pilot.press("r")
        await pilot.pause()
        app.screen.query_one(Input).value = "autosave"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PromptDialog)  # the dialog stays, with why
        assert "kept by the game itself" in app.screen.query_one("#problem").render().plain
    assert sorted(p.name for p in saves.iterdir()) == ["autosave.json", "early.json"]


async def test_loading_during_play_replaces_the_state(mini, saves):
    SaveStore(saves).write("start", mini, engine.new_game(mini, seed=3))
    app = make_app(mini, saves, fresh=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("1", "l")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        table.move_cursor(row=[table.get_row_at(i)[0] for i in range(table.row_count)].index("start"))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        assert app.screen.state.scene == "a" and app.screen.state.log == ()
        assert "16:00" in str(app.screen.query_one(ClockHeader).render())


async def test_quit_leaves_at_once_when_everything_is_autosaved(mini, saves):
    app = make_app(mini, saves, fresh=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("1", "q")
        await pilot.pause()
    assert app.return_code == 0
    assert (saves / "autosave.json").exists()


async def test_quit_asks_when_the_autosave_failed(mini, saves):
    blocker = saves / "not-a-folder"
    blocker.write_text("a file where the save folder should be")
    app = make_app(mini, blocker, fresh=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("1")
        await pilot.pause()
        assert app.screen.unsaved
        assert any("Autosave failed" in str(n.message) for n in app._notifications)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        asked = app.screen
        await pilot.press("q")  # on the question itself: not its answer, and not the question again
        await pilot.pause()
        assert app.screen is asked and app.return_code is None
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        await pilot.press("q", "y")
        await pilot.pause()
    assert app.return_code == 0


@pytest.mark.parametrize("size", [(20, 6), (60, 20), (200, 60)])
async def test_any_terminal_size_plays_without_crashing(mini, saves, size):
    app = make_app(mini, saves)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await settle(pilot)
        await pilot.press("n", "1")
        await pilot.pause()
        assert app.screen.state.scene == "b"


async def test_resizing_keeps_the_place(mini, saves):
    app = make_app(mini, saves, fresh=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("2")  # read it aloud: going home stays locked
        for size in [(60, 20), (30, 10), (10, 4), (100, 30)]:
            await pilot.resize_terminal(*size)
            await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        assert app.screen.state.scene == "b"
        assert app.screen.has_class("-wide")
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        assert app.screen.has_class("-narrow")
        await pilot.press("2")  # still locked, still answered
        await pilot.pause()
        assert app.screen.state.scene == "b"


async def test_a_new_game_keeps_an_unfinished_autosave_under_a_name(mini, saves):
    unfinished = engine.choose(mini, engine.new_game(mini, seed=1), "tell")
    SaveStore(saves).autosave(mini, unfinished)
    app = make_app(mini, saves)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "16:00 · The session" in app.screen.detail and "'earlier game'" in app.screen.detail
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen) and app.screen.state.log == ()
        assert [p.name for p in saves.iterdir()] == ["autosave.json"]  # kept where it was until a choice
        await pilot.press("1")
        await settle(pilot)
        assert len(app.screen.state.log) == 1
    assert SaveStore(saves).load("earlier game", mini) == unfinished
    assert len(SaveStore(saves).load("autosave", mini).log) == 1


async def test_a_new_game_over_a_finished_one_asks_nothing(mini, saves):
    finished = engine.choose(mini, engine.choose(mini, engine.new_game(mini, seed=1), "keep"), "end")
    SaveStore(saves).autosave(mini, finished)
    app = make_app(mini, saves)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen)


async def test_the_title_menu_answers_arrows_skipping_what_cannot_be_done_and_clicks(mini, saves):
    app = make_app(mini, saves)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        page = app.screen.query_one(TitlePage)
        assert page.items[page.highlighted].id == "new"
        await pilot.press("down")  # "Continue" is disabled without an autosave: skipped
        assert page.items[page.highlighted].id == "load"
        await pilot.press("down", "down", "up")
        assert page.items[page.highlighted].id == "load"
        row = next(row for row, index in page._menu_rows.items() if page.items[index].id == "load")
        await pilot.click(TitlePage, offset=(page.size.width // 2, row + page.styles.padding.top))
        await pilot.pause()
        assert isinstance(app.screen, SavesScreen)


async def test_from_an_ending_back_to_the_title_and_into_a_new_game(mini, saves):
    app = make_app(mini, saves)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        title = app.screen
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        await pilot.press("2")
        await pilot.pause()
        from game.tui.screens.ending import EndingScreen

        assert isinstance(app.screen, EndingScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is title and len(app.screen_stack) == 1  # back down to the title, nothing left above
        assert menu_lines(app)[1] == ("c  Continue  (16:15 · Home)", False)  # the menu is read afresh
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen) and app.screen.state.scene == "a" and not app.screen.state.log
        await pilot.press("1")
        await settle(pilot)
        await pilot.press("2")
        await pilot.pause()
        assert isinstance(app.screen, EndingScreen)
        await pilot.press("n")  # from the ending, "n" is a new game at once, as its key says
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen) and not app.screen.state.log
        assert app.screen_stack[0] is title and len(app.screen_stack) == 2
