"""Templates everywhere a player reads, and the story clock printed as the header prints it."""

from __future__ import annotations

import pytest

from game import engine
from game.story.problems import StoryError
from game.story.template import format_duration
from game.story_folder import load_folder

MANIFEST = """\
title: Night Shift
id: night_shift
start: desk
clock: {start: "22:00", end: "23:30"}
variables:
  calls: {type: int, default: 0, range: [0, 5], clamp: true}
  name: {type: str, default: Sam}
"""

SCENES = """\
hour:
  title: "Shift of {name}"
scenes:
  - id: desk
    title: "{name}'s desk, call {calls}"
    text: "It is {clock}. Waited {clock - 22:00 as duration}. Closing at {23:30 as time}."
    choices:
      - id: answer
        text: Answer
        effects: calls += 1
        cost: 1h30m
        response: "You answer. It is now {clock}."
        reflect: "Why answer at {clock}?"
      - id: door
        text: Open the door
        selectable_if: calls > 3
        locked: "Only {calls} call(s) so far: wait for more."
        goto: done
      - {id: leave, text: Leave, goto: done}
  - id: done
    title: Done
    text: Quiet.
    ending:
      title: "{name} goes home at {clock}"
      epilogue: "{calls} call(s) answered."
      history: Invented.
"""


@pytest.fixture
def story(make_story):
    return load_folder(str(make_story({"story.yaml": MANIFEST, "scenes.yaml": SCENES})))


def test_titles_locked_reasons_questions_and_epilogues_are_templates(story) -> None:
    s = engine.new_game(story)
    assert engine.scene_title(story, s) == "Sam's desk, call 0"
    assert engine.hour_title(story, s) == "Shift of Sam"
    door = {c.id: c for c in engine.choices(story, s)}["door"]
    assert door.locked_reason == "Only 0 call(s) so far: wait for more."
    assert {c.id: c for c in engine.choices(story, s)}["answer"].reflect == "Why answer at 22:00?"
    s = engine.choose(story, s, "answer")
    assert engine.scene_title(story, s) == "Sam's desk, call 1"
    s = engine.choose(story, s, "leave")
    assert engine.ending_title(story, s) == "Sam goes home at 23:30"
    assert engine.epilogue(story, s) == "1 call(s) answered."


def test_the_clock_prints_as_the_header_does_and_durations_as_writers_write_them(story) -> None:
    s = engine.new_game(story)
    assert engine.scene_text(story, s) == "It is 22:00. Waited 0m. Closing at 23:30."
    s = engine.choose(story, s, "answer")
    assert engine.scene_text(story, s).endswith("Waited 1h 30m. Closing at 23:30.\n\nYou answer. It is now 23:30.")
    assert [format_duration(m) for m in (0, 45, 60, 90, -15)] == ["0m", "45m", "1h", "1h 30m", "-15m"]


@pytest.mark.parametrize("where,bad,message", [
    ('title: "{name}\'s desk, call {calls}"', 'title: "{nmae}\'s desk"', "'nmae' is not a declared variable"),
    ('title: "{name} goes home at {clock}"', 'title: "{name as time} goes home"', "'as time' prints a number of minutes"),
    ('locked: "Only {calls} call(s) so far: wait for more."', 'locked: "Only {calls +} calls"', "scenes.yaml:"),
    ('reflect: "Why answer at {clock}?"', 'reflect: "Why {if calls}?"', "scenes.yaml:"),
    ('title: "Shift of {name}"', 'title: "Shift of {name as money}"', "'as money'"),
])
def test_each_template_is_type_checked_at_load_with_its_position(make_story, where, bad, message) -> None:
    assert where in SCENES
    with pytest.raises(StoryError) as err:
        load_folder(str(make_story({"story.yaml": MANIFEST, "scenes.yaml": SCENES.replace(where, bad)})))
    problems = [str(p) for p in err.value.problems]
    assert any(message in p and "scenes.yaml:" in p for p in problems), problems


def test_views_of_many_players_show_each_expression_as_an_ellipsis(story) -> None:
    """A class report or a story map lists a scene once for everyone: no braces, no one player's values."""
    assert story.scenes["desk"].title == "…'s desk, call …"
    assert story.hours[0].title == "Shift of …"
    ending = story.scenes["done"].ending
    assert ending is not None and ending.title == "… goes home at …"
    assert story.scenes["done"].title == "Done"


@pytest.mark.parametrize("written, shown", [
    ("Plain", "Plain"),
    ("{{literal}} braces", "{literal} braces"),
    ("At {clock}", "At …"),
    ("{if calls > 1}Busy{else}Quiet{/if} night", "… night"),
    ("Broken {if x}", "Broken {if x}"),
])
def test_outline(written: str, shown: str) -> None:
    from game.story.template import outline
    assert outline(written) == shown
