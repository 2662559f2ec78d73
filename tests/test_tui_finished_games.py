"""The full-screen game keeps every finished playthrough, with its reflection, through new games.

The repro of issue 11 on a small story: start in play, choose, answer the
reflection, reach the ending, then `n` (to the title), `n` (new game) and
a choice in the new game. The finished game must still be there, listed on
the saves screen, and load for review without being written over.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import MINI_MANIFEST
from textual.widgets import DataTable, Input
from tui_helpers import make_app, settle

from game.saves import SaveStore
from game.story_folder import load_folder
from game.tui.screens.ending import EndingScreen
from game.tui.screens.play import PlayScreen
from game.tui.screens.prompt import PromptDialog
from game.tui.screens.saves import SavesScreen

SCENES = """\
hour: {title: Four o'clock}
scenes:
  - id: a
    title: The regiment
    time: "16:00"
    text: The regiment waits for an order.
    choices:
      - {id: order, text: Order them out, goto: fin, reflect: Why did you send them?}
      - {id: wait, text: Wait, goto: a, cost: 10m}
  - id: fin
    title: Home
    text: Done.
    ending: {title: The regiment marches, epilogue: Over., history: Really., historical: true}
"""


@pytest.fixture
def story(make_story):
    return load_folder(str(make_story({"story.yaml": MINI_MANIFEST, "16.yaml": SCENES})))


async def test_a_finished_game_and_its_reflection_outlive_the_next_new_game(story, saves: Path) -> None:
    app = make_app(story, saves, fresh=False, seed=3)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, PromptDialog)
        await pilot.press(*"they asked for it", "enter")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, EndingScreen)
        await pilot.press("n")  # a new game at once
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen) and not app.screen.state.log
        await pilot.press("2")
        await settle(pilot)
        assert len(app.screen.state.log) == 1

        kept = [p for p in saves.glob("finished - The regiment marches - *.json")]
        assert len(kept) == 1, sorted(p.name for p in saves.iterdir())
        data = json.loads(kept[0].read_text())
        assert data["kind"] == "finished" and data["state"]["log"][0]["answer"] == "they asked for it"
        before = kept[0].read_bytes()

        # listed on the saves screen, marked finished; loading it shows its ending for review
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, SavesScreen)
        table = app.screen.query_one(DataTable)
        rows = [table.get_row_at(i) for i in range(table.row_count)]
        row = next(r for r in rows if r[0] == kept[0].stem)
        assert row[1] == "finished" and row[3] == "1"
        table.move_cursor(row=rows.index(row))
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, EndingScreen)
        assert app.screen.state.log[0].answer == "they asked for it"
        # the new game the review replaced in the autosave is kept, and the finished save is untouched
        assert SaveStore(saves).load("earlier game", story).log[0].choice == "wait"
        # saving over it from the ending screen is refused, by name
        await pilot.press("s")
        await pilot.pause()
        app.screen.query_one(Input).value = kept[0].stem
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PromptDialog)  # refused with why, the dialog and the name kept
        assert "is a finished game, kept as it ended" in app.screen.query_one("#problem").render().plain
    assert kept[0].read_bytes() == before


async def test_a_game_started_in_play_keeps_the_unfinished_autosave_even_with_the_same_seed(story, saves: Path) -> None:
    """`tauride play --from a --seed 3` twice: the second run's first choice keeps the first run's game."""
    from game import engine

    first = engine.choose(story, engine.choose(story, engine.new_game(story, seed=3), "wait"), "wait")
    SaveStore(saves).autosave(story, first)
    app = make_app(story, saves, fresh=False, seed=3, new_game=True)  # the same origin as `first`
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        assert any("kept as the save 'earlier game'" in str(n.message) for n in app._notifications)
    assert SaveStore(saves).load("earlier game", story) == first
    assert len(SaveStore(saves).load("autosave", story).log) == 1


async def test_at_100_columns_the_saves_screen_shows_each_saves_scene_and_that_it_is_finished(story, saves: Path) -> None:
    """The names of finished saves are long; what a player needs (which is over, where the others stand) is not cut."""
    from game import engine
    from game.save_keep import keep_finished

    store = SaveStore(saves)
    done = engine.choose(story, engine.new_game(story, seed=1), "order")
    keep_finished(store, story, done, {})
    store.autosave(story, engine.choose(story, engine.new_game(story, seed=2), "wait"))
    app = make_app(story, saves, fresh=False, seed=3)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, SavesScreen)
        table = app.screen.query_one(DataTable)
        rows = [table.get_row_at(i) for i in range(table.row_count)]
        assert [r[1] for r in rows if r[0].startswith("finished - ")] == ["finished"]
        assert any(r[0] == "autosave" and r[1] == "The regiment" for r in rows)
        # every column but the date saved is inside the table's width at 100 columns
        widths = [c.get_render_width(table) for c in table.columns.values()]
        assert [str(c.label) for c in table.columns.values()] == ["Name", "Scene", "Clock", "Choices", "Saved"]
        assert sum(widths[:4]) <= table.content_region.width, (widths, table.content_region.width)
