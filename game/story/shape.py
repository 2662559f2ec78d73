"""The scene format's shape, checked fast for the common case: items that are surely valid.

`schema.py` (pydantic) stays the single source of truth for the format, and
gives every shape error its message. But importing pydantic and building the
models costs a load more than checking a whole 5,000-scene story with them,
and a story that loads is almost always one whose items are all well formed.
So the loader asks this module first: it accepts only values whose pydantic
validation is certain to pass, and returns what pydantic would have returned
(as a `Spec` with the same attribute names and values). For anything else —
a missing or unknown key, a wrong type, a form pydantic accepts by coercion
such as `once: yes` or `cost: 1h 30m` — it returns None, and the loader asks
pydantic, which reports the error or accepts the item. Being stricter than
pydantic is safe; being looser never is: `tests/test_shape.py` holds the
tables below to the models' fields, and compares both on generated items.
"""

from __future__ import annotations

import re
from typing import Any, Callable

from .schema_light import DURATION_PATTERN, ID_PATTERN, STORY_ID_PATTERN, TIME_PATTERN

_BAD: Any = object()
"""What a check returns for a value it leaves to pydantic."""
REQUIRED: Any = object()
"""The default of a field that must be given."""

Check = Callable[[Any], Any]


class Spec:
    """A checked item: the attributes of the pydantic model it stands for, and nothing else."""

    def __repr__(self) -> str:
        return f"Spec({self.__dict__!r})"


class _Keep:
    """A check that keeps the value as it is when `cond`, a Python expression on `v`, holds.

    Written as text so that `model` can paste it into the function it
    generates for each model: a call per key was most of this module's time.
    """

    def __init__(self, cond: str, **names: Any):
        self.cond = cond
        self.names = names
        self._fn: Check = eval(f"lambda v: v if ({cond}) else BAD", {**names, "BAD": _BAD})

    def __call__(self, value: Any) -> Any:
        return self._fn(value)


_str = _Keep("type(v) is str")
_bool = _Keep("type(v) is bool")
_patterns = 0


def _pattern(pattern: str) -> _Keep:
    """Strings matching `pattern` (anchored at both ends, as pydantic's are)."""
    global _patterns
    _patterns += 1
    name = f"match{_patterns}"
    match = re.compile(pattern.removeprefix("^").removesuffix("$")).fullmatch
    return _Keep(f"type(v) is str and {name}(v) is not None", **{name: match})


def _optional(check: Check) -> Check:
    if isinstance(check, _Keep):
        return _Keep(f"v is None or ({check.cond})", **check.names)

    def optional(value: Any) -> Any:
        return None if value is None else check(value)

    return optional


def _one_of(*words: str) -> Check:
    return _Keep("type(v) is str and v in allowed", allowed=frozenset(words))


def _str_list(value: Any) -> Any:
    """`StrList`: one string stands for a list of one."""
    if type(value) is str:
        return [value]
    if type(value) is list:
        for item in value:
            if type(item) is not str:
                return _BAD
        return list(value)
    return _BAD


def _str_map(value: Any) -> Any:
    if type(value) is dict:
        for item in value.values():
            if type(item) is not str:
                return _BAD
        return dict(value)
    return _BAD


_plain_value = _Keep("type(v) is int or type(v) is bool or type(v) is str")
"""`int | bool | str`: pydantic's smart union keeps a value of exactly one of these types as it is."""


def _int_pair(value: Any) -> Any:
    """`tuple[int, int]`: a list of two integers (not booleans)."""
    if type(value) is list and len(value) == 2 and type(value[0]) is int and type(value[1]) is int:
        return (value[0], value[1])
    return _BAD


Fields = dict[str, tuple[str, Check, Any]]
"""Key as written -> (attribute, check, default); a default of `list` or `dict` means a new empty one."""


def model(fields: Fields) -> Check:
    """A check for a mapping with exactly these keys (those without a default required).

    Generated as one function per model, each key's test written inline,
    for example for `ChoiceSpec`:

        out = DEFAULTS.copy()  # the defaults that are not lists or dicts
        for key, v in value.items():
            if key == 'id':
                if not (type(v) is str and match1(v) is not None): return BAD
                given += 1  # a required key
            elif key == 'if':
                if not (v is None or (type(v) is str)): return BAD
                key = 'if_'
            elif key == 'effects':
                v = check5(v)
                if v is BAD: return BAD
            ...
            else: return BAD
            out[key] = v
    """
    names: dict[str, Any] = {"BAD": _BAD, "Spec": Spec,
                             "DEFAULTS": {attr: d for attr, _, d in fields.values() if d not in (REQUIRED, list, dict)}}
    required = [key for key, (_, _, default) in fields.items() if default is REQUIRED]
    lines = ["def check(value):", "    if type(value) is not dict:", "        return BAD", "    out = DEFAULTS.copy()",
             "    given = 0", "    for key, v in value.items():"]
    for n, (key, (attr, test, default)) in enumerate(fields.items()):
        lines.append(f"        {'if' if n == 0 else 'elif'} key == {key!r}:")
        if isinstance(test, _Keep):
            names.update(test.names)
            lines.append(f"            if not ({test.cond}): return BAD")
        else:
            names[f"check{n}"] = test
            lines += [f"            v = check{n}(v)", "            if v is BAD: return BAD"]
        if default is REQUIRED:
            lines.append("            given += 1")
        if attr != key:
            lines.append(f"            key = {attr!r}")
    lines += ["        else:" if fields else "        if True:", "            return BAD", "        out[key] = v",
              f"    if given != {len(required)}:", "        return BAD"]
    for attr, _, default in fields.values():
        if default is list or default is dict:
            lines.append(f"    if {attr!r} not in out: out[{attr!r}] = {default.__name__}()")
    lines += ["    spec = Spec()", "    spec.__dict__ = out", "    return spec"]
    exec("\n".join(lines), names)  # noqa: S102 — code made above from this module's own tables
    return names["check"]  # type: ignore[no-any-return]


def _list_of(check: Check) -> Check:
    def check_list(value: Any) -> Any:
        if type(value) is not list:
            return _BAD
        out = []
        for item in value:
            checked = check(item)
            if checked is _BAD:
                return _BAD
            out.append(checked)
        return out

    return check_list


_id = _pattern(ID_PATTERN)
_time = _pattern(TIME_PATTERN)
_duration = _pattern(DURATION_PATTERN.replace(r"\s*", ""))
"""Without the optional space: `1h 30m` is left to pydantic (whose idea of a space is Unicode's, not Python's)."""
_opt_str = _optional(_str)

VARIABLE: Fields = {
    "type": ("type", _one_of("int", "bool", "str"), REQUIRED),
    "default": ("default", _plain_value, REQUIRED),
    "range": ("range", _optional(_int_pair), None),
    "label": ("label", _opt_str, None),
    "shown": ("shown", _bool, False),
    "description": ("description", _opt_str, None),
}
CLOCK: Fields = {"start": ("start", _time, REQUIRED), "end": ("end", _time, REQUIRED)}
HISTORY: Fields = {
    "note": ("note", _str, REQUIRED),
    "sources": ("sources", _str_list, list),
    "invention": ("invention", _bool, False),
    "documents": ("documents", _str_list, list),
}
CHOICE: Fields = {
    "id": ("id", _id, REQUIRED),
    "text": ("text", _str, REQUIRED),
    "goto": ("goto", _id, REQUIRED),
    "if": ("if_", _opt_str, None),
    "selectable_if": ("selectable_if", _opt_str, None),
    "locked": ("locked", _opt_str, None),
    "effects": ("effects", _str_list, list),
    "once": ("once", _bool, False),
    "cost": ("cost", _optional(_duration), None),
    "historical": ("historical", _bool, False),
    "reflect": ("reflect", _opt_str, None),
}
ENDING: Fields = {
    "title": ("title", _str, REQUIRED),
    "epilogue": ("epilogue", _str, REQUIRED),
    "history": ("history", _str, REQUIRED),
    "sources": ("sources", _str_list, list),
    "historical": ("historical", _bool, False),
}
SCENE: Fields = {
    "id": ("id", _id, REQUIRED),
    "title": ("title", _str, REQUIRED),
    "text": ("text", _str, REQUIRED),
    "time": ("time", _optional(_time), None),
    "advance": ("advance", _optional(_duration), None),
    "place": ("place", _optional(_id), None),
    "effects": ("effects", _str_list, list),
    "history": ("history", _optional(model(HISTORY)), None),
    "discussion": ("discussion", _str_list, list),
    "choices": ("choices", _list_of(model(CHOICE)), list),
    "ending": ("ending", _optional(model(ENDING)), None),
}
EVENT: Fields = {
    "id": ("id", _id, REQUIRED),
    "goto": ("goto", _id, REQUIRED),
    "at": ("at", _optional(_time), None),
    "when": ("when", _opt_str, None),
    "once": ("once", _bool, True),
}
GLOSSARY: Fields = {
    "id": ("id", _id, REQUIRED),
    "term": ("term", _str, REQUIRED),
    "kind": ("kind", _one_of("person", "place", "body", "term"), REQUIRED),
    "match": ("match", _str_list, list),
    "text": ("text", _str, REQUIRED),
    "sources": ("sources", _str_list, list),
    "invention": ("invention", _bool, False),
}
HOUR: Fields = {
    "title": ("title", _str, REQUIRED),
    "summary": ("summary", _opt_str, None),
    "discussion": ("discussion", _str_list, list),
}
CONTENT_NOTE: Fields = {
    "age": ("age", _Keep("type(v) is int and 0 <= v <= 21"), REQUIRED),
    "text": ("text", _str, REQUIRED),
}
CHAPTER: Fields = {
    "title": ("title", _str, REQUIRED),
    "start": ("start", _id, REQUIRED),
    "so_far": ("so_far", _str, REQUIRED),
}
DOCUMENT: Fields = {
    "id": ("id", _id, REQUIRED),
    "title": ("title", _str, REQUIRED),
    "author": ("author", _str, REQUIRED),
    "date": ("date", _str, REQUIRED),
    "text": ("text", _str, REQUIRED),
    "citation": ("citation", _str, REQUIRED),
    "translation": ("translation", _opt_str, None),
    "paraphrase": ("paraphrase", _bool, False),
    "context": ("context", _opt_str, None),
}
STORY_FILE: Fields = {
    "title": ("title", _opt_str, None),
    "id": ("id", _optional(_pattern(STORY_ID_PATTERN)), None),
    "author": ("author", _opt_str, None),
    "description": ("description", _opt_str, None),
    "start": ("start", _optional(_id), None),
    "clock": ("clock", _optional(model(CLOCK)), None),
    "content_note": ("content_note", _optional(model(CONTENT_NOTE)), None),
    "chapters": ("chapters", _list_of(model(CHAPTER)), list),
    "variables": ("variables", lambda value: _BAD, dict),
    "sources": ("sources", _str_map, dict),
    "hour": ("hour", _optional(model(HOUR)), None),
    "scenes": ("scenes", _list_of(model(SCENE)), list),
    "events": ("events", _list_of(model(EVENT)), list),
    "glossary": ("glossary", _list_of(model(GLOSSARY)), list),
    "documents": ("documents", _list_of(model(DOCUMENT)), list),
}
"""`variables` is only accepted absent here: the loader checks each declaration on its own."""

MODELS: dict[str, Fields] = {
    "VariableSpec": VARIABLE, "ClockSpec": CLOCK, "HistorySpec": HISTORY, "ChoiceSpec": CHOICE,
    "EndingSpec": ENDING, "SceneSpec": SCENE, "EventSpec": EVENT, "GlossarySpec": GLOSSARY,
    "HourSpec": HOUR, "ContentNoteSpec": CONTENT_NOTE, "ChapterSpec": CHAPTER, "DocumentSpec": DOCUMENT,
    "StoryFile": STORY_FILE,
}
"""Each table by the name of the pydantic model it mirrors."""
CHECKS: dict[str, Check] = {name: model(fields) for name, fields in MODELS.items()}


def check(model_name: str, value: Any) -> Spec | None:
    """`value` as a Spec if pydantic's `model_name` surely accepts it as it is; else None (ask pydantic)."""
    checked = CHECKS[model_name](value)
    return None if checked is _BAD else checked
