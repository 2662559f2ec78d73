"""Replay a choice path: the bridge from a walker's finding back to the game.

A path is a list of 'scene.choice' steps, written on the command line
(`a.keep,b.wait`), in a text file (one or more per line, '#' comments), or
in a JSON file: a walk finding (`{"seed": 17, "path": [...]}`), a whole
walk report (its first finding), or a save (its origin and log). Replaying
goes through the engine's own `choose()`, with `strict=True`, so a range
overflow, a run-time error or a dead end shows up exactly as the walker saw it.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from typing import Any, Mapping

from ..engine import ChoiceError, RunError, State, available_ids, choose, new_game, scene_text
from ..engine.state import Value
from ..errors import TaurideError
from ..story.model import Story

_STEP = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$")


class ReplayError(TaurideError):
    """The path could not be read (the message says what was expected)."""


@dataclass
class ReplaySpec:
    """A path to replay, with what a file may say about how the game began."""

    steps: list[tuple[str, str]]
    seed: int | None = None
    start: str | None = None
    overrides: dict[str, Value] = field(default_factory=dict)


@dataclass
class ReplayResult:
    state: State
    """The state reached: after the last step, or before the step that failed."""
    done: int
    """Steps replayed successfully."""
    notes: list[str] = field(default_factory=list)
    """What went wrong on the way: range overflows, a failing step, a dead end at the end."""
    failed: bool = False
    """A step could not be taken (run-time error or a choice that no longer fits)."""


def parse_steps(text: str) -> list[tuple[str, str]]:
    """'a.keep, b.wait' (commas, spaces or new lines; '#' starts a comment) -> [('a','keep'), ('b','wait')]."""
    steps = []
    for line in text.splitlines():
        line = line.split("#", 1)[0]
        for token in re.split(r"[,\s]+", line.strip()):
            if not token:
                continue
            if not _STEP.match(token):
                raise ReplayError(f"'{token}' is not a step: write each step as scene.choice, e.g. 'gate.let_them_in'")
            scene, choice = token.split(".")
            steps.append((scene, choice))
    return steps


def read_replay(arg: str) -> ReplaySpec:
    """A path given on the command line or in a file (text, a walk finding or report, or a save)."""
    if not os.path.isfile(arg):
        if os.sep in arg or arg.endswith((".json", ".txt")):
            raise ReplayError(f"no such file: {arg}")
        return ReplaySpec(parse_steps(arg))
    try:
        with open(arg, encoding="utf-8") as fh:
            text = fh.read()
    except OSError as err:
        raise ReplayError(f"cannot read {arg}: {err.strerror}") from None
    if not text.lstrip().startswith("{"):
        return ReplaySpec(parse_steps(text))
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise ReplayError(f"{arg}: not valid JSON (line {err.lineno}): {err.msg}") from None
    return _from_json(arg, data)


def _from_json(name: str, data: Any) -> ReplaySpec:
    if not isinstance(data, dict):
        raise ReplayError(f"{name}: expected a JSON object")
    if data.get("format") == "tauride-walk":
        findings = data.get("findings") or []
        if not findings:
            raise ReplayError(f"{name}: this walk report has no findings to replay")
        spec = _from_json(name, findings[0])
        spec.start = spec.start or data.get("start")
        spec.overrides = spec.overrides or dict(data.get("overrides") or {})
        return spec
    state = data.get("state") if isinstance(data.get("state"), dict) else data if "log" in data else None
    if state is not None:  # a save, or a bare state
        origin = state.get("origin") or {}
        steps = [(str(e["scene"]), str(e["choice"])) for e in state.get("log", [])]
        return ReplaySpec(steps, origin.get("seed"), origin.get("scene"),
                          {str(k): v for k, v in origin.get("overrides", [])})
    path = data.get("path")
    if path is None:
        raise ReplayError(f"{name}: expected 'path' (a list of scene.choice steps), a walk report or a save")
    steps = parse_steps(path if isinstance(path, str) else "\n".join(map(str, path)))
    seed = data.get("seed")
    return ReplaySpec(steps, int(seed) if seed is not None else None, data.get("start"),
                      dict(data.get("overrides") or {}))


def replay_steps(
    story: Story,
    steps: list[tuple[str, str]],
    *,
    seed: int = 0,
    start: str | None = None,
    overrides: Mapping[str, Value] | None = None,
) -> ReplayResult:
    """Play `steps` from a new game; stop at the first step that fails and say why.

    Raises ChoiceError/RunError only when the game cannot even begin.
    """
    state = new_game(story, seed=seed, start=start, overrides=overrides)
    result = ReplayResult(state, 0)
    for i, (scene_id, choice_id) in enumerate(steps, 1):
        label = f"step {i} ({scene_id}.{choice_id})"
        if state.scene != scene_id:
            result.notes.append(f"{label}: expected to be in scene '{scene_id}', but the story led to '{state.scene}'")
            result.failed = True
            return result
        notes: list[str] = []
        try:
            state = choose(story, state, choice_id, strict=True, notes=notes)
            scene_text(story, state)
        except (RunError, ChoiceError) as err:
            result.notes.append(f"{label}: {err}")
            result.failed = True
            return result
        result.notes.extend(f"{label}: {n}" for n in notes)
        result.state, result.done = state, i
    scene = story.scenes[state.scene]
    if scene.ending is None:
        try:
            if not available_ids(story, state):
                result.notes.append(f"dead end: scene '{scene.id}' is not an ending, but no choice can be taken there")
        except RunError as err:
            result.notes.append(str(err))
    return result
