"""Small shared pieces of the views: a choice as it was shown, a cited source,
and the replay that rebuilds the states a playthrough passed through."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping

from .. import engine
from ..engine import LogEntry, State
from ..story.expr import ExprRuntimeError
from ..story.model import Choice, Scene, Story


@dataclass(frozen=True)
class ChoiceRef:
    """A choice by the id the writer gave it and the text the player saw."""

    id: str
    text: str


@dataclass(frozen=True)
class Vote:
    """A class's tally for one choice."""

    choice: ChoiceRef
    count: int


def votes_of(scene: Scene, state: State, votes: Mapping[str, int] | None) -> tuple[Vote, ...]:
    """Logged tallies with each choice's text as it read then; empty when nobody voted."""
    out = []
    for cid, n in (votes or {}).items():
        c = scene.choice(cid)
        out.append(Vote(ChoiceRef(cid, choice_text(c, state) if c else cid), n))
    return tuple(out)


@dataclass(frozen=True)
class SourceRef:
    """A source key as written in a note, with the full citation from the manifest."""

    key: str
    citation: str
    """Empty when the key is not in the story's `sources` (the loader warns about that)."""


def sources_of(story: Story, keys: Iterable[str]) -> tuple[SourceRef, ...]:
    return tuple(SourceRef(k, story.sources.get(k, "")) for k in keys)


def citation_list(sources: Iterable[SourceRef]) -> str:
    """The sources of a note as one run of text: each citation a sentence of its own.

    Citations end with their own full stop ("… partisan."), so joining them
    with "; " printed "partisan.; Leon …". Each one is closed with a full
    stop (unless it ends with its own punctuation) and they follow one
    another with a space. A key missing from the manifest shows as the key.
    """
    out = []
    for s in sources:
        text = (s.citation or s.key).strip()
        out.append(text if text.endswith((".", "!", "?")) else text + ".")
    return " ".join(out)


def choice_text(choice: Choice, state: State) -> str:
    """A choice's text as it would read in `state`, even if the choice was hidden there.

    A State carries everything a text template may read (vars, clock, visits,
    chosen), so it serves as the template's context. A template that fails
    at run time falls back to its source rather than breaking a view.
    """
    try:
        return choice.text(state)
    except (ExprRuntimeError, KeyError, TypeError, ZeroDivisionError):
        return choice.text_source


@dataclass(frozen=True)
class Step:
    """One stop of a playthrough: the state on entering a scene, and what was chosen there."""

    before: State
    """The state as the scene was entered (its clock is the clock on entry)."""
    entry: LogEntry | None
    """The choice made here; None for the scene the player is in now."""


@dataclass(frozen=True)
class Walk:
    steps: tuple[Step, ...]
    problem: str | None = None
    """Why the log could not be replayed in full (a save from an older version of the story)."""


def walk(story: Story, state: State) -> Walk:
    """Replay `state`'s log from its origin: every scene visited, in order, ending with the current one.

    If a logged step no longer fits the story (the writer changed it since
    the save), the replay stops there, `problem` says why, and the current
    state still closes the walk so a view always shows where the player is.
    """
    steps: list[Step] = []
    problem = None
    o = state.origin
    try:
        s = engine.new_game(story, seed=o.seed, start=o.scene, overrides=dict(o.overrides))
        for i, entry in enumerate(state.log, 1):
            if s.scene != entry.scene:
                raise engine.ChoiceError(
                    f"step {i}: the log says scene '{entry.scene}', but the story now leads to '{s.scene}'"
                )
            steps.append(Step(s, entry))
            s = engine.choose(story, s, entry.choice, votes=entry.votes, answer=entry.answer)
    except (engine.ChoiceError, engine.RunError, KeyError) as exc:
        problem = f"the playthrough could not be rebuilt in full ({exc}); earlier steps are missing"
    steps.append(Step(state, None))
    return Walk(tuple(steps), problem)
