"""The debrief: the player's decisions beside what the historical actors did.

A decision counts when history speaks to it (`route.followed_history`: a
choice marked `historical: true` was open to the player there); the other
decisions are the story's inventions around the record, or moments where
the historical option was out of reach, and are left out. The player "left
history" at the first counted decision that was not a historical choice.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..engine import State, ending_title, epilogue, own, scene_title
from ..story.model import Story, format_clock
from .refs import ChoiceRef, SourceRef, Vote, choice_text, sources_of, votes_of, walk
from .route import followed_history
from .typed_text import clean_answer


@dataclass(frozen=True)
class DebriefRow:
    """One decision the player made where history records what was done."""

    step: int
    """Position in the playthrough (the same numbering as the journal's entries)."""
    scene: str
    title: str
    clock: int
    """Story clock on entering the scene."""
    chosen: ChoiceRef
    """What the player chose, as it was shown."""
    historical: tuple[ChoiceRef, ...]
    """The choice(s) marked historical in that scene, as they would have read then."""
    followed: bool
    """Whether the player took a historical choice."""
    note: str | None
    """The scene's history note (Markdown), if it has one."""
    sources: tuple[SourceRef, ...]
    invention: bool
    """The writer marked the scene itself as invented."""
    votes: tuple[Vote, ...] = ()
    """A class's tallies, when the class voted on this decision."""
    answer: str | None = None
    """The player's answer to the choice's reflection prompt."""

    @property
    def clock_text(self) -> str:
        return format_clock(self.clock)


@dataclass(frozen=True)
class EndingView:
    """The ending reached, with what really happened."""

    scene: str
    title: str
    epilogue: str
    history: str
    sources: tuple[SourceRef, ...]
    historical: bool
    """True if this is the ending that history took."""


@dataclass(frozen=True)
class Debrief:
    rows: tuple[DebriefRow, ...]
    left_history: int | None
    """Index into `rows` of the first decision that was not historical; None if the player never left."""
    ending: EndingView | None
    """None while the playthrough has not reached an ending."""

    @property
    def followed(self) -> int:
        """How many of the counted decisions matched history."""
        return sum(1 for r in self.rows if r.followed)


def debrief(story: Story, state: State) -> Debrief:
    rows: list[DebriefRow] = []
    for i, st in enumerate(walk(story, state).steps):
        if st.entry is None or not own(st.entry):
            continue
        scene = story.scenes[st.before.scene]
        followed = followed_history(story, st.before, st.entry.choice)
        if followed is None:
            continue
        marked = [c for c in scene.choices if c.historical]
        taken = scene.choice(st.entry.choice)
        chosen = ChoiceRef(st.entry.choice, choice_text(taken, st.before) if taken else st.entry.choice)
        h = scene.history
        rows.append(DebriefRow(
            step=i, scene=scene.id, title=scene_title(story, st.before), clock=st.before.clock, chosen=chosen,
            historical=tuple(ChoiceRef(c.id, choice_text(c, st.before)) for c in marked),
            followed=followed,
            note=h.note.strip() if h else None, sources=sources_of(story, h.sources) if h else (),
            invention=h.invention if h else False, votes=votes_of(scene, st.before, st.entry.votes), answer=clean_answer(st.entry.answer),
        ))
    left = next((k for k, r in enumerate(rows) if not r.followed), None)
    current = story.scenes[state.scene]
    ending = None
    if current.ending is not None:
        e = current.ending
        ending = EndingView(current.id, ending_title(story, state), epilogue(story, state), e.history.strip(),
                            sources_of(story, e.sources), e.historical)
    return Debrief(tuple(rows), left, ending)
