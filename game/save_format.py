"""The save format, defined once: a pydantic model of a save file, and its check against a story.

A save is read from a file anyone can edit, so nothing in it is trusted: the
JSON is read with bounded numbers and depth (game.save_json), its shape is
checked by `SaveFile` (the one definition of the format, as the story format
has its models), and what it names is checked against the story it is loaded
into (`story_problems`). Every refusal says what is wrong and where, in words
a player or a teacher can pass on; nothing here raises anything but
`SaveFormatError`.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr, ValidationError, field_validator

from .save_json import SaveFormatError
from .story.expr import MAX_INT
from .story.model import Story

__all__ = ["SaveFile", "SaveFormatError", "explain_problems", "story_problems", "validate_save"]

MAX_CLOCK = 100 * 24 * 60
"""The story clock counts minutes; a hundred days is far past any story's end."""
MAX_SHOWN_PROBLEMS = 3
"""How many of a save's problems a message lists before it says how many more there are."""
_INTERNAL = re.compile(r" or instance of \w+")
"""Pydantic names the model class in some messages; a player has no use for it."""

Id = Annotated[StrictStr, Field(min_length=1, max_length=200)]
"""A scene, choice, event or variable id as the writer spelled it."""
Number = Annotated[StrictInt, Field(ge=-MAX_INT, le=MAX_INT)]
"""A variable's whole number: the expression language's bound."""
Value = StrictBool | Number | StrictStr
"""A variable's value: true/false, a whole number or text (bool first: JSON true is not 1)."""
Clock = Annotated[StrictInt, Field(ge=0, le=MAX_CLOCK)]
Count = Annotated[StrictInt, Field(ge=0, le=MAX_INT)]
Word64 = Annotated[StrictInt, Field(ge=0, lt=1 << 64)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class OriginModel(_Strict):
    """How the playthrough began: the start scene, the seed and any variables set at the start."""

    scene: Id
    seed: Annotated[StrictInt, Field(ge=-(1 << 63), lt=1 << 64)]
    overrides: list[tuple[Id, Value]] = []


class LogEntryModel(_Strict):
    """One choice made, named by the ids the writer chose."""

    scene: Id
    choice: Id
    clock: Clock
    votes: dict[Id, Count] | None = None
    answer: StrictStr | None = None
    event: Id | None = None
    by_chapter: StrictBool = False
    """True for a step a chapter start played for the player (`tauride class --chapter`)."""


class StateModel(_Strict):
    """The state of play, as `State.to_json` writes it."""

    scene: Id
    clock: Clock
    vars: dict[Id, Value]
    visits: dict[Id, Count]
    chosen: list[Id]
    fired: list[Id]
    rng: Word64
    origin: OriginModel
    log: list[LogEntryModel]
    trail: list[Id] = []
    """Scenes `goto: back` returns to (absent in saves made before it existed)."""
    response: Id | None = None
    """The choice whose response is shown under the scene (absent in older saves)."""


class StoryRef(_Strict):
    """Which story the save belongs to (its id decides; the title is for people)."""

    id: StrictStr
    title: StrictStr = ""


class SaveFile(BaseModel):
    """A whole save file. Unknown top-level keys are allowed, so a newer minor format still lists."""

    model_config = ConfigDict(frozen=True)

    format: Literal["tauride-save"]
    version: StrictInt
    story: StoryRef
    saved_at: StrictStr
    meta: dict[StrictStr, Any] = {}
    kind: Literal["play", "finished"] = "play"
    """'finished': a playthrough kept at its ending, never written over (game.save_keep)."""
    state: StateModel

    @field_validator("saved_at")
    @classmethod
    def _iso_time(cls, value: str) -> str:
        try:
            datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(f"'{value[:40]}' is not a date and time like 2026-12-07T10:15:00+00:00") from None
        return value


def validate_save(data: Any) -> SaveFile:
    """The save's data as a `SaveFile`, or SaveFormatError naming the fields that are wrong."""
    try:
        return SaveFile.model_validate(data)
    except ValidationError as exc:
        raise SaveFormatError(_explain(exc)) from None


def _explain(exc: ValidationError) -> str:
    """Pydantic's errors as one sentence a person can act on: where in the save, and what is wrong."""
    parts = []
    for err in exc.errors()[:MAX_SHOWN_PROBLEMS]:
        where = ".".join(str(p) for p in err["loc"]) or "the save"
        msg = err["msg"]
        if err["type"] == "missing":
            msg = "is missing"
        elif err["type"] == "extra_forbidden":
            msg = "is not part of a save"
        else:
            got = err.get("input")
            shown = json.dumps(got)[:40] if isinstance(got, (bool, int, str, type(None))) else type(got).__name__
            msg = _INTERNAL.sub("", msg).replace("a valid dictionary", "an object in braces ({...})")
            msg = f"is {shown}: {msg[0].lower()}{msg[1:]}"
        parts.append(f"{where} {msg}")
    more = exc.error_count() - MAX_SHOWN_PROBLEMS
    return "; ".join(parts) + (f"; and {more} more problem{'s' if more > 1 else ''}" if more > 0 else "")


def story_problems(save: SaveFile, story: Story) -> list[str]:
    """What in a well-formed save does not fit this story: every problem, in words.

    Variables the story no longer has, and ones it added since, are not
    problems (they are dropped and given defaults when the save is loaded);
    a value of the wrong type or out of the declared range is, and so is a
    step of the log that names a scene, choice or event the story lacks.
    """
    state = save.state
    out: list[str] = []
    if state.origin.scene not in story.scenes:
        out.append(f"the playthrough began in the scene '{state.origin.scene}', which is not in this story")
    for name, value in [*state.vars.items(), *((n, v) for n, v in state.origin.overrides)]:
        var = story.variables.get(name)
        if var is None:
            continue
        if type(value) is not type(var.default):
            kind = {"int": "a whole number", "bool": "true or false", "str": "text"}.get(var.type, var.type)
            out.append(f"the variable '{name}' holds {json.dumps(value)[:40]}, but the story declares it {kind}")
        elif isinstance(value, int) and not isinstance(value, bool) and var.range is not None:
            lo, hi = var.range
            if not lo <= value <= hi:
                out.append(f"the variable '{name}' holds {value}, outside its range {lo} to {hi}")
    for name in state.trail:
        if name not in story.scenes:
            out.append(f"the way back leads through the scene '{name}', which is not in this story")
    here = story.scenes.get(state.scene)
    if state.response is not None and here is not None and (
            (c := here.choice(state.response)) is None or c.response is None):
        out.append(f"the save shows the response of the choice '{state.response}', which the scene "
                   f"'{state.scene}' does not have")
    events = {e.id for e in story.events}
    for i, entry in enumerate(state.log, 1):
        scene = story.scenes.get(entry.scene)
        if scene is None:
            out.append(f"step {i} of the log names the scene '{entry.scene}', which is not in this story")
        elif scene.choice(entry.choice) is None:
            out.append(f"step {i} of the log names the choice '{entry.choice}' of the scene '{entry.scene}', "
                       "which that scene does not have")
        if entry.event is not None and entry.event not in events:
            out.append(f"step {i} of the log names the event '{entry.event}', which is not in this story")
    return out


def explain_problems(problems: list[str]) -> str:
    """A list of problems as one message, the first few spelled out."""
    more = len(problems) - MAX_SHOWN_PROBLEMS
    return "; ".join(problems[:MAX_SHOWN_PROBLEMS]) + (f"; and {more} more" if more > 0 else "")
