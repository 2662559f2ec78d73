"""Compiled expressions and templates that compile on first use and pickle as text.

The loader checks every expression and template when a story loads, so a
typo is a load error; turning the checked tree into closures can wait until
the text is first shown or the condition first asked. That makes a load
cheaper, and it makes a validated `Story` picklable: a `Lazy` pickles as its
source text and the story clock's start, never as a closure, so the story
cache (`game/story_cache.py`) can store a whole validated story and restore it without
re-reading YAML. Restored or not, the text was checked by the loader before
it was ever stored. The compiler is not imported with this module (a start
from the cache need not pay for it before the first frame); the engine's step
module imports it, so a step never reaches for a file.
"""

from __future__ import annotations

from typing import Any, Callable

from .model import MINUTES_PER_DAY

CONDITION = "condition"
"""A whole expression (conditions, `when:`)."""
EFFECT = "effect"
"""The value side of an assignment such as `resolve += 1`."""
TEMPLATE = "template"
"""Scene or choice text with `{…}` passages."""
EVENT = "event"
"""An event's trigger: `at` (story minutes, or None) and `when` (an expression, or None)."""


class _ClockEnv:
    """The one thing compiling needs from the story: where its clock starts."""

    __slots__ = ("clock_start",)

    def __init__(self, clock_start: int):
        self.clock_start = clock_start

    def time_value(self, minutes_of_day: int) -> int:
        if minutes_of_day >= self.clock_start:
            return minutes_of_day
        return minutes_of_day + MINUTES_PER_DAY


class Lazy:
    """A compiled expression or template, called like the closure it stands for."""

    __slots__ = ("kind", "source", "clock_start", "fn", "tree")

    def __init__(self, kind: str, source: Any, clock_start: int, tree: Any = None):
        self.kind = kind
        self.source = source
        """The checked text (for EVENT: a pair (at minutes or None, when text or None))."""
        self.clock_start = clock_start
        self.tree = tree
        """The parsed tree when the loader already has it (dropped once compiled, never pickled)."""
        self.fn: Callable[[Any], Any] | None = None

    def __call__(self, ctx: Any) -> Any:
        fn = self.fn
        if fn is None:
            fn = self.fn = self._compile()
            self.tree = None
        return fn(ctx)

    def _compile(self) -> Callable[[Any], Any]:
        from . import expr as ex  # already loaded by the engine's step module (no file is read here)
        from . import template as tp

        env = _ClockEnv(self.clock_start)
        kind, tree = self.kind, self.tree
        if kind == CONDITION:
            return ex.compile_expr(tree or ex.parse_expr(self.source), env)  # type: ignore[arg-type]
        if kind == EFFECT:
            return ex.compile_expr(tree or ex.parse_assignment(self.source).value, env)  # type: ignore[arg-type]
        if kind == TEMPLATE:
            return tp.compile_template(tree if tree is not None else tp.parse_template(self.source), env,  # type: ignore[arg-type]
                                       self.source)
        if kind == EVENT:
            at, when = self.source
            cond = ex.compile_expr(tree or ex.parse_expr(when), env) if when is not None else None  # type: ignore[arg-type]
            if at is not None and cond is not None:
                return lambda ctx: ctx.clock >= at and cond(ctx)
            if at is not None:
                return lambda ctx: ctx.clock >= at
            assert cond is not None
            return cond
        raise ValueError(f"unknown compiled kind {kind!r}")  # pragma: no cover

    def __reduce__(self) -> tuple[Any, ...]:
        return (Lazy, (self.kind, self.source, self.clock_start))

    def __repr__(self) -> str:
        return f"Lazy({self.kind}, {self.source!r})"
