"""Stage 2 of a load: each file's shape, checked item by item, so one broken scene hides no other error.

Every item is validated by the pydantic models (`schema.py`), the one
definition of the format, whose errors `shape_problems.py` turns into
messages at places. What comes out is each
file's manifest part and its well-formed scenes, events and glossary
entries, for the loader's later stages.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ValidationError

from .problems import Problem
from .schema import EventSpec, GlossarySpec, SceneSpec, StoryFile, VariableSpec
from .schema_light import CHAIR_KEYS, CHAIR_OWN_KEYS, ID_PATTERN, MANIFEST_KEYS
from .shape_problems import pydantic_problem, short

if TYPE_CHECKING:
    from .yamlsrc import SourceFile

M = TypeVar("M", bound=BaseModel)

_DEFAULTS: dict[str, Any] = {"int": 0, "bool": False, "str": ""}
"""The value a broken declaration of each type still declares (so its uses raise no errors too)."""


@dataclass
class Parsed:
    """One file after its shape was checked; broken items are left out, not the file."""

    src: SourceFile
    spec: StoryFile | None
    scenes: list[tuple[int, SceneSpec]] = field(default_factory=list)
    events: list[tuple[int, EventSpec]] = field(default_factory=list)
    glossary: list[tuple[int, GlossarySpec]] = field(default_factory=list)
    broken_scene_ids: set[str] = field(default_factory=set)
    broken_glossary_ids: set[str] = field(default_factory=set)
    """Entries whose shape is wrong (already reported): a scene placed there is not told the place is unknown."""
    """Ids of scenes whose shape is wrong: they exist, so links to them are not errors too."""


def check_file(src: SourceFile, is_manifest: bool, problems: list[Problem], *, chair: bool = False) -> Parsed:
    """Check a file's shape item by item, so one broken scene hides no other error.

    `chair` marks a chair folder's chair.yaml: a manifest of the chair's own keys
    (CHAIR_OWN_KEYS) that may not repeat what every chair shares (the clock,
    sources, glossary, packet and timeline stay in one copy, the story's)."""
    out = Parsed(src, None)
    if src.data is None:
        return out
    if not isinstance(src.data, dict):
        problems.append(src.problem((), "a story file must be a mapping of keys (scenes:, events:, glossary: …)"))
        return out
    if is_manifest and not src.data:
        problems.append(src.problem((), f"story.yaml is empty; it must give at least {', '.join(MANIFEST_KEYS)} "
                                         "(and usually variables)"))
        return out
    items = {k: src.data.get(k) for k in ("scenes", "events", "glossary")}
    top = {k: v for k, v in src.data.items() if k not in items and k != "variables"}
    spec = validate(src, StoryFile, top, (), problems)
    ok = spec is not None
    variables = src.data.get("variables")
    if spec is not None and isinstance(variables, dict):
        spec.variables = _variables(src, variables, problems)
    elif variables is not None and not isinstance(variables, dict):
        problems.append(src.problem(("variables",), f"'variables' must map names to declarations, found {short(variables)}"))
    lists: list[tuple[str, type[BaseModel], list[Any]]] = [
        ("scenes", SceneSpec, out.scenes), ("events", EventSpec, out.events), ("glossary", GlossarySpec, out.glossary),
    ]
    for key, model, into in lists:
        value = items[key]
        if value is None:
            continue
        if not isinstance(value, list):
            problems.append(src.problem((key,), f"'{key}' must be a list (each item starting with '- '), found {short(value)}"))
            ok = False
            continue
        for i, item in enumerate(value):
            checked = validate(src, model, item, (key, i), problems)
            if checked is not None:
                into.append((i, checked))
            elif key == "scenes" and isinstance(item, dict) and isinstance(item.get("id"), str):
                out.broken_scene_ids.add(item["id"])
            elif key == "glossary" and isinstance(item, dict) and isinstance(item.get("id"), str):
                out.broken_glossary_ids.add(item["id"])
    if not ok:
        return out
    out.spec = spec
    if chair:
        for key in CHAIR_KEYS:
            if src.data.get(key) is None:
                problems.append(src.problem((), f"chair.yaml is missing '{key}' (expected: {', '.join(CHAIR_KEYS)})"))
        for key in src.data:
            if key not in CHAIR_OWN_KEYS:
                problems.append(src.problem((key,), f"'{key}' is the story's, shared by every chair: give it once, "
                                                    "in the story folder (story.yaml or a shared file), not in chair.yaml",
                                            at_key=True))
        return out
    for key in MANIFEST_KEYS:
        present = src.data.get(key) is not None
        if is_manifest and not present and (key,) not in src.refused:
            problems.append(src.problem((), f"story.yaml is missing '{key}' (expected: {', '.join(MANIFEST_KEYS)})"))
        if not is_manifest and present:
            problems.append(src.problem((key,), f"'{key}' belongs in story.yaml, not in a scene file", at_key=True))
    if not is_manifest and src.data.get("history") is not None:
        problems.append(src.problem(("history",), "'history' says what kind of story this is: it belongs in story.yaml",
                                    at_key=True))
    if not is_manifest and src.data.get("chair") is not None:
        problems.append(src.problem(("chair",), "'chair' belongs in story.yaml or in a chair folder's chair.yaml",
                                    at_key=True))
    if not is_manifest and src.data.get("variables"):
        problems.append(src.problem(("variables",), "declare variables in story.yaml, so there is one list of them", at_key=True))
    return out


def _variables(src: SourceFile, variables: dict[str, Any], problems: list[Problem]) -> dict[str, VariableSpec]:
    """Each declaration checked alone; a broken one still declares its name (if its type is clear),
    so it does not also cause 'not a declared variable' errors everywhere it is used."""
    out: dict[str, VariableSpec] = {}
    for name, decl in variables.items():
        loc = ("variables", name)
        if not isinstance(name, str) or not re.match(ID_PATTERN, name):
            problems.append(src.problem(
                loc, f"'{name}' is not a usable variable name (letters, digits and _, not starting with a digit)", at_key=True))
            continue
        checked = validate(src, VariableSpec, decl, loc, problems)
        if checked is not None:
            out[name] = checked
        elif isinstance(decl, dict) and (kind := _declared_type(decl)) is not None:
            out[name] = VariableSpec.model_construct(type=kind, default=_DEFAULTS[kind])
        elif isinstance(decl, str) and decl in _DEFAULTS:  # `secret: bool`, a type for a declaration: meant as one
            out[name] = VariableSpec.model_construct(type=decl, default=_DEFAULTS[decl])
    return out


def _declared_type(decl: dict[str, Any]) -> str | None:
    """The type a broken declaration still makes clear: its `type` if that is one of ours (a
    `type: [int]` is not), else its default's; None if neither says."""
    kind = decl.get("type")
    if isinstance(kind, str) and kind in _DEFAULTS:
        return kind
    default = decl.get("default")
    return {bool: "bool", int: "int", str: "str"}.get(type(default))


def validate(src: SourceFile, model: type[M], value: Any, loc: tuple[Any, ...], problems: list[Problem]) -> M | None:
    """`value` checked against the schema `model`; None (and its errors reported at their places) if it fails."""
    try:
        return model.model_validate(value)
    except ValidationError as err:
        _report(src, err.errors(), loc, problems)
        return None


def _report(src: SourceFile, errors: Any, prefix: tuple[Any, ...], problems: list[Problem]) -> None:
    """pydantic's errors for the value at `prefix`, as problems at their places."""
    errors = list(errors)
    # A misspelt key ('titel') is both unknown and leaves 'title' missing: say it once, as the typo.
    misspelt = {
        (tuple(e["loc"][:-1]), m)
        for e in errors if e["type"] == "extra_forbidden"
        for m in difflib.get_close_matches(str(e["loc"][-1]), [str(x["loc"][-1]) for x in errors
                                                                if x["type"] == "missing"], n=1, cutoff=0.6)
    }
    found: list[Problem] = []
    for e in errors:
        loc = prefix + tuple(e["loc"])
        if any(loc[: len(r)] == r for r in src.refused):
            continue  # already reported as a refused tag
        if e["type"] == "missing" and (tuple(e["loc"][:-1]), str(e["loc"][-1])) in misspelt:
            continue
        found.append(pydantic_problem(src, {**e, "loc": loc}))
    problems.extend(_one_per_value(found))


_EXPECTED = re.compile(r"(?P<where>.*?): expected (?P<what>.*), found (?P<found>.*)")


def _one_per_value(found: list[Problem]) -> list[Problem]:
    """One problem per wrong value: a value that may take several forms (a variable's `default`: a number,
    text or true/false) failed each, and pydantic says so once per form, three errors for one mistake. They
    become one, naming every form it may take: 'expected a whole number, text, or true or false'."""
    groups: dict[tuple[str, int, int, str, str], list[str]] = {}
    out: list[Problem | tuple[str, int, int, str, str]] = []
    for p in found:
        m = _EXPECTED.fullmatch(p.message)
        if m is None:
            out.append(p)
            continue
        key = (p.path, p.line, p.col, m["where"], m["found"])
        if key not in groups:
            groups[key] = []
            out.append(key)
        if m["what"] not in groups[key]:
            groups[key].append(m["what"])
    problems = []
    for item in out:
        if isinstance(item, Problem):
            problems.append(item)
            continue
        path, line, col, where, value = item
        ways = groups[item]
        what = ways[0] if len(ways) == 1 else f"{', '.join(ways[:-1])}, or {ways[-1]}"
        problems.append(Problem(path, line, col, f"{where}: expected {what}, found {value}"))
    return problems
