"""The loaded story: immutable, validated, ready for the engine.

Everything here was checked by the loader, so the engine and the shells
trust it: every `goto` names a scene, every expression is typed and compiled,
every time is a minute on the story clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Callable, Mapping

from .problems import Problem

Compiled = Callable[[Any], Any]
Renderer = Callable[[Any], str]

MINUTES_PER_DAY = 24 * 60

BACK = "back"
"""`goto: back`: the scene the player came from, found at play time (so `back` is not a usable scene id)."""
TRAIL_LIMIT = 64
"""How many scenes `goto: back` can unwind; a state keeps no longer a trail (saves stay small in a hub)."""


def format_clock(minutes: int) -> str:
    """Story minutes (which may pass midnight) as 'HH:MM'."""
    return f"{(minutes // 60) % 24:02d}:{minutes % 60:02d}"


@dataclass(frozen=True)
class Variable:
    name: str
    type: str
    default: int | bool | str
    range: tuple[int, int] | None = None
    label: str | None = None
    shown: bool = False
    description: str | None = None
    clamp: bool = False
    """An effect past `range` stops at its end on purpose (a meter); otherwise leaving the range is a mistake."""

    @property
    def display_name(self) -> str:
        return self.label or self.name.replace("_", " ").capitalize()


@dataclass(frozen=True)
class Effect:
    """One compiled assignment, e.g. `resolve += 1`."""

    target: str
    op: str
    value: Compiled
    source: str


@dataclass(frozen=True)
class SourcePos:
    """Where a thing was written, so run-time reports can point back at the file."""

    file: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


@dataclass(frozen=True)
class Choice:
    id: str
    text: Renderer
    text_source: str
    goto: str
    condition: Compiled | None = None
    condition_source: str | None = None
    selectable: Compiled | None = None
    selectable_source: str | None = None
    locked_reason: str | None = None
    effects: tuple[Effect, ...] = ()
    once: bool = False
    cost: int = 0
    historical: bool = False
    reflect: str | None = None
    pos: SourcePos | None = None
    response: Renderer | None = None
    """Set for a choice that stays in its scene: what the player reads under the scene after taking it."""
    response_source: str | None = None
    locked_template: Renderer | None = None
    """`locked_reason` with {expressions}, filled in per state (None when the reason is plain text)."""
    reflect_template: Renderer | None = None

    @property
    def stays(self) -> bool:
        """The player stays in the scene (a `response:` choice): the scene is not entered again."""
        return self.response is not None

    @property
    def goes_back(self) -> bool:
        return self.goto == BACK


@dataclass(frozen=True)
class History:
    note: str
    sources: tuple[str, ...] = ()
    invention: bool = False
    documents: tuple[str, ...] = ()
    """Ids of the source packet's documents this note rests on (shown with the note)."""


@dataclass(frozen=True)
class Ending:
    title: str
    """As written, each {expression} shown as "…" (`template.outline`) for views of many players; the engine fills it in for one."""
    epilogue: str
    history: str
    sources: tuple[str, ...] = ()
    historical: bool = False
    title_template: Renderer | None = None
    """The title with {expressions}, filled in per state (None when it is plain text); likewise the epilogue."""
    epilogue_template: Renderer | None = None


@dataclass(frozen=True)
class Scene:
    id: str
    title: str
    """As written, each {expression} shown as "…" (`template.outline`) for views of many players; the engine fills it in for one."""
    text: Renderer
    text_source: str
    hour: str
    """Id of the hour (scene file) the scene belongs to."""
    time: int | None = None
    advance: int = 0
    place: str | None = None
    effects: tuple[Effect, ...] = ()
    history: History | None = None
    discussion: tuple[str, ...] = ()
    choices: tuple[Choice, ...] = ()
    ending: Ending | None = None
    pos: SourcePos | None = None
    title_template: Renderer | None = None
    """The title with {expressions}, filled in per state by `engine.scene_title` (None when it is plain text)."""
    witness: str | None = None
    """Id of the timeline moment the scene shows (its `time` is that moment's)."""
    terms: tuple[tuple[str, str | None], ...] = ()
    """(words, glossary id or None) that this scene links otherwise than the glossary does (`terms:`)."""

    def choice(self, choice_id: str) -> Choice | None:
        for c in self.choices:
            if c.id == choice_id:
                return c
        return None


@dataclass(frozen=True)
class Event:
    id: str
    goto: str
    condition: Compiled
    condition_source: str
    once: bool = True
    at: int | None = None
    pos: SourcePos | None = None


@dataclass(frozen=True)
class GlossaryEntry:
    id: str
    term: str
    kind: str
    text: str
    match: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    invention: bool = False


@dataclass(frozen=True)
class Hour:
    """One scene file: a stretch of the clock with its own heading and prompts."""

    id: str
    file: str
    title: str
    """As written, each {expression} shown as "…" (`template.outline`) for views of many players; the engine fills it in for one."""
    summary: str | None = None
    discussion: tuple[str, ...] = ()
    scenes: tuple[str, ...] = ()
    title_template: Renderer | None = None
    """The heading with {expressions}, filled in per state by `engine.hour_title` (None when it is plain text)."""


@dataclass(frozen=True)
class ContentNote:
    """What the story contains and the youngest age advised: shown before every new game."""

    age: int
    text: str

    @property
    def heading(self) -> str:
        return f"Content note · for ages {self.age}+"


@dataclass(frozen=True)
class Chapter:
    """A lesson-sized start at a scene on the historical path, with 'the story so far'."""

    number: int
    """From 1, in the order the story lists them (what `--chapter N` takes)."""
    title: str
    start: str
    so_far: str


@dataclass(frozen=True)
class Document:
    """One short primary document of the students' source packet."""

    id: str
    number: int
    """From 1, in the order of the packet; prompts say 'Document N'."""
    title: str
    author: str
    date: str
    text: str
    citation: str
    translation: str | None = None
    paraphrase: bool = False
    context: str | None = None

    @property
    def label(self) -> str:
        """How a prompt or a note names it: 'Document 3 (Lenin, "Three Crises")'."""
        return f"Document {self.number} ({self.title})"


@dataclass(frozen=True)
class TimelineEntry:
    """A moment that really happened, on the clock every chair of the story shares."""

    id: str
    time: int
    """Minutes on the story clock (past midnight counts on: 01:00 after a 15:00 start is 25*60)."""
    title: str
    text: str
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Chair:
    """One point of view of a story folder: its id (what `--chair` takes) and who the player is."""

    id: str
    title: str


@dataclass(frozen=True)
class Story:
    id: str
    title: str
    start: str
    clock_start: int
    clock_end: int
    variables: Mapping[str, Variable]
    scenes: Mapping[str, Scene]
    events: tuple[Event, ...]
    glossary: Mapping[str, GlossaryEntry]
    sources: Mapping[str, str]
    hours: tuple[Hour, ...]
    root: str = ""
    """Folder the story was loaded from."""
    author: str | None = None
    description: str | None = None
    warnings: tuple[Problem, ...] = field(default=())
    history: bool = False
    """A history story (`history: true`): history checks, departure wording and the historical debrief."""
    content_note: ContentNote | None = None
    """Shown before a new game in every shell, and in the teacher's guide."""
    chapters: tuple[Chapter, ...] = ()
    """Lesson-sized starting points, in order."""
    documents: Mapping[str, Document] = field(default_factory=dict)
    """The source packet, by id, in packet order."""
    timeline: tuple[TimelineEntry, ...] = ()
    """What really happened and when, in time order: one list shared by every chair of the folder."""
    chair: str | None = None
    """The chair (point of view) this story is, when its folder holds chairs; None for a one-chair story."""
    chairs: tuple[Chair, ...] = ()
    """Every chair of the folder, the folder's own first; empty for a one-chair story."""

    def __post_init__(self) -> None:
        for name in ("variables", "scenes", "glossary", "sources", "documents"):
            value = getattr(self, name)
            if not isinstance(value, MappingProxyType):
                object.__setattr__(self, name, MappingProxyType(dict(value)))

    def __getstate__(self) -> dict[str, Any]:
        # Read-only mapping views cannot be pickled; the story cache stores plain dicts.
        return {k: dict(v) if isinstance(v, MappingProxyType) else v for k, v in self.__dict__.items()}

    def __setstate__(self, state: dict[str, Any]) -> None:
        for k, v in state.items():
            object.__setattr__(self, k, MappingProxyType(v) if isinstance(v, dict) else v)

    def scene(self, scene_id: str) -> Scene:
        return self.scenes[scene_id]

    @property
    def endings(self) -> list[Scene]:
        return [s for s in self.scenes.values() if s.ending is not None]

    def hour_of(self, scene_id: str) -> Hour | None:
        hid = self.scenes[scene_id].hour
        for h in self.hours:
            if h.id == hid:
                return h
        return None
