"""Choices that stay in the scene (`response:`) and choices that go back (`goto: back`)."""

from __future__ import annotations

import json

import pytest

from game import engine
from game.engine.state import State
from game.save_format import story_problems, validate_save
from game.story.problems import StoryError
from game.story_folder import load_folder

MANIFEST = """\
title: The Lighthouse
id: lighthouse
start: lamp_room
clock: {start: "21:00", end: "23:00"}
variables:
  oil: {type: int, default: 2, range: [0, 3], clamp: true}
  clue: {type: bool, default: false}
"""

SCENES = """\
scenes:
  - id: lamp_room
    title: The lamp room
    text: The lamp turns. Oil {oil}.
    choices:
      - {id: look, text: Look at the logbook, response: "The last entry is smudged. Oil now {oil}.", cost: 5m, once: true, effects: clue = true}
      - {id: fill, text: Fill the lamp, response: "Oil {oil}.", effects: oil += 2}
      - {id: stairs, text: Go down the stairs, goto: stairs}
      - {id: leave, text: Leave, goto: shore, if: clue}
  - id: stairs
    title: The stairs
    text: Damp stone.
    choices:
      - {id: up, text: Go back up, goto: back}
      - {id: cellar, text: Down to the cellar, goto: cellar}
  - id: cellar
    title: The cellar
    text: Barrels.
    choices:
      - {id: up, text: Go back, goto: back}
  - id: shore
    title: The shore
    text: Waves.
    ending: {title: Home, epilogue: You walk home., history: Invented.}
"""


@pytest.fixture
def story(make_story):
    return load_folder(str(make_story({"story.yaml": MANIFEST, "scenes.yaml": SCENES})))


def test_a_response_keeps_the_player_in_the_scene_with_effects_time_and_once(story) -> None:
    s = engine.new_game(story)
    s2 = engine.choose(story, s, "look")
    assert s2.scene == "lamp_room" and s2.clock == s.clock + 5 and s2.vars["clue"] is True
    assert s2.visits == s.visits  # not entered again
    text = engine.scene_text(story, s2)
    assert text.startswith("The lamp turns. Oil 2.") and text.endswith("The last entry is smudged. Oil now 2.")
    ids = [c.id for c in engine.choices(story, s2)]
    assert ids == ["fill", "stairs", "leave"]  # the once-only choice is gone; the clue opened 'leave'
    s3 = engine.choose(story, s2, "fill")
    assert s3.vars["oil"] == 3 and engine.scene_text(story, s3).endswith("Oil 3.")  # clamped meter, latest response only
    assert "smudged" not in engine.scene_text(story, s3)
    s4 = engine.choose(story, s3, "stairs")
    assert s4.response is None and "Oil 3." not in engine.scene_text(story, s4)


def test_going_back_returns_where_the_player_came_from_and_unwinds(story) -> None:
    s = engine.new_game(story)
    s = engine.choose(story, s, "stairs")
    s = engine.choose(story, s, "cellar")
    assert s.trail == ("lamp_room", "stairs")
    s = engine.choose(story, s, "up")
    assert s.scene == "stairs" and s.trail == ("lamp_room",)
    s = engine.choose(story, s, "up")
    assert s.scene == "lamp_room" and s.trail == ()


def test_back_and_response_survive_save_undo_and_replay(story) -> None:
    s = engine.new_game(story, seed=3)
    for step in ("look", "stairs", "cellar"):
        s = engine.choose(story, s, step)
    back = State.from_json(json.loads(json.dumps(s.to_json())))
    assert back == s
    assert engine.replay(story, s.origin, list(s.log)) == s
    undone = engine.undo(story, s)
    assert undone.scene == "stairs" and undone.trail == ("lamp_room",)
    said = engine.choose(story, engine.new_game(story), "look")
    data = said.to_json()
    assert data["response"] == "look"
    save = validate_save({"format": "tauride-save", "version": 1, "story": {"id": "lighthouse"},
                          "saved_at": "2026-12-07T10:00:00+00:00", "state": data})
    assert story_problems(save, story) == []
    data["trail"] = ["nowhere"]
    save = validate_save({"format": "tauride-save", "version": 1, "story": {"id": "lighthouse"},
                          "saved_at": "2026-12-07T10:00:00+00:00", "state": data})
    assert "the scene 'nowhere'" in story_problems(save, story)[0]


def test_going_back_from_the_first_scene_is_a_run_error_naming_the_choice(make_story) -> None:
    scenes = SCENES.replace("      - {id: stairs, text: Go down the stairs, goto: stairs}",
                            "      - {id: stairs, text: Go down the stairs, goto: back}")
    story = load_folder(str(make_story({"story.yaml": MANIFEST, "scenes.yaml": scenes})))
    with pytest.raises(engine.RunError, match=r"scenes.yaml:\d+:\d+: choice 'stairs' goes back, but the player has come from no scene"):
        engine.choose(story, engine.new_game(story), "stairs")


@pytest.mark.parametrize("change,message", [
    ('{id: fill, text: Fill the lamp, response: "Oil {oil}.", effects: oil += 2}',
     "choice 'fill' has a 'response', so the player stays in the scene; remove 'goto'"),
    ("{id: fill, text: Fill the lamp, effects: oil += 2}",
     "choice 'fill' needs 'goto' (a scene, or back) or a 'response' (to stay here)"),
])
def test_a_choice_needs_exactly_one_of_goto_and_response(make_story, change, message) -> None:
    bad = change.replace("}", ", goto: stairs}") if "response" in change else change
    scenes = SCENES.replace('{id: fill, text: Fill the lamp, response: "Oil {oil}.", effects: oil += 2}', bad)
    with pytest.raises(StoryError) as err:
        load_folder(str(make_story({"story.yaml": MANIFEST, "scenes.yaml": scenes})))
    assert any(message in str(p) and ":" in str(p) for p in err.value.problems), err.value.problems


def test_a_scene_may_not_be_called_back(make_story) -> None:
    scenes = SCENES.replace("id: cellar\n", "id: back\n").replace("goto: cellar", "goto: back")
    with pytest.raises(StoryError, match="'back' is kept for 'goto: back'"):
        load_folder(str(make_story({"story.yaml": MANIFEST, "scenes.yaml": scenes})))


def test_a_response_is_type_checked_at_load(make_story) -> None:
    scenes = SCENES.replace("response: \"Oil {oil}.\"", "response: \"Oil {oil + clue}.\"")
    with pytest.raises(StoryError, match=r"scenes.yaml:\d+:\d+"):
        load_folder(str(make_story({"story.yaml": MANIFEST, "scenes.yaml": scenes})))


def test_a_save_made_before_trails_and_responses_still_loads() -> None:
    """The fixture of an old save has neither field: it reads as no trail and no response shown."""
    from pathlib import Path

    old = json.loads((Path(__file__).parent / "fixtures" / "save-v1.json").read_text(encoding="utf-8"))
    assert "trail" not in old["state"] and "response" not in old["state"]
    save = validate_save(old)
    assert save.state.trail == [] and save.state.response is None
    state = State.from_json(old["state"])
    assert state.trail == () and state.response is None
    assert "trail" not in state.to_json() and "response" not in state.to_json()  # an old-style save stays old-style
