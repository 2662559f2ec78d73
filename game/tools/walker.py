"""The random tester's core: many seeded playthroughs over the pure engine.

Pure like the engine (no printing, no files): `random_walk` and
`exhaustive_walk` return a `WalkReport` that `tauride walk` prints and
`tauride map --heat` reads back from JSON. Each playthrough calls the same
`choose()` a player's keypress does, with `strict=True` so values pushed
outside a variable's range are reported, not silently clamped.

Every finding carries the seed and the choice path ("scene.choice" steps)
that reproduce it; `tauride play --seed SEED --replay PATH` plays it back.
A playthrough's seed is both the seed of the game (for `random()` in
effects) and of the walker's own picks, so one number replays a run.
"""

from __future__ import annotations

import random
import re
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Mapping

from ..engine import (
    ChoiceError,
    RunError,
    State,
    available_ids,
    choices,
    choose,
    ending_title,
    epilogue,
    new_game,
    scene_text,
    scene_title,
)
from ..engine.state import Value
from ..engine.step import CLOCK_PAST_END
from ..story.graph import came_from
from ..story.model import Story

DEFAULT_RUNS = 5000
DEFAULT_MAX_STEPS = 500
"""A playthrough still going after this many choices is stopped: a loop with no exit when no ending can be
reached from where it stopped, else a long walk (information, not a problem)."""

# Finding kinds, worst first: the order findings are printed in.
DEAD_END = "dead-end"
NO_EXIT = "no-exit"
RUN_ERROR = "run-error"
RANGE = "range"
CLOCK_END = "clock-end"
KINDS = (RUN_ERROR, DEAD_END, NO_EXIT, RANGE, CLOCK_END)
KIND_TITLES = {
    RUN_ERROR: "expression failed at run time",
    DEAD_END: "dead end",
    NO_EXIT: "loop with no exit",
    RANGE: "value outside its range",
    CLOCK_END: "clock past the story's end",
}


_RANGE_VALUE = re.compile(r" to -?\d+,")
"""The value in a range message: one effect overflowing to 4 or to 5 is one finding."""


@dataclass
class Finding:
    """One defect, with the shortest playthrough seen that shows it."""

    kind: str
    message: str
    seed: int
    path: list[str]
    """Choices from the start, as 'scene.choice'."""
    count: int = 1
    """How many playthroughs met it."""

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "message": self.message, "seed": self.seed, "path": self.path, "count": self.count}


@dataclass
class WalkReport:
    """What a walk found; `to_json` is the file `walk --json` writes and `map --heat` reads."""

    story_id: str
    mode: str
    """'random' or 'exhaustive'."""
    runs: int = 0
    """Playthroughs (random) or distinct paths (exhaustive)."""
    seed: int = 0
    max_steps: int = DEFAULT_MAX_STEPS
    start: str | None = None
    overrides: dict[str, Value] = field(default_factory=dict)
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    """Processor time of this process alone: the honest speed on a busy machine."""
    steps: int = 0
    """Choices made in all playthroughs together."""
    scene_visits: dict[str, int] = field(default_factory=dict)
    """Scene id -> times entered, over all playthroughs."""
    scene_runs: dict[str, int] = field(default_factory=dict)
    """Scene id -> playthroughs that entered it at least once."""
    choice_takes: dict[str, int] = field(default_factory=dict)
    """'scene.choice' -> times taken."""
    endings: dict[str, int] = field(default_factory=dict)
    events: dict[str, int] = field(default_factory=dict)
    """Event id -> playthroughs in which it fired."""
    findings: dict[tuple[str, str], Finding] = field(default_factory=dict)
    unreached_scenes: list[str] = field(default_factory=list)
    untaken_choices: list[str] = field(default_factory=list)
    unfired_events: list[str] = field(default_factory=list)
    truncated: bool = False
    """Exhaustive mode stopped at its path limit before enumerating everything."""
    cut: int = 0
    """Exhaustive paths cut at the depth bound (an ending was still reachable from there)."""
    long_walks: int = 0
    """Random playthroughs stopped at the step bound although an ending was reachable from where they were."""
    long_walk: Finding | None = None
    """The first long walk, to replay (kind NO_EXIT's message; not a problem)."""

    @property
    def per_second(self) -> float:
        return self.runs / self.seconds if self.seconds > 0 else 0.0

    @property
    def per_cpu_second(self) -> float:
        return self.runs / self.cpu_seconds if self.cpu_seconds > 0 else 0.0

    @property
    def problems(self) -> list[Finding]:
        order = {k: i for i, k in enumerate(KINDS)}
        return sorted(self.findings.values(), key=lambda f: (order[f.kind], _natural(f.message)))

    def note(self, kind: str, message: str, seed: int, state: State | None, extra: str | None = None) -> None:
        """Record a finding met after `state`'s choices (and `extra`, the step that failed).

        Keeps the shortest reproducing path; the path is built only when kept.
        """
        key = (kind, _RANGE_VALUE.sub(" to …,", message) if kind == RANGE else message)
        length = (len(state.log) if state is not None else 0) + (extra is not None)
        found = self.findings.get(key)
        if found is None:
            self.findings[key] = Finding(kind, message, seed, _path(state, extra))
        else:
            found.count += 1
            if length < len(found.path):
                found.seed, found.path = seed, _path(state, extra)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": "tauride-walk",
            "version": 1,
            "story": self.story_id,
            "mode": self.mode,
            "runs": self.runs,
            "seed": self.seed,
            "max_steps": self.max_steps,
            "start": self.start,
            "overrides": self.overrides,
            "seconds": round(self.seconds, 3),
            "per_second": round(self.per_second, 1),
            "cpu_seconds": round(self.cpu_seconds, 3),
            "per_cpu_second": round(self.per_cpu_second, 1),
            "steps": self.steps,
            "scenes": dict(sorted(self.scene_visits.items())),
            "scene_runs": dict(sorted(self.scene_runs.items())),
            "choices": dict(sorted(self.choice_takes.items())),
            "endings": dict(sorted(self.endings.items(), key=lambda kv: -kv[1])),
            "events": dict(sorted(self.events.items())),
            "unreached_scenes": self.unreached_scenes,
            "untaken_choices": self.untaken_choices,
            "unfired_events": self.unfired_events,
            "truncated": self.truncated,
            "cut": self.cut,
            "long_walks": self.long_walks,
            "findings": [f.to_json() for f in self.problems],
        }


def _natural(text: str) -> tuple[Any, ...]:
    """Sort 'file.yaml:41' before 'file.yaml:109'."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text))


def _path(state: State | None, extra: str | None = None) -> list[str]:
    out = [f"{e.scene}.{e.choice}" for e in state.log] if state is not None else []
    if extra is not None:
        out.append(extra)
    return out


_ARITHMETIC = re.compile(r"\{[^{}]*[-+*/%][^{}]*\}")
"""A `{…}` with arithmetic: the only kind of template that can fail at run time
(division by zero, a number or text too large). Comparisons, `and`/`or` and
plain names cannot, so texts without arithmetic need not be rendered."""


def _templated_text(story: Story) -> frozenset[str]:
    """Scenes whose page could fail when shown (`_show`): only these are rendered on the hot path. Its text
    when it has arithmetic; its title, or its ending's title or epilogue, when they are templates at all (the
    loader keeps no source of those to look into, and they are few)."""
    return frozenset(sid for sid, s in story.scenes.items()
                     if _ARITHMETIC.search(s.text_source) or s.title_template is not None
                     or (s.ending is not None and (s.ending.title_template or s.ending.epilogue_template)))


def _show(story: Story, state: State) -> None:
    """Render what the player is shown on arriving (RunError if any of it fails): the scene's title and text,
    and at an ending its title and epilogue (a failing epilogue was found by no walk, and ended the game)."""
    scene_title(story, state, strict=True)
    scene_text(story, state)
    if story.scenes[state.scene].ending is not None:
        ending_title(story, state, strict=True)
        epilogue(story, state, strict=True)


def _templated_choices(story: Story) -> frozenset[str]:
    """Scenes with a choice whose text could fail when shown."""
    return frozenset(sid for sid, s in story.scenes.items() if any(_ARITHMETIC.search(c.text_source) for c in s.choices))


def _tally(report: WalkReport, state: State) -> None:
    """Count what one finished playthrough covered (once per run, not per step)."""
    visits, runs = report.scene_visits, report.scene_runs
    for sid, n in state.visits.items():
        visits[sid] = visits.get(sid, 0) + n
        runs[sid] = runs.get(sid, 0) + 1
    takes = report.choice_takes
    for e in state.log:
        key = f"{e.scene}.{e.choice}"
        takes[key] = takes.get(key, 0) + 1
    events = report.events
    for eid in state.fired:
        events[eid] = events.get(eid, 0) + 1


def _finish(report: WalkReport, story: Story) -> WalkReport:
    report.unreached_scenes = [sid for sid in story.scenes if sid not in report.scene_visits]
    report.untaken_choices = [
        f"{sid}.{c.id}" for sid, s in story.scenes.items() for c in s.choices if f"{sid}.{c.id}" not in report.choice_takes
    ]
    report.unfired_events = [e.id for e in story.events if e.id not in report.events]
    return report


def _start(story: Story, report: WalkReport, seed: int, templated: frozenset[str]) -> State | None:
    try:
        state = new_game(story, seed=seed, start=report.start, overrides=report.overrides)
    except RunError as err:
        report.note(RUN_ERROR, str(err), seed, None)
        return None
    try:
        _show(story, state)
        if state.scene in templated:
            choices(story, state, strict=True)  # the first scene's choice words, as `_step` renders later ones'
    except RunError as err:
        report.note(RUN_ERROR, str(err), seed, None)
    return state


def _dead_end_message(story: Story, state: State) -> str:
    scene = story.scenes[state.scene]
    where = f"{scene.pos}: " if scene.pos else ""
    return f"{where}scene '{scene.id}' is not an ending, but no choice can be taken there"


def random_walk(
    story: Story,
    runs: int = DEFAULT_RUNS,
    *,
    seed: int = 0,
    max_steps: int = DEFAULT_MAX_STEPS,
    start: str | None = None,
    overrides: Mapping[str, Value] | None = None,
) -> WalkReport:
    """`runs` playthroughs with seeds seed, seed+1, …, each walked by `walk_states` (uniformly among what is
    available), taking each choice strictly and rendering what could fail, so every finding is met."""
    report = WalkReport(story.id, "random", seed=seed, max_steps=max_steps, start=start, overrides=dict(overrides or {}))
    notes: list[str] = []
    templated = _templated_choices(story)
    texts = _templated_text(story)
    t0, c0 = time.perf_counter(), time.process_time()
    total_steps = 0
    taking: str | None = None
    """The choice being taken while `walk_states` calls `take`: a run-time error there names it."""

    def take(story: Story, state: State, cid: str) -> State:
        nonlocal taking
        taking = cid
        return _step(story, state, cid, notes, texts, templated)

    for run_seed in range(seed, seed + runs):
        first = _start(story, report, run_seed, templated)
        if first is None:
            continue
        state, steps = first, -1
        try:
            for state in walk_states(story, run_seed, max_steps=max_steps, first=first, step=take):
                taking = None  # taken: an error from here on is in listing the next choices
                steps += 1
                if notes:
                    for msg in notes:
                        report.note(_note_kind(msg), msg, run_seed, state)
                    notes.clear()
            _stopped(story, report, state, run_seed, max_steps)
        except RunError as err:
            extra = f"{state.scene}.{taking}" if taking is not None else None  # taking a choice, or listing them
            report.note(RUN_ERROR, str(err), run_seed, state, extra)
        total_steps += steps
        _tally(report, state)
    report.seconds = time.perf_counter() - t0
    report.cpu_seconds = time.process_time() - c0
    report.runs = runs
    report.steps = total_steps
    return _finish(report, story)


def _stopped(story: Story, report: WalkReport, state: State, seed: int, max_steps: int) -> None:
    """Why a random playthrough that `walk_states` ended stopped: an ending, a dead end, or the step bound.

    Raises RunError if the choices of its last scene cannot be listed.
    """
    scene = story.scenes[state.scene]
    if scene.ending is not None:
        report.endings[scene.id] = report.endings.get(scene.id, 0) + 1
    elif not available_ids(story, state):
        report.note(DEAD_END, _dead_end_message(story, state), seed, state)
    elif ending_reachable(story, state):
        report.long_walks += 1
        if report.long_walk is None:
            report.long_walk = Finding(NO_EXIT, _loop_message(story, state, max_steps), seed, _path(state))
    else:
        report.note(NO_EXIT, _loop_message(story, state, max_steps), seed, state)


@dataclass(frozen=True)
class Playthrough:
    """One seeded random playthrough, step by step: what the story tests and the figures script look at."""

    seed: int
    ending: str | None
    """The ending scene reached, or None if the playthrough got stuck or ran too long."""
    path: tuple[str, ...]
    """Scene ids in the order entered, the start scene first."""
    steps: int
    words: int
    """Words of the rendered scene texts along the path plus the ending's epilogue (0 unless counted)."""
    stuck: str | None = None
    """Why the playthrough stopped short of an ending, for a failure message."""


def walk_states(story: Story, seed: int, *, start: str | None = None, max_steps: int = DEFAULT_MAX_STEPS,
                first: State | None = None, step: Callable[[Story, State, str], State] | None = None
                ) -> Iterator[State]:
    """Every state of one seeded random playthrough, the first one first: the one random walker.

    Picks uniformly among the available choices with a generator seeded by
    `seed`; stops after an ending, where no choice is available, or after
    `max_steps` choices. `random_walk` (with `first`, the game it started,
    and `step`, which takes a choice strictly and renders what could fail),
    `playthrough` and the tests that look at each step all walk with it, so
    one seed is one playthrough wherever it is walked. A RunError from
    listing or taking a choice propagates.
    """
    state = first if first is not None else new_game(story, seed=seed, start=start)
    take = step or choose
    pick = random.Random(seed).randrange
    yield state
    for _ in range(max_steps):
        if story.scenes[state.scene].ending is not None:
            return
        ids = available_ids(story, state)
        if not ids:
            return
        state = take(story, state, ids[pick(len(ids))] if len(ids) > 1 else ids[0])
        yield state


def playthrough(story: Story, seed: int, *, max_steps: int = DEFAULT_MAX_STEPS, words: bool = False) -> Playthrough:
    """One seeded random playthrough (`walk_states`), summed up: its ending, its path, its length.

    With `words`, the rendered text of every scene entered is counted
    (`game.views.reading`): the length of this playthrough as a player reads it.
    """
    from ..views.reading import count_words

    path: list[str] = []
    total = 0
    state: State | None = None
    for state in walk_states(story, seed, max_steps=max_steps):
        path.append(state.scene)
        if words:
            total += count_words(scene_text(story, state))
    assert state is not None
    steps = len(path) - 1
    ending = story.scenes[state.scene].ending
    if ending is not None:
        return Playthrough(seed, state.scene, tuple(path), steps, total + (count_words(ending.epilogue) if words else 0))
    if not available_ids(story, state):
        return Playthrough(seed, None, tuple(path), steps, total, _dead_end_message(story, state))
    return Playthrough(seed, None, tuple(path), steps, total, _loop_message(story, state, max_steps))


def percentile(ordered: list[int], p: int) -> int:
    """The p-th percentile of sorted values, nearest rank (no interpolation: a word count read by some walk)."""
    if not ordered:
        raise ValueError("no values")
    rank = max(1, -(-p * len(ordered) // 100))  # ceil(p/100 * n), at least the first
    return ordered[rank - 1]


def _loop_message(story: Story, state: State, bound: int) -> str:
    """Name the scenes the run was circling in (those of its last stretch)."""
    tail = state.log[-min(len(state.log), 50):]
    circling = sorted({e.scene for e in tail})
    shown = ", ".join(f"'{s}'" for s in circling[:8]) + (" …" if len(circling) > 8 else "")
    return f"no ending after {bound} choices: the playthrough keeps circling through {shown}"


def ending_reachable(story: Story, state: State) -> bool:
    """Whether an ending can still be reached from `state`, on the story's graph.

    A loop is a problem only when it is a trap. Decided with what the
    walker can know for certain: choices used up (`once`) and events
    that have fired once are gone; `goto: back` leads along the state's
    trail (here) or to any scene the player can have come from
    (further on); other conditions are taken as able to hold, since they
    may depend on values the loop itself changes.
    """
    scenes = story.scenes
    events = [e.goto for e in story.events if not (e.once and e.id in state.fired)]
    seen = {state.scene}
    queue = [state.scene]
    while queue:
        sid = queue.pop()
        scene = scenes[sid]
        if scene.ending is not None:
            return True
        nexts = list(events)
        for c in scene.choices:
            if c.once and f"{sid}.{c.id}" in state.chosen:
                continue
            if c.goes_back:
                nexts += state.trail[-1:] if sid == state.scene else came_from(story, sid)
            else:
                nexts.append(c.goto)
        for nxt in nexts:
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return False


def _can_end(story: Story, state: State, seed: int, tries: int = 20, max_steps: int = DEFAULT_MAX_STEPS) -> bool:
    """Whether some random continuation from `state` reaches an ending (to tell a cut path from a trap)."""
    for t in range(tries):
        pick = random.Random(seed * 7919 + t).randrange
        s = state
        for _ in range(max_steps):
            if story.scenes[s.scene].ending is not None:
                return True
            try:
                ids = available_ids(story, s)
                if not ids:
                    break
                s = choose(story, s, ids[pick(len(ids))])
            except (RunError, ChoiceError):
                break
        else:
            continue
        if story.scenes[s.scene].ending is not None:
            return True
    return False


def exhaustive_walk(
    story: Story,
    *,
    max_depth: int = 40,
    max_paths: int = 100_000,
    seed: int = 0,
    start: str | None = None,
    overrides: Mapping[str, Value] | None = None,
) -> WalkReport:
    """Every distinct choice path from the start, up to `max_depth` choices and `max_paths` paths.

    A path that reaches the depth bound is followed at random a little
    further: if no continuation ends, it is reported as a loop with no exit;
    otherwise it is counted as cut (`report.cut`) and raise the bound to see
    past it. Randomness in effects uses the one `seed`.
    """
    report = WalkReport(story.id, "exhaustive", seed=seed, max_steps=max_depth, start=start,
                        overrides=dict(overrides or {}))
    templated = _templated_choices(story)
    texts = _templated_text(story)
    t0, c0 = time.perf_counter(), time.process_time()
    first = _start(story, report, seed, templated)
    stack: list[State] = [first] if first is not None else []
    paths = 0
    notes: list[str] = []
    while stack:
        if paths >= max_paths:
            report.truncated = True
            break
        state = stack.pop()
        scene = story.scenes[state.scene]
        leaf = True
        if scene.ending is not None:
            report.endings[scene.id] = report.endings.get(scene.id, 0) + 1
        else:
            try:
                ids = available_ids(story, state)
            except RunError as err:
                report.note(RUN_ERROR, str(err), seed, state)
                ids = None
            if ids == []:
                report.note(DEAD_END, _dead_end_message(story, state), seed, state)
            elif ids and len(state.log) >= max_depth:
                if ending_reachable(story, state) or _can_end(story, state, seed):
                    report.cut += 1
                else:
                    report.note(NO_EXIT, _loop_message(story, state, max_depth), seed, state)
            elif ids:
                leaf = False
                children = []
                for cid in ids:
                    try:
                        nxt = _step(story, state, cid, notes, texts, templated)
                    except RunError as err:
                        report.note(RUN_ERROR, str(err), seed, state, f"{scene.id}.{cid}")
                        paths += 1
                        _tally(report, state)
                        continue
                    for msg in notes:
                        report.note(_note_kind(msg), msg, seed, nxt)
                    notes.clear()
                    children.append(nxt)
                stack.extend(reversed(children))  # depth first, in the order written
        if leaf:
            paths += 1
            report.steps += len(state.log)
            _tally(report, state)
    report.seconds = time.perf_counter() - t0
    report.cpu_seconds = time.process_time() - c0
    report.runs = paths
    return _finish(report, story)


def _note_kind(message: str) -> str:
    """Which finding a note of `choose(strict=True)` is: a value out of range, or the clock past `clock.end`."""
    return CLOCK_END if CLOCK_PAST_END in message else RANGE


def _step(story: Story, state: State, cid: str, notes: list[str], texts: Any, templated: Any) -> State:
    """Take one choice as a player would meet it: rendering the new scene's text and choices where
    they hold expressions, so an expression that fails at run time is found (RunError) here."""
    nxt = choose(story, state, cid, strict=True, notes=notes)
    if nxt.scene in texts:
        _show(story, nxt)
    if nxt.scene in templated:
        choices(story, nxt, strict=True)
    return nxt
