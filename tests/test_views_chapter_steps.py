"""A chapter start's steps are the story so far, not the player's or class's decisions.

`chapter_state` marks the historical route it plays (`LogEntry.by_chapter`);
every view skips those steps through `engine.own`. Before, a class starting
at chapter 3 was credited with every historical choice on the way there.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from game import engine
from game.classroom.group.app import ClassApp
from game.classroom.playthrough import trace
from game.classroom.report import ClassReport, Student
from game.classroom.transcript import to_markdown
from game.engine import State
from game.save_format import StateModel
from game.story.model import Story
from game.story_folder import load_folder
from game.views import debrief, journal, timeline
from game.views.chapters import chapter_state

SCENES = Path(__file__).resolve().parent.parent / "scenes"


@pytest.fixture(scope="module")
def story() -> Story:
    return load_folder(str(SCENES))


@pytest.fixture(scope="module")
def at_chapter(story: Story) -> State:
    state = chapter_state(story, len(story.chapters))
    assert len(state.log) > 3 and all(e.by_chapter for e in state.log)
    return state


def _one_own_choice(story: Story, state: State) -> State:
    scene = story.scenes[state.scene]
    real = next(c for c in engine.choices(story, state) if c.enabled and (x := scene.choice(c.id)) and x.historical)
    return engine.choose(story, state, real.id)


def test_the_mark_survives_a_save_and_undo_stops_at_the_chapter(story: Story, at_chapter: State) -> None:
    again = State.from_json(at_chapter.to_json())
    assert again == at_chapter
    assert all(e.by_chapter for e in StateModel.model_validate(at_chapter.to_json()).log)  # the save format accepts it
    assert at_chapter.own_steps == 0
    played = _one_own_choice(story, at_chapter)
    assert played.own_steps == 1
    assert engine.undo(story, played, 5) == at_chapter
    assert engine.replay(story, played.origin, list(played.log)).log == played.log


def test_the_debrief_counts_only_the_players_own_choices(story: Story, at_chapter: State) -> None:
    assert debrief(story, at_chapter).rows == ()
    d = debrief(story, _one_own_choice(story, at_chapter))
    assert len(d.rows) == 1 and d.followed == 1


def test_the_timeline_starts_the_players_path_at_the_chapter(story: Story, at_chapter: State) -> None:
    t = timeline(story, _one_own_choice(story, at_chapter))
    assert [r.scene for r in t.player][0] == at_chapter.scene
    assert len(t.player) == 2 and t.diverged is None


def test_the_transcript_and_report_count_only_the_classs_choices(story: Story, at_chapter: State) -> None:
    pt = trace(story, _one_own_choice(story, at_chapter))
    assert len(pt.steps) == 1 and pt.steps[0].number == 1
    assert pt.start_clock == at_chapter.clock
    text = to_markdown(pt)
    assert "1 choices" in text and "1 of 1 decisions as history" in text
    report = ClassReport(story, [Student("Ana", pt)], [])
    assert [p.scene.id for p in report.points] == [at_chapter.scene]


def test_the_class_path_lists_only_the_classs_votes(story: Story, at_chapter: State) -> None:
    state = _one_own_choice(story, at_chapter)
    shown: list[Any] = []
    fake = SimpleNamespace(story=story, state=state, push_screen=shown.append)
    ClassApp.show_path(fake)  # type: ignore[arg-type]
    text = shown[0].markdown
    before = {e.title for e in journal(story, at_chapter)[:-1]} - {story.scenes[at_chapter.scene].title}
    assert "1 decision," in text
    assert not any(f"· {title} →" in text for title in before)
