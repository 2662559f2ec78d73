"""One definition of "left history": the debrief, the timeline, transcripts and the class report agree.

A choice taken where the historical option was hidden (or locked) is not
leaving history; `game.views.route.followed_history` is the one rule.
"""

from __future__ import annotations

from pathlib import Path

from game import engine
from game.classroom.playthrough import trace
from game.classroom.report import ClassReport, Student
from game.story.model import Story
from game.story_folder import load_folder
from game.tools.walker import walk_states
from game.views.debrief import debrief
from game.views.timeline import timeline

REPO = Path(__file__).resolve().parent.parent

MANIFEST = """\
title: Hidden
id: hidden
start: hall
clock: {start: "15:00", end: "23:00"}
variables:
  brave: {type: bool, default: false}
"""

SCENES = """\
scenes:
  - id: hall
    title: The hall
    text: A hall.
    choices:
      - {id: bold, text: Be bold, goto: gate, effects: [brave = true]}
      - {id: meek, text: Be meek, goto: gate}
  - id: gate
    title: The gate
    text: Sailors.
    choices:
      - {id: speak, text: Speak to them, goto: end, if: brave, historical: true}
      - {id: hide, text: Hide, goto: end}
  - id: end
    title: Night
    text: Done.
    ending: {title: Night, epilogue: Over., history: Really., historical: true}
"""


def _left(story: Story, state: engine.State) -> dict[str, set[int]]:
    """The decisions (by position in the playthrough) where each view says the player left history."""
    d = debrief(story, state)
    t = timeline(story, state)
    pt = trace(story, state)
    report = ClassReport(story, [Student("s", pt)], [])
    points = {p.scene.id: p for p in report.points}
    return {
        "debrief": {r.step for r in d.rows if not r.followed},
        "timeline": {r.step for r in t.player if r.historical is False},
        "transcript": {s.number - 1 for s in pt.steps if s.left_history},
        "report": {s.number - 1 for s in pt.steps if s.scene.id in points and "s" in points[s.scene.id].left},
    }


def test_a_hidden_historical_choice_is_not_left(make_story) -> None:
    story = load_folder(str(make_story({"story.yaml": MANIFEST, "scenes.yaml": SCENES})))
    meek = engine.choose(story, engine.choose(story, engine.new_game(story), "meek"), "hide")
    assert _left(story, meek) == {"debrief": set(), "timeline": set(), "transcript": set(), "report": set()}
    assert debrief(story, meek).left_history is None and timeline(story, meek).diverged is None
    bold = engine.choose(story, engine.choose(story, engine.new_game(story), "bold"), "hide")
    assert _left(story, bold) == {"debrief": {1}, "timeline": {1}, "transcript": {1}, "report": {1}}


def test_every_view_agrees_on_random_playthroughs_of_the_shipped_story() -> None:
    story = load_folder(str(REPO / "scenes"))
    for seed in range(25):
        *_, state = walk_states(story, seed)
        views = _left(story, state)
        assert len({frozenset(v) for v in views.values()}) == 1, (seed, views)
