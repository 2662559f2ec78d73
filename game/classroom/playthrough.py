"""A playthrough, step by step: what a save's log looked like while it was played.

A save holds only how the game began and the choices made. Transcripts and
the class report need more — the scene text as it read at that moment, the
clock, the choices that were on offer, the vote and how it was settled, the
answer typed, whether an event cut in, and whether the choice matched
history — so `trace` replays the log through the engine and keeps each
moment. Replaying (rather than trusting stored text) means a transcript can
never show something the story did not produce.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Mapping

from .. import engine
from ..engine import ChoiceView, State
from ..saves import SaveError, decode, read_file
from ..story.model import Choice, Ending, Hour, Scene, Story
from .votes import Decision, explain


@dataclass(frozen=True)
class Step:
    """One decision: the scene as the player met it and the choice they made."""

    number: int
    scene: Scene
    hour: Hour | None
    clock: int
    """Story clock (minutes) when the choice was made."""
    text: str
    """The scene's text as it read at that moment."""
    offered: tuple[ChoiceView, ...]
    """The choices shown then (locked ones included)."""
    choice: Choice
    choice_text: str
    decision: Decision
    """The class vote behind the choice (How.NO_VOTE in solo play)."""
    answer: str | None
    event_scene: Scene | None
    """Where an event sent the player instead of the choice's destination."""

    @property
    def historical_choices(self) -> tuple[ChoiceView, ...]:
        """The choices on offer that the real actors took."""
        return tuple(c for c in self.offered if c.historical)

    @property
    def left_history(self) -> bool:
        """True when a historical choice was on offer and another was taken."""
        return bool(self.historical_choices) and not self.choice.historical

    @property
    def is_decision_point(self) -> bool:
        """A step that history speaks to: one of its choices is what really happened."""
        return any(c.historical for c in self.scene.choices)


@dataclass(frozen=True)
class Playthrough:
    story: Story
    state: State
    steps: tuple[Step, ...]
    final_text: str
    """The text of the scene the playthrough stands in now."""
    meta: Mapping[str, Any] = field(default_factory=dict)
    saved_at: str | None = None
    source: str | None = None
    """The save file it was read from, if any."""

    @property
    def scene(self) -> Scene:
        return self.story.scenes[self.state.scene]

    @property
    def ending(self) -> Ending | None:
        return self.scene.ending

    @property
    def finished(self) -> bool:
        return self.ending is not None

    @property
    def student(self) -> str | None:
        name = self.meta.get("student") or self.meta.get("name")
        return str(name) if name else None

    @property
    def class_name(self) -> str | None:
        name = self.meta.get("class") or self.meta.get("class_name")
        return str(name) if name else None

    @property
    def story_minutes(self) -> int:
        """Story time that passed between the start and now."""
        return self.state.clock - self.story.clock_start

    @property
    def wall_seconds(self) -> float | None:
        """How long the player played in real time, when the shell recorded it."""
        for key in ("play_seconds", "elapsed_seconds", "elapsed"):
            value = self.meta.get(key)
            if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0:
                return float(value)
        started = _when(self.meta.get("started_at"))
        ended = _when(self.meta.get("ended_at")) or _when(self.saved_at)
        if started and ended and ended >= started:
            return (ended - started).total_seconds()
        return None

    @property
    def first_departure(self) -> Step | None:
        """The first step where the player left what really happened."""
        return next((s for s in self.steps if s.left_history), None)


def _when(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def trace(story: Story, state: State, *, meta: Mapping[str, Any] | None = None, saved_at: str | None = None,
          source: str | None = None) -> Playthrough:
    """Replay `state`'s log from its origin and keep every step.

    Raises engine.ChoiceError naming the first step the story no longer
    allows (the story was edited after the save was made).
    """
    origin = state.origin
    now = engine.new_game(story, seed=origin.seed, start=origin.scene, overrides=dict(origin.overrides))
    steps = []
    for i, entry in enumerate(state.log, 1):
        if now.scene != entry.scene:
            raise engine.ChoiceError(
                f"step {i}: the save was in scene '{entry.scene}', but the story now leads to '{now.scene}'"
            )
        scene = story.scenes[now.scene]
        offered = tuple(engine.choices(story, now))
        view = next((c for c in offered if c.id == entry.choice), None)
        choice = scene.choice(entry.choice)
        if choice is None or view is None:
            raise engine.ChoiceError(f"step {i}: scene '{scene.id}' no longer offers the choice '{entry.choice}'")
        text = engine.scene_text(story, now)
        after = engine.choose(story, now, entry.choice, votes=entry.votes, answer=entry.answer)
        enabled = [c.id for c in offered if c.enabled]
        steps.append(Step(
            number=i, scene=scene, hour=story.hour_of(scene.id), clock=now.clock, text=text, offered=offered,
            choice=choice, choice_text=view.text, decision=explain(entry.votes, entry.choice, enabled),
            answer=entry.answer,
            event_scene=story.scenes[after.scene] if after.log[-1].event and after.scene != choice.goto else None,
        ))
        now = after
    return Playthrough(story, now, tuple(steps), engine.scene_text(story, now), dict(meta or {}), saved_at, source)


def load_playthrough(story: Story, path: str | Path) -> Playthrough:
    """Read a save file and trace it; SaveError names the file for every failure."""
    path = Path(path)
    data = read_file(path)
    state = decode(data, story, str(path))
    meta = data.get("meta") if isinstance(data.get("meta"), dict) else {}
    saved_at = data.get("saved_at") if isinstance(data.get("saved_at"), str) else None
    try:
        return trace(story, state, meta=meta, saved_at=saved_at, source=str(path))
    except (engine.ChoiceError, engine.RunError) as exc:
        raise SaveError(f"{path}: the story has changed since this save was made ({exc})") from None


def story_id_of(path: str | Path) -> str | None:
    """The story id a save file names, without checking anything else (None if unreadable)."""
    try:
        data = read_file(Path(path))
    except SaveError:
        return None
    sid = (data.get("story") or {}).get("id") if isinstance(data.get("story"), dict) else None
    return sid if isinstance(sid, str) else None
