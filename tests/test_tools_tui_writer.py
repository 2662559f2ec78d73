"""The writer's tools inside the game: the debug panel, jump to a scene, live reload (Pilot)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from game import engine
from game.saves import SaveStore
from game.story_folder import load_folder
from game.tui.debug import DebugPanel, debug_text, jump_state
from game.tui.watch import StoryErrors, carry_state
from game.tui.writer import WriterApp
from tests.tui_helpers import screen_text

MANIFEST = """\
title: Writer test
id: writertest
start: hall
clock: {start: "15:00", end: "23:00"}
variables:
  courage: {type: int, default: 1, range: [0, 5]}
  key: {type: bool, default: false}
"""

SCENES = """\
scenes:
  - id: hall
    time: "16:00"
    title: The hall
    text: A long hall. Courage {courage}.
    choices:
      - {id: take_key, text: Take the key, goto: door, effects: [key = true, courage += 1], once: true}
      - {id: wait, text: Wait, goto: hall, cost: 30m}
      - {id: open, text: Open the door, goto: door, if: key}
  - id: door
    title: The door
    text: A door.
    choices:
      - {id: through, text: Go through, goto: garden, selectable_if: courage >= 2, locked: Not brave enough}
  - id: garden
    title: The garden
    text: Sunlight.
    ending: {title: Out, epilogue: Over., history: None.}
events:
  - {id: bell, at: "18:00", goto: garden}
"""


@pytest.fixture
def folder(make_story) -> Path:
    return make_story({"story.yaml": MANIFEST, "scenes.yaml": SCENES})


def writer_app(folder: Path, tmp_path: Path, **kwargs: object) -> WriterApp:
    story = load_folder(str(folder))
    state = engine.new_game(story, seed=3)
    return WriterApp(story, SaveStore(tmp_path / "saves"), state=state, seed=3,
                     settings_file=tmp_path / "config" / "settings.json", **kwargs)  # type: ignore[arg-type]


def touch_write(path: Path, text: str) -> None:
    """Write a file so its change is seen even within one tick of the file system's clock."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text, encoding="utf-8")
    if path.stat().st_mtime_ns == before:
        os.utime(path, ns=(before + 1_000_000, before + 1_000_000))


async def ready(pilot) -> None:  # type: ignore[no-untyped-def]
    for _ in range(100):
        await pilot.pause()
        app = pilot.app
        play = app.play_screen()
        if play is not None and app.screen is play and not play.busy:
            return
    raise AssertionError("the play screen never became ready")


def test_debug_text_shows_what_holds(folder):
    story = load_folder(str(folder))
    state = engine.new_game(story, seed=3)
    text = debug_text(story, state).plain
    assert "clock 16:00" in text and "scene hall" in text and "scenes.yaml:2:5" in text
    assert "courage = 1 [0..5]  (default)" in text
    assert "✓ take_key → door" in text and "✗ open → door" in text and "if key: no" in text
    assert "bell → garden: clock >= 18:00 = no" in text
    state = engine.choose(story, state, "take_key")
    text = debug_text(story, state).plain
    assert "courage = 2 [0..5]\n" in text and "key = true" in text
    assert "selectable_if courage >= 2: yes" in text and "hall.take_key" in text


def test_jump_keeps_variables_and_replays(folder):
    story = load_folder(str(folder))
    state = engine.choose(story, engine.new_game(story, seed=3), "take_key")
    jumped = jump_state(story, state, "garden")
    assert jumped.scene == "garden" and jumped.vars["courage"] == 2 and jumped.vars["key"] is True
    assert engine.replay(story, jumped.origin, []).scene == "garden"  # undo and saves still work


async def test_panel_is_off_by_default_and_on_with_debug(folder, tmp_path):
    app = writer_app(folder, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await ready(pilot)
        app.sync_panels()
        assert not list(app.screen.query(DebugPanel))
    app = writer_app(folder, tmp_path, debug=True)
    async with app.run_test(size=(140, 40)) as pilot:
        await ready(pilot)
        app.sync_panels()
        await pilot.pause()
        panel = app.screen.query_one(DebugPanel)
        assert "courage = 1" in str(panel.render())
        assert not app.screen.query_one("#side").display  # the panel lists every variable: no second list
        await pilot.press("1")  # take the key
        await ready(pilot)
        app.sync_panels()
        assert "courage = 2" in str(panel.render()) and "scene door" in str(panel.render())
        await pilot.press("f3")
        await pilot.pause()
        assert not list(app.screen.query(DebugPanel))
        assert app.screen.query_one("#side").display


async def test_jump_key_goes_to_any_scene(folder, tmp_path):
    app = writer_app(folder, tmp_path, debug=True)
    async with app.run_test(size=(140, 40)) as pilot:
        await ready(pilot)
        await pilot.press("f2")
        await pilot.pause()
        assert app.screen.title_text == "Jump to a scene"  # type: ignore[attr-defined]
        assert list(app.screen.items) == ["hall", "door", "garden"]  # type: ignore[attr-defined]
        await pilot.press("down", "enter")  # the door
        await ready(pilot)
        play = app.play_screen()
        assert play is not None and play.state.scene == "door"
        (through,) = play.query_one("#choices").views  # type: ignore[attr-defined]
        assert through.id == "through" and through.locked_reason == "Not brave enough"  # courage kept at 1


async def test_watch_reloads_and_keeps_the_place(folder, tmp_path):
    app = writer_app(folder, tmp_path, watch=str(folder))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("1")  # take the key: now at the door, courage 2
        await ready(pilot)
        play = app.play_screen()
        assert play is not None and play.state.scene == "door"
        touch_write(folder / "scenes.yaml", SCENES.replace("text: A door.", "text: A red door, newly painted."))
        await app.check_files()
        await ready(pilot)
        play = app.play_screen()
        assert play is not None and play.state.scene == "door" and play.state.vars["courage"] == 2
        assert "A red door, newly painted." in screen_text(app)
        assert app.story.scenes["door"].text_source == "A red door, newly painted."


async def test_watch_shows_errors_of_a_broken_file_and_survives(folder, tmp_path):
    app = writer_app(folder, tmp_path, watch=str(folder))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        old_story = app.story
        touch_write(folder / "scenes.yaml", SCENES.replace("goto: garden, selectable_if", "goto: gardn, selectable_if"))
        await app.check_files()
        await pilot.pause()
        band = app.screen.query_one(StoryErrors)
        text = str(band.render())
        assert "does not load" in text and "\nscenes.yaml:14:47: scene " in text and "goes to 'gardn', which is not a scene" in text
        assert "Did you mean 'garden'?" in text
        assert app.story is old_story  # still playing the last good version
        await pilot.press("1")
        await ready(pilot)
        assert app.play_screen().state.scene == "door"  # type: ignore[union-attr]
        # fixing the file clears the band and reloads
        touch_write(folder / "scenes.yaml", SCENES)
        await app.check_files()
        await pilot.pause()
        assert not list(app.screen.query(StoryErrors)) and app.story is not old_story


def test_carry_state_when_choices_or_scenes_change(folder, make_story):
    story = load_folder(str(folder))
    state = engine.choose(story, engine.new_game(story, seed=3), "take_key")
    # a changed effect: the choices replay, and the new effect applies
    edited = load_folder(str(make_story({"story.yaml": MANIFEST, "scenes.yaml": SCENES.replace(
        "effects: [key = true, courage += 1]", "effects: [key = true, courage += 2]")}, name="e1")))
    moved, how = carry_state(edited, state)
    assert moved.scene == "door" and moved.vars["courage"] == 3 and "replayed" in how
    # the choice taken is gone: stay in the scene, keep the variables
    gone = load_folder(str(make_story({"story.yaml": MANIFEST, "scenes.yaml": SCENES.replace(
        "id: take_key", "id: grab_key")}, name="e2")))
    moved, how = carry_state(gone, state)
    assert moved.scene == "door" and moved.vars["courage"] == 2 and "stay in this scene" in how
    # the scene itself is gone: back to the start, variables kept
    no_door = SCENES.replace("goto: door", "goto: garden").replace("""  - id: door
    title: The door
    text: A door.
    choices:
      - {id: through, text: Go through, goto: garden, selectable_if: courage >= 2, locked: Not brave enough}
""", "")
    moved, how = carry_state(load_folder(str(make_story({"story.yaml": MANIFEST, "scenes.yaml": no_door},
                                                          name="e3"))), state)
    assert moved.scene == "hall" and moved.vars["key"] is True and "is gone" in how


async def test_replay_notices_show_in_the_game(folder, tmp_path):
    app = writer_app(folder, tmp_path, notices=["step 2 (hall.wait): effect 'courage += 9' set 'courage' to 10"])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        shown = [n.message for n in app._notifications]
        assert any("set 'courage' to 10" in m for m in shown)
