"""The step function: what can be chosen now, and what follows a choice.

Pure: no I/O, no wall clock, no global random. Every shell — the Textual
game, plain mode, the random walker, the classroom — calls `choices()` and
`choose()` and renders what comes back.

A story's conditions, effects and texts compile on first use (`story/lazy.py`);
the compiler is imported here, with the step function, so that no step ever
imports a module (which would read files): `tests/test_engine_purity.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from immutables import Map

from ..errors import TaurideError
from ..story import expr as _expr  # noqa: F401  (see the module docstring: a step never imports)
from ..story import template as _template  # noqa: F401
from ..story.model import Choice, Effect, Scene, Story
from ..story.problems import ExprRuntimeError
from .log import EMPTY, Log
from .state import LogEntry, Origin, State, Value, played_by_chapter

_MASK = (1 << 64) - 1


class ChoiceError(TaurideError):
    """The choice asked for is not available in this state."""


class RunError(TaurideError):
    """An expression failed at run time; the message names where it was written."""


def _splitmix(x: int) -> tuple[int, int]:
    """One step of SplitMix64: (next position, 64-bit output)."""
    x = (x + 0x9E3779B97F4A7C15) & _MASK
    z = x
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    return x, z ^ (z >> 31)


class _Ctx:
    """What expressions may read: a mutable scratch copy of one state's values."""

    __slots__ = ("vars", "clock", "visits", "chosen", "rng", "strict", "range_errors")

    def __init__(self, state: State | None, values: Mapping[str, Value], clock: int, rng: int,
                 strict: bool = False) -> None:
        self.vars: dict[str, Value] = dict(values)
        self.clock = clock
        self.visits: Mapping[str, int] = state.visits if state is not None else Map()
        self.chosen: Mapping[str, bool] = state.chosen if state is not None else Map()
        self.rng = rng
        self.strict = strict
        self.range_errors: list[str] = []

    def random(self, lo: int, hi: int) -> int:
        self.rng, out = _splitmix(self.rng)
        return lo + out % (hi - lo + 1)


class _View:
    """Read-only context for conditions and text, without copying the state."""

    __slots__ = ("vars", "clock", "visits", "chosen")

    def __init__(self, state: State):
        self.vars = state.vars
        self.clock = state.clock
        self.visits = state.visits
        self.chosen = state.chosen

    def random(self, lo: int, hi: int) -> int:  # pragma: no cover - the checker forbids it
        raise ExprRuntimeError("random() in a condition")


@dataclass(frozen=True)
class ChoiceView:
    """A choice as a shell shows it."""

    id: str
    text: str
    enabled: bool
    locked_reason: str | None
    cost: int
    historical: bool
    reflect: str | None


def new_game(
    story: Story,
    *,
    seed: int = 0,
    start: str | None = None,
    overrides: Mapping[str, Value] | None = None,
) -> State:
    """The state at the start of a playthrough (optionally from any scene, with variables set)."""
    start = start or story.start
    if start not in story.scenes:
        raise ChoiceError(f"there is no scene '{start}' to start from")
    values: dict[str, Value] = {n: v.default for n, v in story.variables.items()}
    for name, value in (overrides or {}).items():
        var = story.variables.get(name)
        if var is None:
            raise ChoiceError(f"'{name}' is not a variable of this story")
        if type(value) is not type(var.default):
            raise ChoiceError(f"'{name}' is {var.type}; {value!r} does not fit")
        values[name] = value
    origin = Origin(start, seed, tuple((overrides or {}).items()))
    ctx = _Ctx(None, values, story.clock_start, seed & _MASK)
    return _enter(story, start, ctx, Map(), Map(), frozenset(), origin, EMPTY)


def scene_of(story: Story, state: State) -> Scene:
    return story.scenes[state.scene]


def is_ending(story: Story, state: State) -> bool:
    return story.scenes[state.scene].ending is not None


def _render(fn: Any, state: State, where: Any) -> str:
    try:
        return str(fn(_View(state)))
    except ExprRuntimeError as err:
        raise RunError(f"{where}: {err}") from None


def scene_text(story: Story, state: State) -> str:
    """The current scene's text, with its expressions filled in."""
    scene = story.scenes[state.scene]
    return _render(scene.text, state, scene.pos)


def choices(story: Story, state: State) -> list[ChoiceView]:
    """The choices a player sees now: hidden ones left out, locked ones marked."""
    scene = story.scenes[state.scene]
    view = _View(state)
    out = []
    for c in scene.choices:
        try:
            if c.once and f"{scene.id}.{c.id}" in state.chosen:
                continue
            if c.condition is not None and not c.condition(view):
                continue
            enabled = c.selectable is None or bool(c.selectable(view))
            text = c.text(view)
        except ExprRuntimeError as err:
            raise RunError(f"{c.pos}: {err}") from None
        out.append(ChoiceView(c.id, text, enabled, None if enabled else c.locked_reason, c.cost, c.historical, c.reflect))
    return out


def available_ids(story: Story, state: State) -> list[str]:
    """Ids of the choices that can be taken now (the walker's fast path)."""
    scene = story.scenes[state.scene]
    view = _View(state)
    return [c.id for c in scene.choices if _can_take(scene, c, state, view)]


def _can_take(scene: Scene, c: Choice, state: State, view: _View) -> bool:
    """Shown (not used up, condition holds) and selectable: what `choose` accepts."""
    if c.once and f"{scene.id}.{c.id}" in state.chosen:
        return False
    try:
        if c.condition is not None and not c.condition(view):
            return False
        if c.selectable is not None and not c.selectable(view):
            return False
    except ExprRuntimeError as err:
        raise RunError(f"{c.pos}: {err}") from None
    return True


def _apply(story: Story, ctx: _Ctx, effects: tuple[Effect, ...], where: Any) -> None:
    for eff in effects:
        try:
            value = eff.value(ctx)
            if eff.op != "=":
                from ..story.expr import assign  # loaded with the first compiled expression anyway

                value = assign(eff.op, ctx.vars[eff.target], value)
        except ExprRuntimeError as err:
            raise RunError(f"{where}: effect '{eff.source}': {err}") from None
        rng = story.variables[eff.target].range
        if rng is not None and not rng[0] <= value <= rng[1]:
            if ctx.strict:
                ctx.range_errors.append(
                    f"{where}: effect '{eff.source}' set '{eff.target}' to {value}, outside its range {list(rng)}"
                )
            value = min(max(value, rng[0]), rng[1])
        ctx.vars[eff.target] = value


def choose(
    story: Story,
    state: State,
    choice_id: str,
    *,
    votes: Mapping[str, int] | None = None,
    answer: str | None = None,
    strict: bool = False,
    by_chapter: bool = False,
    notes: list[str] | None = None,
) -> State:
    """The state after taking `choice_id`.

    Order: the choice's effects, then its time cost; then the first event
    whose condition now holds takes over the destination; then the new
    scene is entered (its time or advance, its own effects). With `strict`,
    values pushed outside a variable's range are reported into `notes`
    (they are always clamped). `by_chapter` marks the logged step as one a
    chapter start played for the player (`LogEntry.by_chapter`).
    """
    scene = story.scenes[state.scene]
    choice = scene.choice(choice_id)
    if choice is None:
        raise ChoiceError(f"scene '{scene.id}' has no choice '{choice_id}'")
    if not _can_take(scene, choice, state, _View(state)):
        raise ChoiceError(f"choice '{choice_id}' is not available in scene '{scene.id}' now")
    ctx = _Ctx(state, state.vars, state.clock, state.rng, strict)
    _apply(story, ctx, choice.effects, choice.pos)
    ctx.clock += choice.cost
    key = f"{scene.id}.{choice.id}"
    chosen = state.chosen if key in state.chosen else state.chosen.set(key, True)
    target = choice.goto
    fired = state.fired
    fired_id = None
    ctx.chosen = chosen
    for event in story.events:
        if event.once and event.id in fired:
            continue
        try:
            hit = event.condition(ctx)
        except ExprRuntimeError as err:
            raise RunError(f"{event.pos}: event '{event.id}': {err}") from None
        if hit:
            target = event.goto
            fired = fired | {event.id}
            fired_id = event.id
            break
    entry = LogEntry(scene.id, choice.id, state.clock, dict(votes) if votes is not None else None, answer, fired_id,
                     by_chapter)
    new = _enter(story, target, ctx, state.visits, chosen, fired, state.origin, state.log.plus(entry, state))
    if notes is not None:
        notes.extend(ctx.range_errors)
    return new


def _enter(story: Story, scene_id: str, ctx: _Ctx, visits: Map[str, int], chosen: Map[str, bool],
           fired: frozenset[str], origin: Origin, log: Log) -> State:
    """The state on entering `scene_id` with the values in `ctx`: its time or advance, its effects, one more visit."""
    scene = story.scenes[scene_id]
    clock = ctx.clock
    if scene.time is not None and scene.time > clock:
        clock = scene.time
    clock += scene.advance
    ctx.clock = clock
    if scene.effects:
        _apply(story, ctx, scene.effects, scene.pos)
    return State(
        scene=scene_id, clock=clock, vars=ctx.vars, visits=visits.set(scene_id, visits.get(scene_id, 0) + 1),
        chosen=chosen, fired=fired, rng=ctx.rng, origin=origin, log=log,
    )


def replay(story: Story, origin: Origin, steps: Sequence[tuple[str, str] | LogEntry]) -> State:
    """Rebuild a state from its origin and a list of choices (scene, choice) or log entries.

    Raises ChoiceError naming the first step that no longer fits the story.
    """
    state = new_game(story, seed=origin.seed, start=origin.scene, overrides=dict(origin.overrides))
    return _replay_from(story, state, steps)


def _replay_from(story: Story, state: State, steps: Sequence[tuple[str, str] | LogEntry]) -> State:
    done = len(state.log)
    for i, step in enumerate(steps, done + 1):
        votes: Mapping[str, int] | None = None
        answer: str | None = None
        if isinstance(step, LogEntry):
            scene_id, choice_id, votes, answer = step.scene, step.choice, step.votes, step.answer
        else:
            scene_id, choice_id = step
        if state.scene != scene_id:
            raise ChoiceError(f"step {i}: expected to be in scene '{scene_id}', but the story led to '{state.scene}'")
        state = choose(story, state, choice_id, votes=votes, answer=answer,
                       by_chapter=isinstance(step, LogEntry) and step.by_chapter)
    return state


def undo(story: Story, state: State, steps: int = 1) -> State:
    """The state `steps` choices ago (as far back as the start, or the chapter's start), randomness included.

    Rebuilt from the latest state the log kept at or before that point (see `game/engine/log.py`),
    so it replays fewer than `SNAPSHOT_EVERY` choices however long the playthrough; a log read
    from a save keeps none yet, and is replayed from the start once.
    """
    keep = max(played_by_chapter(state.log), len(state.log) - steps)
    base, entries = state.log.resume(keep)
    if base is None:
        return replay(story, state.origin, entries)
    return _replay_from(story, base, entries)
