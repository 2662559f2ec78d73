"""An ending is labelled, and followed by the prompts of, the hour it is reached in.

Endings are written in the dawn file, but `end_soviet_power` can be reached
from `after_speech` (before 2 a.m.) and `end_arrested` from an event at
18:00. Every shell asks `game.views.hours.hour_now`; these tests reach both
endings early and check the label each shell shows.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

import pytest

from game import engine
from game.classroom.playthrough import trace
from game.classroom.reader import ReaderSession, scene_page
from game.classroom.transcript import hour_blocks, prompts, to_markdown
from game.engine import State
from game.saves import SaveStore
from game.story.model import Story
from game.story_folder import load_folder
from game.views import journal
from game.views.hours import hour_now

SCENES = Path(__file__).resolve().parent.parent / "scenes"
DAWN = "Four o'clock — dawn"


@pytest.fixture(scope="module")
def story() -> Story:
    return load_folder(str(SCENES))


def _soviet_power_from_the_speech(story: Story) -> State:
    state = engine.new_game(story, start="after_speech", overrides={"resolve": 0})
    state = engine.choose(story, state, "press_vote")
    assert state.scene == "end_soviet_power"
    return state


def _arrested_at_six(story: Story) -> State:
    """The historical path with no credit left (standing set far below its floor, so no gain lifts it
    above 0): the `pushed_aside` event cuts in at 18:00."""
    state = engine.new_game(story, overrides={"standing": -10})
    while story.scenes[state.scene].ending is None:
        offered = [c for c in engine.choices(story, state) if c.enabled]
        scene = story.scenes[state.scene]
        real = [c for c in offered if (found := scene.choice(c.id)) is not None and found.historical]
        state = engine.choose(story, state, (real or offered)[0].id)
    assert state.scene == "end_arrested" and state.log[-1].event == "pushed_aside"
    assert state.log[-1].clock == 18 * 60
    return state


def _title(story: Story, scene: str) -> str:
    hour = story.hour_of(scene)
    assert hour is not None
    return hour.title


@pytest.mark.parametrize("reach, came_from", [(_soviet_power_from_the_speech, "after_speech"),
                                               (_arrested_at_six, "downpour")])
def test_an_ending_stands_in_the_hour_it_was_reached_from(story: Story, reach, came_from: str) -> None:
    state = reach(story)
    hour = hour_now(story, state)
    assert hour is not None and hour.title == _title(story, came_from) != DAWN
    assert journal(story, state)[-1].hour == hour.title


def test_an_ending_reached_in_the_dawn_hour_stays_at_dawn(story: Story) -> None:
    state = engine.new_game(story, start="regiment")
    for c in engine.choices(story, state):
        after = engine.choose(story, state, c.id)
        if story.scenes[after.scene].ending is not None:
            assert hour_now(story, after).title == DAWN  # type: ignore[union-attr]
            return
    pytest.skip("no ending one choice from the regiment scene")


def test_the_reading_page_heads_an_early_ending_with_its_own_hour(story: Story, tmp_path: Path) -> None:
    state = _arrested_at_six(story)
    page = scene_page(story, state, ReaderSession("Ana", SaveStore(tmp_path)))
    assert escape(_title(story, "downpour")) in page and escape(DAWN) not in page


def test_the_transcript_gives_an_early_ending_its_own_hours_prompts(story: Story) -> None:
    state = _soviet_power_from_the_speech(story)
    pt = trace(story, state)
    blocks = hour_blocks(pt)
    assert [b.hour.title for b in blocks if b.hour] == [_title(story, "after_speech")]
    assert blocks[-1].closed
    assert all(where != DAWN for where, _ in prompts(pt))
    assert DAWN not in to_markdown(pt)


def test_the_class_screen_closes_an_early_ending_with_its_own_hours_prompts(story: Story) -> None:
    from types import SimpleNamespace
    from typing import Any

    from game.classroom.group.app import ClassApp
    from game.classroom.group.screens import Discussion

    start = engine.new_game(story, start="after_speech", overrides={"resolve": 0})
    shown: list[Any] = []
    fake = SimpleNamespace(story=story, state=start, autosave=lambda: None, notify=lambda *a, **k: None,
                           push_screen=lambda screen, *a: shown.append(screen), call_later=lambda *a: None,
                           _after_discussion=None, play=None)
    ClassApp.advance(fake, "press_vote", None, None)  # type: ignore[arg-type]
    assert fake.state.scene == "end_soviet_power"
    [screen] = shown
    assert isinstance(screen, Discussion)
    small_hours = story.hour_of("after_speech")
    assert small_hours is not None
    assert screen.hour_title == small_hours.title and screen.next_title is None
