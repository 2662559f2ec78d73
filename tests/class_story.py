"""A small two-hour story for the classroom tests, and a class of generated saves.

Richer than the shared `mini` story: two hours with discussion prompts, a
scene with a reflection question, an invented scene, glossary people and
places, an event that interrupts, and three endings (one historical). The
classroom tests import `write_class_story`, `play`, `save` and `make_class`
from here; the `class_story` fixture (conftest.py) loads it.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any, Mapping

from game import engine
from game.saves import SaveStore
from game.story import Story

MANIFEST = """\
title: The Wire
id: the_wire
history: true
start: wire
clock: {start: "15:30", end: "23:00"}
author: Test writers
description: Two hours in a palace, for the classroom tests.
variables:
  resolve: {type: int, default: 2, range: [0, 5], label: Resolve, shown: true}
  secret: {type: bool, default: false}
sources:
  SP: "W. S. Woytinsky, *Stormy Passage* (New York: Vanguard, 1961), p. 296."
  FIG: "Orlando Figes, *A People's Tragedy* (London: Cape, 1996), ch. 10."
glossary:
  - {id: hall, term: Catherine Hall, kind: place, match: [Catherine Hall], text: The great hall of the palace., sources: [FIG]}
  - {id: office, term: Chkheidze's office, kind: place, text: A small room off the left wing., invention: true}
  - {id: chkheidze, term: Nikolai Chkheidze, kind: person, match: [Chkheidze], text: Chairman of the Soviet., sources: [SP]}
"""

HOUR_16 = """\
hour:
  title: Four o'clock
  summary: The wire arrives.
  discussion: [Who should decide what the crowd is told?]
scenes:
  - id: wire
    title: The wire from the Fifth Army
    time: "16:00"
    place: office
    text: |
      Chkheidze turns the form over twice before he hands it to you.
      Resolve is {resolve}.
    history:
      note: Woytinsky has the wire reach *Chkheidze* at about 4 p.m.
      sources: [SP]
    discussion: [Why keep good news from your own side?]
    choices:
      - id: keep
        text: Keep it secret
        goto: session
        effects: [secret = true, resolve += 1]
        cost: 10m
        historical: true
        reflect: Why did you keep the telegram secret?
      - id: tell
        text: Read it aloud
        goto: session
      - id: phone
        text: Ring the regiments first
        goto: session
        cost: 20m
  - id: session
    title: The session resumes
    place: hall
    advance: 5m
    text: The benches of the Catherine Hall fill again.
    history:
      note: The joint session went on into the night.
      sources: [FIG]
    choices:
      - {id: wait, text: Wait for news, goto: gate, cost: 30m, historical: true}
      - {id: leave, text: Slip out by the side door, goto: home}
"""

HOUR_17 = """\
hour:
  title: Five o'clock
  discussion: [What could the leaders have done at the gate?]
scenes:
  - id: gate
    title: Sailors at the gate
    time: "17:00"
    place: hall
    text: The band comes first, then the sailors.
    history: {note: An invented moment at the gate., invention: true}
    choices:
      - {id: speak, text: Go out and speak, goto: saved, historical: true}
      - {id: hide, text: Stay inside, goto: lost}
  - id: saved
    title: The crowd parts
    text: You are heard.
    ending:
      title: The palace holds
      epilogue: The sailors go home.
      history: The regiments arrived before dawn.
      sources: [FIG]
      historical: true
  - id: lost
    title: The doors give
    text: The doors give.
    ending: {title: The doors give, epilogue: Nobody is heard., history: This did not happen.}
  - id: home
    title: Home early
    text: You walk home along the quay.
    ending: {title: Home early, epilogue: You miss the night., history: Nobody left.}
"""


def write_class_story(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in {"story.yaml": MANIFEST, "16.yaml": HOUR_16, "17.yaml": HOUR_17}.items():
        (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


def play(story: Story, path: list[str], *, seed: int = 7, votes: Mapping[str, Mapping[str, int]] | None = None,
         answers: Mapping[str, str] | None = None) -> engine.State:
    """Play `path` (choice ids, in order) through the engine, with votes/answers keyed by choice id."""
    state = engine.new_game(story, seed=seed)
    for cid in path:
        state = engine.choose(story, state, cid, votes=(votes or {}).get(cid), answer=(answers or {}).get(cid))
    return state


def save(root: Path, story: Story, state: engine.State, student: str, meta: Mapping[str, Any] | None = None,
         slot: str = "autosave") -> Path:
    store = SaveStore(root / student)
    return store.write(slot, story, state, dict(meta or {}))


PATHS = {
    "anna": ["keep", "wait", "speak"],
    "boris": ["keep", "wait", "speak"],
    "clara": ["tell", "wait", "hide"],
    "dmitri": ["phone", "leave"],
    "eva": ["keep", "wait", "hide"],
    "fyodor": ["tell", "wait"],  # still playing: at the gate
}
"""Six students: three follow history to the gate, one leaves early, one stops halfway."""


def make_class(root: Path, story: Story) -> Path:
    """A class folder as `tauride serve` writes it (ROOT/<class>/<student>/), with the debris of a real one:
    earlier named saves of the same games, a corrupt file, an empty one, a save of another story, a stray JSON."""
    klass = root / "9B"
    for i, (student, path) in enumerate(PATHS.items()):
        meta = {"student": student.capitalize(), "class": "9B", "started_at": "2026-11-25T10:00:00+00:00",
                "play_seconds": 300 + 60 * i}
        answers = {"keep": f"{student.capitalize()}: so nobody panics <b>now</b>"}
        save(klass, story, play(story, path, seed=i, answers=answers), student, meta)
        if len(path) > 1:  # a named save one choice earlier: the same game, not another student
            save(klass, story, play(story, path[:-1], seed=i), student, meta, slot="before the gate")
    (klass / "greta").mkdir()
    (klass / "greta" / "autosave.json").write_text('{"format": "tauride-save", "version": 1, "sto')
    (klass / "hugo").mkdir()
    (klass / "hugo" / "autosave.json").write_text("")
    (klass / "ivan").mkdir()
    (klass / "ivan" / "autosave.json").write_text(
        '{"format": "tauride-save", "version": 1, "story": {"id": "july_days"}, "meta": {}, "state": {}}')
    (klass / "notes.json").write_text('{"lesson": "period 3"}')
    (klass / "readme.txt").write_text("not a save")
    return klass
