"""`historical: true` in *July Days* means a source records the act.

The debrief, the timeline and the class report count a player's choices
against the choices marked `historical`, so a mark inside a counterfactual
branch (reachable only after the player has already left what happened)
counts an invented act as "following history". The rule held here: every
choice marked `historical` can be reached on a playthrough that took the
historical choice wherever one was offered. Where the historical choice is
hidden (its condition does not hold), any choice may be taken: a choice made
when history's option was not on offer is not leaving history.

The search is exhaustive over engine states, with the same public engine
calls as the game (`new_game`, `available_ids`, `choose`), so events and
conditions are honoured exactly as in play.
"""

from __future__ import annotations

import tempfile
from collections import deque
from collections.abc import Hashable
from pathlib import Path

import pytest

from game.engine import State, available_ids, choose, new_game
from game.story.model import Story
from game.story_folder import load_folder

SCENES = Path(__file__).resolve().parent.parent / "scenes"


def _key(state: State) -> Hashable:
    """Everything that decides what can happen next (the log and the seed's history do not)."""
    return (state.scene, state.clock, tuple(sorted(state.vars.items())),
            tuple(sorted(state.visits.items())), state.chosen, state.fired)


def historical_offers(story: Story) -> set[tuple[str, str]]:
    """(scene, choice) for every historical choice offered on a playthrough that stayed with history.

    From the start, take a historical choice wherever one can be taken, and
    any choice where none can; collect the historical choices that were on
    offer along the way.
    """
    start = new_game(story)
    seen = {_key(start)}
    queue = deque([start])
    offered: set[tuple[str, str]] = set()
    while queue:
        state = queue.popleft()
        scene = story.scenes[state.scene]
        if scene.ending is not None:
            continue
        ids = available_ids(story, state)
        marked = [c.id for c in scene.choices if c.historical and c.id in ids]
        offered.update((scene.id, cid) for cid in marked)
        for cid in marked or ids:
            nxt = choose(story, state, cid)
            k = _key(nxt)
            if k not in seen:
                seen.add(k)
                queue.append(nxt)
    return offered


@pytest.fixture(scope="module")
def story() -> Story:
    return load_folder(str(SCENES))


@pytest.fixture(scope="module")
def offered(story: Story) -> set[tuple[str, str]]:
    return historical_offers(story)


def test_every_historical_choice_lies_on_a_historical_playthrough(story: Story, offered: set[tuple[str, str]]) -> None:
    marked = {(s.id, c.id) for s in story.scenes.values() for c in s.choices if c.historical}
    stray = sorted(marked - offered)
    assert not stray, (
        "these choices are marked `historical: true` but can only be reached after leaving history "
        "(a counterfactual branch); remove the mark, or mark the earlier choice that history took: "
        + ", ".join(f"{s}.{c}" for s, c in stray))


def test_the_historical_ending_is_reached_by_staying_with_history(
        story: Story, offered: set[tuple[str, str]]) -> None:
    endings = {s.id for s in story.scenes.values() if s.ending is not None and s.ending.historical}
    assert endings, "the story has no historical ending"
    offered_scenes = {s for s, _ in offered}
    # the scene before the historical ending offers the historical choice that leads there
    leads = {s.id for s in story.scenes.values() for c in s.choices if c.historical and c.goto in endings}
    assert leads & offered_scenes


def test_a_mark_inside_a_counterfactual_branch_is_found() -> None:
    """The rule catches what it is for: a mark reachable only after a non-historical choice."""
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "story.yaml").write_text(
            "title: T\nid: t\nstart: a\nclock: {start: '10:00', end: '12:00'}\n", encoding="utf-8")
        Path(tmp, "10-a.yaml").write_text(
            "hour: {title: Ten}\n"
            "scenes:\n"
            "  - id: a\n    title: A\n    text: a\n    time: '10:00'\n    choices:\n"
            "      - {id: yes, text: 'Yes', goto: b, historical: true}\n"
            "      - {id: no, text: 'No', goto: c}\n"
            "  - id: b\n    title: B\n    text: b\n    ending: {title: B, epilogue: b, history: b, historical: true}\n"
            "  - id: c\n    title: C\n    text: c\n    choices:\n"
            "      - {id: stray, text: 'Stray', goto: b, historical: true}\n",
            encoding="utf-8")
        tiny = load_folder(tmp)
    assert historical_offers(tiny) == {("a", "yes")}
