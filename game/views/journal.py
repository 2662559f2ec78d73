"""The journal: every scene of the playthrough so far, as the player read it.

Rebuilt by replaying the state's log from its origin, so each entry's text
is the text as it was rendered at the time (variables, visits and clock as
they were then), not as it would read now.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import engine
from ..engine import State, own
from ..engine.step import RunError
from ..story.model import Story, format_clock
from .hours import hour_of_step
from .refs import ChoiceRef, Vote, choice_text, votes_of, walk
from .typed_text import clean_answer


@dataclass(frozen=True)
class JournalEntry:
    """One scene visited, and what the player did there."""

    step: int
    """Position in the playthrough, from 0; entry `n` holds the log's `n`-th choice (0-based)."""
    scene: str
    """The scene's id."""
    title: str
    clock: int
    """Story clock (minutes) on entering the scene."""
    place: str | None
    """Glossary id of the scene's place."""
    place_name: str | None
    """That glossary entry's term, for display."""
    hour: str | None
    """Title of the hour (scene file) the scene belongs to."""
    text: str
    """The scene's text as rendered when the player was there (stripped)."""
    choice: ChoiceRef | None = None
    """The choice made here, with its text as it was shown; None for the current scene."""
    cost: int = 0
    """Minutes the choice cost."""
    reflect: str | None = None
    """The choice's reflection prompt, if it had one."""
    answer: str | None = None
    """The player's answer to that prompt."""
    votes: tuple[Vote, ...] = ()
    """A class's tallies for the choices here, when the class voted."""
    event: str | None = None
    """Id of the event that took over after this choice and decided where the story went next."""
    ending: str | None = None
    """The ending's title, if this scene is an ending."""
    current: bool = False
    """True for the last entry: the scene the player is in now."""
    own: bool = True
    """False for a step a chapter start played for the player (`engine.own`): the story so far, not a decision."""

    @property
    def clock_text(self) -> str:
        return format_clock(self.clock)


def journal(story: Story, state: State) -> list[JournalEntry]:
    """Every scene visited so far, in order, ending with the current scene.

    If the log no longer fits the story (a save from before the writer
    changed it), the entries stop where the replay broke and the current
    scene follows; `journal_problem` tells the shell why.
    """
    out: list[JournalEntry] = []
    steps = walk(story, state).steps
    for i, st in enumerate(steps):
        s, entry = st.before, st.entry
        scene = story.scenes[s.scene]
        place = story.glossary.get(scene.place) if scene.place else None
        hour = hour_of_step(story, scene.id, steps[i - 1].before.scene if i else None)
        try:
            text = engine.scene_text(story, s).strip()
        except RunError:
            text = scene.text_source.strip()
        choice = None
        cost = 0
        reflect = None
        if entry is not None:
            c = scene.choice(entry.choice)
            if c is not None:
                choice = ChoiceRef(c.id, choice_text(c, s))
                cost, reflect = c.cost, c.reflect
            else:
                choice = ChoiceRef(entry.choice, entry.choice)
        out.append(JournalEntry(
            step=i, scene=scene.id, title=engine.scene_title(story, s), clock=s.clock, place=scene.place,
            place_name=place.term if place else None, hour=engine.hour_title(story, s, hour) if hour else None, text=text,
            choice=choice, cost=cost, reflect=reflect,
            answer=clean_answer(entry.answer) if entry else None, votes=votes_of(scene, s, entry.votes) if entry else (),
            event=entry.event if entry else None,
            ending=engine.ending_title(story, s) if scene.ending else None, current=entry is None, own=own(entry),
        ))
    return out


def journal_problem(story: Story, state: State) -> str | None:
    """Why the journal is incomplete, or None when every step was rebuilt."""
    return walk(story, state).problem


@dataclass(frozen=True)
class JournalHit:
    """One occurrence of a search query in the journal."""

    index: int
    """Index of the entry in the list searched."""
    field: str
    """Which part matched: 'title', 'place', 'text', 'choice', 'answer' or 'clock'."""
    start: int
    """Offsets of the match in that field's text, for highlighting."""
    end: int


SEARCH_FIELDS = ("clock", "title", "place", "text", "choice", "answer")


def _field(entry: JournalEntry, name: str) -> str:
    if name == "clock":
        return entry.clock_text
    if name == "place":
        return entry.place_name or ""
    if name == "choice":
        return entry.choice.text if entry.choice else ""
    return str(getattr(entry, name) or "")


def search(entries: list[JournalEntry], query: str) -> list[JournalHit]:
    """Every occurrence of `query` in the entries, in reading order.

    The query is a phrase: letters match in any case, and a space in the
    query matches any run of whitespace (scene text wraps across lines).
    An empty query finds nothing.
    """
    words = query.split()
    if not words:
        return []
    pattern = re.compile(r"\s+".join(re.escape(w) for w in words), re.IGNORECASE)
    hits: list[JournalHit] = []
    for i, entry in enumerate(entries):
        for name in SEARCH_FIELDS:
            for m in pattern.finditer(_field(entry, name)):
                hits.append(JournalHit(i, name, m.start(), m.end()))
    return hits
