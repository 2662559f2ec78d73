"""Shape errors as a writer reads them: pydantic's findings turned into messages at places.

pydantic (see `schema.py`) says *what* is wrong with a path of keys and
indices and its own labels; a writer needs the line and column, the item by
its id ("'cost' in scene 'telegram' choice 'keep_secret'") and, for an unknown
key, the keys that would do. Only a file with shape errors gets here, so this
is the one place (with `_allowed_keys`) that still imports pydantic.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .problems import Problem, did_you_mean

if TYPE_CHECKING:
    from .yamlsrc import SourceFile

_PLAIN = {
    "model_type": "expected keys with their values (a mapping)",
    "model_attributes_type": "expected keys with their values (a mapping)",
    "dict_type": "expected keys with their values (a mapping)",
    "list_type": "expected a list",
    "tuple_type": "expected a list, as in [0, 10]",
    "int_type": "expected a whole number",
    "int_parsing": "expected a whole number",
    "int_from_float": "expected a whole number",
    "string_type": "expected text",
}
"""pydantic's own words name its classes ("instance of HourSpec") and Python's types ("a valid tuple"), which
a writer never wrote: what each kind of error expects, in the words of the format."""

_LABELS = {"scenes": "scene", "choices": "choice", "events": "event", "glossary": "glossary entry", "variables": "variable"}


def pydantic_problem(src: SourceFile, e: Any) -> Problem:
    """Turn one pydantic error into a writer's message at the right place."""
    loc = tuple(e["loc"])
    # Drop pydantic's union/type labels: keep only the steps that exist in the data.
    data_loc: tuple[Any, ...] = ()
    for step in loc:
        if (data_loc + (step,)) in src.positions or (data_loc + (step,)) in src.key_positions:
            data_loc += (step,)
        elif e["type"] in ("missing", "extra_forbidden") and step == loc[-1]:
            data_loc += (step,)
    where = what(data_loc, src)
    kind = e["type"]
    if kind == "extra_forbidden":
        key = data_loc[-1]
        allowed = allowed_keys(src, data_loc[:-1])
        line, col = src.key_where(data_loc)
        return Problem(src.path, line, col, f"unknown key '{key}' in {what(data_loc[:-1], src)}.{did_you_mean(str(key), allowed)}"
                       f" Expected one of: {', '.join(allowed)}")
    if kind == "missing":
        line, col = src.where(data_loc[:-1])
        return Problem(src.path, line, col, f"{what(data_loc[:-1], src)} is missing the required key '{data_loc[-1]}'")
    line, col = src.where(data_loc)
    found = e.get("input")
    msg = e["msg"]
    if kind == "string_pattern_mismatch":
        pattern = e.get("ctx", {}).get("pattern", "")
        msg = {
            r"^([01]?[0-9]|2[0-3]):[0-5][0-9]$": "expected a time such as \"16:00\"",
            r"^([0-9]+h)?\s*([0-9]+m(in)?)?$": "expected a duration such as \"10m\", \"1h\" or \"1h30m\"",
        }.get(pattern, "expected a name of letters, digits and _ (not starting with a digit)")
    elif kind == "bool_type":
        msg = "expected true or false (not yes/no, on/off, 1/0 or text in quotes)"
    elif kind == "literal_error":
        msg = "expected " + e.get("ctx", {}).get("expected", "one of the allowed words")
    elif kind in _PLAIN:
        msg = _PLAIN[kind]
    elif kind in ("too_long", "too_short"):
        ctx = e.get("ctx", {})
        most = ctx.get("max_length") if kind == "too_long" else ctx.get("min_length")
        msg = f"expected {'at most' if kind == 'too_long' else 'at least'} {most} item{'s' if most != 1 else ''}"
    else:
        msg = "expected " + msg[len("Input should be "):] if msg.startswith("Input should be ") else msg
    return Problem(src.path, line, col, f"{where}: {msg}, found {short(found)}")


def what(loc: tuple[Any, ...], src: SourceFile | None = None) -> str:
    """A place in the data as a writer says it: "'cost' in scene 'telegram' choice 'keep_secret'".

    Items are named by their id (by number where an item has none); the keys
    below the innermost item are joined with dots.
    """
    if not loc:
        return "the file"
    items: list[str] = []
    keys: list[str] = []
    i = 0
    while i < len(loc):
        step = loc[i]
        if step == "variables" and i + 1 < len(loc):
            items.append(f"variable '{loc[i + 1]}'")
            keys = []
            i += 2
            continue
        if step in _LABELS and i + 1 < len(loc) and isinstance(loc[i + 1], int):
            item = item_id(src, loc[: i + 2]) if src is not None else None
            items.append(f"{_LABELS[step]} '{item}'" if item else f"{_LABELS[step]} {loc[i + 1] + 1}")
            keys = []
            i += 2
            continue
        keys.append(str(step))
        i += 1
    where = " ".join(items[-2:])
    if not keys:
        return where
    return f"'{'.'.join(keys)}' in {where}" if where else f"'{'.'.join(keys)}'"


def item_id(src: SourceFile, loc: tuple[Any, ...]) -> str | None:
    try:
        item = src.data_at(loc)
    except (KeyError, IndexError, TypeError):
        return None
    ident = item.get("id") if isinstance(item, dict) else None
    return ident if isinstance(ident, str) else None


def allowed_keys(src: SourceFile, loc: tuple[Any, ...]) -> list[str]:
    from pydantic import BaseModel

    from . import schema as sc

    model: Any = sc.StoryFile
    for step in loc:
        if isinstance(step, int):
            continue
        field_info = model.model_fields.get(step)
        if field_info is None:
            if model is sc.StoryFile and step != "variables":
                return []
            model = sc.VariableSpec
            continue
        ann = field_info.annotation
        inner = getattr(ann, "__args__", None)
        candidates = [ann] + list(inner or [])
        found = None
        for c in candidates:
            for sub in [c] + list(getattr(c, "__args__", ()) or []):
                if isinstance(sub, type) and issubclass(sub, BaseModel):
                    found = sub
        if found is None:
            return []
        model = found
    return [f.alias or name for name, f in model.model_fields.items()]


def short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
