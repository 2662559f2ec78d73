"""A playthrough, step by step, for transcripts and the class report.

Built on the shared views (`game.views`): the journal gives each scene as
the player read it, the debrief says which decisions history speaks to and
whether the player followed it, and the replay they share gives the state
before each choice. This module only adds what a classroom needs on top:
the choices that were on offer at each step (for the vote table), how each
class vote was settled, and who played for how long (from the save's meta).
So the game's own debrief, the transcript and the report can never disagree
on what "left history" means.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Mapping

from .. import engine
from ..engine import ChoiceView, State
from ..saves import SaveError, decode, read_file
from ..story.model import Choice, Hour, Scene, Story
from ..views import Debrief, DebriefRow, EndingView, JournalEntry, debrief, journal, journal_problem
from ..views.refs import walk
from ..views.typed_text import clean_name
from .votes import Decision, explain


@dataclass(frozen=True)
class Step:
    """One decision: the scene as the player met it and the choice they made."""

    number: int
    """1 for the first choice."""
    entry: JournalEntry
    scene: Scene
    hour: Hour | None
    offered: tuple[ChoiceView, ...]
    """The choices shown then (locked ones included)."""
    choice: Choice | None
    """The story's choice (None only if the story lost it since)."""
    decision: Decision
    """The class vote behind the choice (How.NO_VOTE in solo play)."""
    row: DebriefRow | None
    """The debrief's row when history records what was done here."""
    event_scene: Scene | None
    """Where an event sent the story instead of the choice's destination."""

    @property
    def clock(self) -> int:
        return self.entry.clock

    @property
    def text(self) -> str:
        return self.entry.text

    @property
    def choice_text(self) -> str:
        return self.entry.choice.text if self.entry.choice else ""

    @property
    def choice_id(self) -> str:
        return self.entry.choice.id if self.entry.choice else ""

    @property
    def answer(self) -> str | None:
        return self.entry.answer

    @property
    def reflect(self) -> str | None:
        return self.entry.reflect

    @property
    def followed(self) -> bool:
        return self.row is not None and self.row.followed

    @property
    def left_history(self) -> bool:
        """History records a choice here and the player made another."""
        return self.row is not None and not self.row.followed

    def text_of(self, choice_id: str) -> str:
        return next((c.text for c in self.offered if c.id == choice_id), choice_id)

    def is_historical(self, choice_id: str) -> bool:
        c = self.scene.choice(choice_id)
        return bool(c and c.historical)


@dataclass(frozen=True)
class Playthrough:
    story: Story
    state: State
    steps: tuple[Step, ...]
    now: JournalEntry
    """The journal's entry for the scene the playthrough stands in."""
    debrief: Debrief
    meta: Mapping[str, Any] = field(default_factory=dict)
    saved_at: str | None = None
    source: str | None = None
    """The save file it was read from, if any."""

    @property
    def scene(self) -> Scene:
        return self.story.scenes[self.state.scene]

    @property
    def finished(self) -> bool:
        return self.scene.ending is not None

    @property
    def ending(self) -> EndingView | None:
        return self.debrief.ending

    @property
    def student(self) -> str | None:
        return clean_name(self.meta.get("student") or self.meta.get("name"))

    @property
    def class_name(self) -> str | None:
        return clean_name(self.meta.get("class") or self.meta.get("class_name"))

    @property
    def start_clock(self) -> int:
        """The story clock where the player's own play began: on entering their first scene of their own.

        That is the chair's start scene, or a chapter's, never simply the shared clock's start: the
        committee man's afternoon begins at 15:00 on a clock that starts at 08:00 for the sailor.
        Every story time a transcript or a class report shows is measured from here.
        """
        return (self.steps[0].entry if self.steps else self.now).clock

    @property
    def story_minutes(self) -> int:
        """Story time that passed between the start of the player's own play and now."""
        return self.state.clock - self.start_clock

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
    def active_seconds(self) -> float | None:
        """Time on task — inputs with the idle gaps capped (`game.active_time`) — when the save recorded it."""
        from ..active_time import META_KEY, saved_seconds

        return saved_seconds(self.meta) if META_KEY in self.meta else None

    @property
    def first_departure(self) -> Step | None:
        """The step where the player first left what really happened."""
        k = self.debrief.left_history
        if k is None:
            return None
        at = self.debrief.rows[k].step
        return next((s for s in self.steps if s.entry.step == at), None)


def _when(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def trace(story: Story, state: State, *, meta: Mapping[str, Any] | None = None, saved_at: str | None = None,
          source: str | None = None) -> Playthrough:
    """Every step of `state`'s playthrough, rebuilt by replaying its log through the story.

    Raises engine.ChoiceError when the log no longer replays (the writer
    changed the story since): a transcript or report of half a game, with
    the saved ending glued on, would mislead the teacher reading it.
    """
    problem = journal_problem(story, state)
    if problem is not None:
        raise engine.ChoiceError(problem)
    entries = journal(story, state)
    before = [st.before for st in walk(story, state).steps]
    report = debrief(story, state)
    rows = {r.step: r for r in report.rows}
    steps: list[Step] = []
    for i, entry in enumerate(entries[:-1]):
        if not entry.own:
            continue  # played by a chapter start: the class's path begins at the chapter
        scene = story.scenes[entry.scene]
        offered = tuple(engine.choices(story, before[i]))
        cid = entry.choice.id if entry.choice else ""
        enabled = [c.id for c in offered if c.enabled]
        nxt = entries[i + 1]
        steps.append(Step(
            number=len(steps) + 1, entry=entry, scene=scene, hour=story.hour_of(scene.id), offered=offered,
            choice=scene.choice(cid), decision=explain({v.choice.id: v.count for v in entry.votes} or None, cid, enabled), row=rows.get(entry.step),
            event_scene=story.scenes[nxt.scene] if entry.event else None,
        ))
    return Playthrough(story, state, tuple(steps), entries[-1], report, dict(meta or {}), saved_at, source)


def load_playthrough(story: Story, path: str | Path) -> Playthrough:
    """Read a save file and trace it; SaveError names the file for every failure to read it."""
    path = Path(path)
    data = read_file(path)
    state = decode(data, story, str(path))
    meta = data.get("meta") if isinstance(data.get("meta"), dict) else {}
    saved_at = data.get("saved_at") if isinstance(data.get("saved_at"), str) else None
    try:
        return trace(story, state, meta=meta, saved_at=saved_at, source=str(path))
    except (engine.ChoiceError, engine.RunError) as exc:
        raise SaveError(f"{path}: the story has changed since this save was made ({exc})") from None
