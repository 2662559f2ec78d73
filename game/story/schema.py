"""The scene format as pydantic models: the single source of truth.

The loader validates every file against `StoryFile`, and `tauride schema`
prints the JSON Schema generated from the same models for editors, so the
documentation, the editor's completion and the loader cannot drift apart.
These models describe the *shape* of a file; meaning (times, expressions,
references between scenes) is checked by `loader.py`, which knows positions.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, WithJsonSchema

from .schema_light import DURATION_PATTERN, ID_PATTERN, STORY_ID_PATTERN, TIME_PATTERN


def _as_list(value: Any) -> Any:
    """Let a writer give one item where a list is expected: `effects: resolve += 1`."""
    return [value] if isinstance(value, str) else value


def _condition_text(value: Any) -> Any:
    """`if: false` written as a YAML boolean is the expression `false` (and `true` likewise)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _whole_number(value: Any) -> Any:
    """A number, not text or true/false: pydantic's lax int would take "3" and True, which JSON Schema refuses."""
    if isinstance(value, (str, bool)):
        raise ValueError("Input should be a valid integer")
    return value


Id = Annotated[str, Field(pattern=ID_PATTERN, description="A name of letters, digits and _, not starting with a digit.")]
Time = Annotated[str, Field(pattern=TIME_PATTERN, description="A time of day on the story clock, 'HH:MM' (quote it or not).")]
Duration = Annotated[str, Field(pattern=DURATION_PATTERN, description="Minutes or hours: '10m', '1h', '1h30m'.")]
StrList = Annotated[list[str], BeforeValidator(_as_list), WithJsonSchema(
    {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
     "description": "One item, or a list of them."})]
Condition = Annotated[str, BeforeValidator(_condition_text), WithJsonSchema(
    {"type": ["string", "boolean"], "description": "An expression, e.g. 'resolve >= 5'; true/false may be written bare."})]
Int = Annotated[int, BeforeValidator(_whole_number)]
Bool = StrictBool
"""Only true/false: `once: yes`, `1` or `"off"` are mistakes the loader and the editor both report."""
StoryId = Annotated[str, Field(pattern=STORY_ID_PATTERN, description="The story's identity: letters, digits, '-', '_', '.'.")]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class VariableSpec(_Model):
    """A story variable, declared once; any undeclared name is a load error."""

    type: Literal["int", "bool", "str"] = Field(description="int, bool or str.")
    default: int | bool | str = Field(description="Value at the start of a new game.")
    range: tuple[Int, Int] | None = Field(None, description="[min, max] for an int; leaving it is an error unless `clamp`.")
    clamp: Bool = Field(False, description="A meter that saturates: an effect past the range stops at its end.")
    label: str | None = Field(None, description="What the player sees, e.g. 'Temper of the street'.")
    shown: Bool = Field(False, description="Show this variable to the player in the side panel.")
    description: str | None = Field(None, description="A note for writers and for the debug panel.")


class ClockSpec(_Model):
    """The span of the story clock. Times earlier than `start` belong to the next day."""

    start: Time
    end: Time


class HistorySpec(_Model):
    """What really happened, shown on demand and in the debrief."""

    note: str = Field(description="Markdown. Separate fact from invention; cite by source key.")
    sources: StrList = Field(default_factory=list, description="Keys into `sources` in story.yaml.")
    invention: Bool = Field(False, description="True when the scene itself is invented (it must say so in the note).")
    documents: StrList = Field(default_factory=list,
                               description="Ids of documents (from a `documents:` list) that this note rests on; "
                                           "the notes screen, plain `history` and transcripts show them.")


class ChoiceSpec(_Model):
    """One option the player may take."""

    id: Id = Field(description="Stable id, unique in its scene; saves refer to it, so do not rename it lightly.")
    text: str = Field(description="What the player reads; may use {expressions}.")
    goto: Id | None = Field(None, description="The scene this choice leads to; 'back' returns to the scene the "
                            "player came from. Leave it out with a `response` to stay in the scene.")
    response: str | None = Field(None, description="Text shown under the scene when the choice is taken; the player "
                                 "stays in the scene (effects and cost apply). May use {expressions}.")
    if_: Condition | None = Field(None, alias="if", description="Condition: the choice is hidden unless it holds.")
    selectable_if: Condition | None = Field(None, description="Condition: shown always, but locked unless it holds.")
    locked: str | None = Field(None, description="Why a locked choice cannot be taken (shown to the player).")
    effects: StrList = Field(default_factory=list, description="Assignments: 'resolve += 1', 'secret = true'.")
    once: Bool = Field(False, description="Offer this choice only until it has been taken once.")
    cost: Duration | None = Field(None, description="Story time the choice takes, e.g. '15m'.")
    historical: Bool = Field(False, description="This is what the historical actors did.")
    reflect: str | None = Field(None, description="A question the player answers in words after choosing (classroom).")


class EndingSpec(_Model):
    """Marks a scene as an ending."""

    title: str
    epilogue: str = Field(description="Markdown shown after the scene text.")
    history: str | None = Field(None, description="How close this ending is to what really happened (required in a "
                                "story with `history: true`).")
    sources: StrList = Field(default_factory=list)
    historical: Bool = Field(False, description="This ending is the historical outcome.")


class SceneSpec(_Model):
    """A scene: text, the clock, the place, and the choices out of it."""

    id: Id
    title: str
    text: str = Field(description="Markdown with {expressions} and {if …}{else}{/if} passages.")
    time: Time | None = Field(None, description="Sets the clock on entry (it never runs backwards).")
    advance: Duration | None = Field(None, description="Moves the clock on entry, e.g. '10m'.")
    place: Id | None = Field(None, description="Glossary id of the place.")
    effects: StrList = Field(default_factory=list, description="Assignments made on entering the scene.")
    history: HistorySpec | None = None
    discussion: StrList = Field(default_factory=list, description="Prompts for classroom discussion.")
    choices: list[ChoiceSpec] = Field(default_factory=list)
    ending: EndingSpec | None = None
    witness: Id | None = Field(None, description="Id of the timeline moment this scene shows; the scene takes "
                                                 "its time from the timeline (a `time` given too must agree).")
    terms: dict[str, Id | None] = Field(
        default_factory=dict,
        description="Words of this scene's text that mean another glossary entry than the glossary's match words "
                    "say, e.g. {'the Soviet': kronstadt_soviet}; null: no link at all. They win over the glossary's "
                    "own words in this scene only.")


class EventSpec(_Model):
    """An interruption: when its condition holds after a choice, play jumps to its scene."""

    id: Id
    goto: Id
    at: Time | None = Field(None, description="Fires once the clock reaches this time.")
    when: Condition | None = Field(None, description="Condition; combined with `at` by 'and' when both are given.")
    once: Bool = Field(True, description="Fire at most once per playthrough.")


class GlossarySpec(_Model):
    """A person, place, body or term the player can look up."""

    id: Id
    term: str = Field(description="The heading, e.g. 'Nikolai Chkheidze'.")
    kind: Literal["person", "place", "body", "term"]
    match: StrList = Field(default_factory=list, description="Words in scene text that refer to this entry.")
    text: str = Field(description="Two or three sentences.")
    sources: StrList = Field(default_factory=list)
    invention: Bool = Field(False, description="An invented character or place.")


class HourSpec(_Model):
    """The hour a scene file covers: a heading and prompts for the class."""

    title: str
    summary: str | None = None
    discussion: StrList = Field(default_factory=list)


class ContentNoteSpec(_Model):
    """What a teacher or player should know before starting: shown before every new game."""

    age: Int = Field(ge=0, le=21, description="The youngest age the writer advises, e.g. 15 (shown as '15+').")
    text: str = Field(description="What the story contains (violence, slurs …), in a sentence or two.")


class ChapterSpec(_Model):
    """A lesson-sized start: play begins at `start` with the state the historical path has there."""

    title: str = Field(description="The chapter's heading, e.g. 'The sailors at the gate'.")
    start: Id = Field(description="The scene the chapter starts at; the historical path must pass through it.")
    so_far: str = Field(description="'The story so far': a short summary read before the chapter starts.")


class DocumentSpec(_Model):
    """A short primary document for the students' source packet, with its full citation."""

    id: Id = Field(description="Stable id; notes name it in `history.documents`, prompts as [doc:ID].")
    title: str = Field(description="What the document is, e.g. 'Lenin, \"Three Crises\"'.")
    author: str = Field(description="Who wrote, said or made it.")
    date: str = Field(description="When, as precisely as known, e.g. '4 July 1917' or 'written 1921'.")
    text: str = Field(description="The excerpt itself (Markdown), or a paraphrase when `paraphrase` is true.")
    citation: str = Field(description="The full citation: author, title, publisher, year, page.")
    translation: str | None = Field(None, description="Who translated it into English, if it was translated.")
    paraphrase: Bool = Field(False, description="True when `text` is a paraphrase, not the document's own words.")
    context: str | None = Field(None, description="A line for students: who the author was and why it matters.")


class TimelineSpec(_Model):
    """A moment of the day that really happened, on the clock every chair shares."""

    id: Id = Field(description="Stable id; scenes that show this moment name it in `witness`.")
    time: Time = Field(description="When it happened, on the story clock ('about' goes in `text`).")
    title: str = Field(description="What happened, in a line: 'The Kronstadt sailors reach the Tauride Palace'.")
    text: str = Field(description="A sentence or two: what the sources say, ranges where they differ.")
    sources: StrList = Field(default_factory=list, description="Keys into `sources` in story.yaml.")


class ChairSpec(_Model):
    """A point of view on the story: story.yaml names the folder's own chair, a chair.yaml its folder's."""

    id: Id = Field(description="The chair's name, as `--chair` takes it; a chair folder's id is the folder's name.")
    title: str = Field(description="Who the player is, e.g. 'A Kronstadt sailor'.")


class StoryFile(_Model):
    """Any YAML file of a story. `story.yaml` carries the manifest keys too."""

    title: str | None = Field(None, description="story.yaml: the story's title.")
    id: StoryId | None = Field(None, description="story.yaml: the story's identity, written into saves.")
    author: str | None = None
    description: str | None = None
    history: Bool | None = Field(None, description="story.yaml: true for a history story (history notes, the history "
                                 "checks of --strict, the debrief beside what happened); false or absent for fiction.")
    start: Id | None = Field(None, description="story.yaml: the first scene.")
    clock: ClockSpec | None = Field(None, description="story.yaml: the clock's span.")
    content_note: ContentNoteSpec | None = Field(None, description="story.yaml: shown before every new game.")
    chapters: list[ChapterSpec] = Field(default_factory=list, description="story.yaml: lesson-sized starting points.")
    variables: dict[Annotated[str, Field(pattern=ID_PATTERN)], VariableSpec] = Field(default_factory=dict)
    sources: dict[str, str] = Field(default_factory=dict, description="Source key -> full citation of a book or article.")
    hour: HourSpec | None = None
    scenes: list[SceneSpec] = Field(default_factory=list)
    events: list[EventSpec] = Field(default_factory=list)
    glossary: list[GlossarySpec] = Field(default_factory=list)
    documents: list[DocumentSpec] = Field(default_factory=list, description="The source packet's documents.")
    chair: ChairSpec | None = Field(None, description="story.yaml or a chair folder's chair.yaml: the point of view.")
    timeline: list[TimelineSpec] = Field(default_factory=list,
                                         description="What really happened and when, shared by every chair.")




JSON_SCHEMA_DRAFT = "https://json-schema.org/draft/2020-12/schema"


def json_schema() -> dict[str, Any]:
    """The JSON Schema for scene files, for the YAML language server."""
    schema = StoryFile.model_json_schema(by_alias=True)
    # pydantic writes `$defs` and `prefixItems` (for `range`): the 2020-12 draft, which is what it must declare.
    schema["$schema"] = JSON_SCHEMA_DRAFT
    schema["title"] = "Tauride story file"
    return schema


def json_schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
