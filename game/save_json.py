"""Reading a save's JSON with every number and every level of nesting bounded.

Kept apart from the save format's pydantic models (game.save_format) so that
reading a save's bytes costs no pydantic import: the models are imported
only when a save is checked.
"""

from __future__ import annotations

import json
from typing import Any

from .errors import TaurideError

MAX_DEPTH = 32
"""Deepest nesting of lists and objects a save may hold (a real save nests 4 deep)."""
MAX_DIGITS = 20
"""Longest integer, in digits, a save may hold: every number the game writes fits in 64 bits."""


class SaveFormatError(TaurideError, ValueError):
    """A save's content is not a valid save (or not for this story); the message says why."""


def _refuse_float(text: str) -> Any:
    raise SaveFormatError(f"it holds the number {text[:30]}, but a save only holds whole numbers")


def _refuse_constant(text: str) -> Any:
    raise SaveFormatError(f"it holds {text}, which is not a number a save can hold")


def _bounded_int(text: str) -> int:
    digits = len(text.lstrip("-"))
    if digits > MAX_DIGITS:
        raise SaveFormatError(f"it holds a number of {digits} digits; a save's numbers have at most {MAX_DIGITS}")
    return int(text)


def parse_save_json(text: str) -> Any:
    """Parse a save's JSON with numbers and nesting bounded; raises SaveFormatError or json.JSONDecodeError.

    Python's own reader turns `1e999` into infinity, stops at 4,300 digits with
    a ValueError and at deep nesting with a RecursionError: each is a refusal
    here, with its reason.
    """
    try:
        data = json.loads(text, parse_float=_refuse_float, parse_int=_bounded_int, parse_constant=_refuse_constant)
    except RecursionError:
        raise SaveFormatError("it is nested too deeply to be a save") from None
    depth = _depth(data)
    if depth > MAX_DEPTH:
        raise SaveFormatError(f"it is nested more than {MAX_DEPTH} levels deep; no save is")
    return data


def _depth(data: Any) -> int:
    """How deeply lists and objects nest, found without recursion."""
    deepest, todo = 0, [(data, 1)]
    while todo:
        item, level = todo.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            deepest = max(deepest, level)
            if level <= MAX_DEPTH:
                todo.extend((x, level + 1) for x in item)
    return deepest
