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
from ..story import expr as _expr  # imported here so that a step never imports (see the module docstring)
from ..story import template as _template
from ..story.model import TRAIL_LIMIT, Choice, Effect, Hour, Scene, Story, format_clock
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
    """The current scene's text, with its expressions filled in, and under it the response of a choice that stayed.

    One function for every shell, so a `response:` is read the same way in
    the full-screen game, plain mode, group play, journals and replays.
    """
    scene = story.scenes[state.scene]
    text = _render(scene.text, state, scene.pos)
    said = response_text(story, state)
    return text if said is None else text.rstrip("\n") + "\n\n" + said


def _label(fn: Any, state: State, where: Any, outline: str, strict: bool) -> str:
    """A title filled in, or, when an expression in it fails (a division by zero), its outline ("Ashore at …"):
    a title is a label, read in the journal, the timeline, a save's name and a transcript as well as on the
    page, and one fault in it must not stop all of them. `strict` (the walker) raises the RunError instead,
    so a writer hears of it with its place."""
    try:
        return _render(fn, state, where)
    except RunError:
        if strict:
            raise
        return outline


def scene_title(story: Story, state: State, scene_id: str | None = None, *, strict: bool = False) -> str:
    """A scene's title as the player reads it now (its {expressions} filled in); the current scene's by default."""
    scene = story.scenes[scene_id or state.scene]
    if scene.title_template is None:
        return scene.title
    return _label(scene.title_template, state, scene.pos, scene.title, strict)


def ending_title(story: Story, state: State, *, strict: bool = False) -> str:
    """The current ending's title, filled in; the scene must be an ending."""
    scene = story.scenes[state.scene]
    assert scene.ending is not None
    e = scene.ending
    return e.title if e.title_template is None else _label(e.title_template, state, scene.pos, e.title, strict)


def epilogue(story: Story, state: State, *, strict: bool = False) -> str:
    """The current ending's epilogue, filled in; the scene must be an ending.

    An expression in it that fails gives a sentence saying so in its place (every shell shows the ending
    and its debrief all the same; the game ended with a traceback before); `strict` (the walker) raises."""
    scene = story.scenes[state.scene]
    assert scene.ending is not None
    e = scene.ending
    if e.epilogue_template is None:
        return e.epilogue
    try:
        return _render(e.epilogue_template, state, scene.pos).strip()
    except RunError as err:
        if strict:
            raise
        return f"*This ending's epilogue could not be shown: {err}.*"


def hour_title(story: Story, state: State, hour: Hour | None = None) -> str | None:
    """The heading of `hour`, filled in from `state`; None if there is no hour.

    `hour` defaults to the hour (scene file) the current scene is in; a view
    that places a step elsewhere (an ending stands in the hour it was
    reached from: `views.hours`) passes the hour it chose.
    """
    hour = hour or story.hour_of(state.scene)
    if hour is None:
        return None
    return hour.title if hour.title_template is None else _label(hour.title_template, state, hour.file, hour.title, False)


def response_text(story: Story, state: State) -> str | None:
    """The response of the choice just taken, when it kept the player in this scene; else None."""
    if state.response is None:
        return None
    choice = story.scenes[state.scene].choice(state.response)
    if choice is None or choice.response is None:
        return None
    return _render(choice.response, state, choice.pos).strip()


def choices(story: Story, state: State, *, strict: bool = False) -> list[ChoiceView]:
    """The choices a player sees now: hidden ones left out, locked ones marked.

    A choice whose condition or words fail as the game runs (a division by zero) is shown locked, saying
    so, and the others stay to be taken: one fault left a scene with no choice at all, the player stuck.
    `strict` (the walker) raises the RunError instead, so a writer hears of it with its place.
    """
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
            locked = None if enabled else c.locked_reason if c.locked_template is None else str(c.locked_template(view))
            reflect = c.reflect if c.reflect_template is None else str(c.reflect_template(view))
        except ExprRuntimeError as err:
            if strict:
                raise RunError(f"{c.pos}: {err}") from None
            out.append(ChoiceView(c.id, _template.outline(c.text_source), False,
                                  f"a fault in the story ({c.pos}: {err})", c.cost, c.historical, None))
            continue
        out.append(ChoiceView(c.id, text, enabled, locked, c.cost, c.historical, reflect))
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
                value = _expr.assign(eff.op, ctx.vars[eff.target], value)
        except ExprRuntimeError as err:
            raise RunError(f"{where}: effect '{eff.source}': {err}") from None
        var = story.variables[eff.target]
        rng = var.range
        if rng is not None and not rng[0] <= value <= rng[1]:
            if ctx.strict and not var.clamp:
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
    values pushed outside the range of a variable without `clamp: true` are
    reported into `notes` (a mistake of the writer's); in play they are
    always kept in range, so a player never meets an impossible value.
    `by_chapter` marks the logged step as one a chapter start played for
    the player (`LogEntry.by_chapter`).
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
    target, trail = _destination(scene, choice, state)
    fired = state.fired
    fired_id = None
    ctx.chosen = chosen
    for event in story.events:
        if event.once and event.id in fired:
            continue
        if event.at is not None and ctx.clock < event.at:
            continue  # not its time yet: what its condition would say first, known without asking it
        try:
            hit = event.condition(ctx)
        except ExprRuntimeError as err:
            raise RunError(f"{event.pos}: event '{event.id}': {err}") from None
        if hit:
            target = event.goto
            trail = _pushed(state.trail, scene.id)
            fired = fired | {event.id}
            fired_id = event.id
            break
    entry = LogEntry(scene.id, choice.id, state.clock, dict(votes) if votes is not None else None, answer, fired_id,
                     by_chapter)
    log = state.log.plus(entry, state)
    if choice.stays and fired_id is None:
        # A response keeps the player where they are: the scene is not entered again (no time, effects or visit).
        new = State(
            scene=state.scene, clock=ctx.clock, vars=ctx.vars, visits=state.visits, chosen=chosen, fired=fired,
            rng=ctx.rng, origin=state.origin, log=log, trail=trail, response=choice.id,
        )
    else:
        new = _enter(story, target, ctx, state.visits, chosen, fired, state.origin, log, trail)
    if strict and new.clock > story.clock_end >= state.clock:
        # `clock.end` is the story's promise of its span: passing it is the writer's mistake, found by the walker.
        ctx.range_errors.append(
            f"{choice.pos}: {CLOCK_PAST_END} ({format_clock(story.clock_end)}): choice '{choice.id}' in scene "
            f"'{scene.id}' took it to {format_clock(new.clock)}; end the story sooner, or move 'end' later")
    if notes is not None:
        notes.extend(ctx.range_errors)
    return new


CLOCK_PAST_END = "the clock passed the story's end"
"""The start of a walker note: this step took the clock past `clock.end` (see `choose`)."""


def _pushed(trail: tuple[str, ...], scene_id: str) -> tuple[str, ...]:
    """The trail after leaving `scene_id` forward: the newest TRAIL_LIMIT scenes, newest last."""
    return (trail + (scene_id,))[-TRAIL_LIMIT:]


def _destination(scene: Scene, choice: Choice, state: State) -> tuple[str, tuple[str, ...]]:
    """Where a choice leads, and the trail `goto: back` will unwind from there.

    Resolved now, at play time, from the state's own trail, so saves, undo
    and replay (which rebuild states by taking the same choices) agree.
    """
    if choice.stays:
        return scene.id, state.trail
    if choice.goes_back:
        if not state.trail:
            raise RunError(f"{choice.pos}: choice '{choice.id}' goes back, but the player has come from no scene "
                           f"(the playthrough began in '{scene.id}'); give it a scene to go to")
        return state.trail[-1], state.trail[:-1]
    return choice.goto, _pushed(state.trail, scene.id)


def _enter(story: Story, scene_id: str, ctx: _Ctx, visits: Map[str, int], chosen: Map[str, bool],
           fired: frozenset[str], origin: Origin, log: Log, trail: tuple[str, ...] = ()) -> State:
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
        chosen=chosen, fired=fired, rng=ctx.rng, origin=origin, log=log, trail=trail,
    )


def replay(story: Story, origin: Origin, steps: Sequence[tuple[str, str] | LogEntry],
           notes: list[str] | None = None) -> State:
    """Rebuild a state from its origin and a list of choices (scene, choice) or log entries.

    Raises ChoiceError naming the first step that no longer fits the story. `notes`: where to say which
    effects pushed a value out of its range (kept in range all the same), as `choose(strict=True)` does.
    """
    state = new_game(story, seed=origin.seed, start=origin.scene, overrides=dict(origin.overrides))
    return _replay_from(story, state, steps, notes)


def _replay_from(story: Story, state: State, steps: Sequence[tuple[str, str] | LogEntry],
                 notes: list[str] | None = None) -> State:
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
        state = choose(story, state, choice_id, votes=votes, answer=answer, strict=notes is not None, notes=notes,
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
