"""Moving a state onto a changed story: the one rule for saves and for live reload (`--watch`).

A writer edits the story while a player has a save, or while the game is
running. Both cases ask the same question — what of this state still holds
on the new story? — and get the same answer here:

- variables keep their values when they still exist with the same type;
  added ones start at their default; removed or retyped ones are dropped;
  an int is clamped into its (possibly narrowed) declared range, as every
  effect is;
- for live reload, `carry_state` first replays the same choices from the
  same origin (so edited effects and texts apply), then falls back to
  staying in the same scene with the carried variables, and only when that
  scene is gone goes back to the start.
"""

from __future__ import annotations

from typing import Mapping

from ..story.model import Story
from .state import State, Value
from .step import CLOCK_PAST_END, ChoiceError, RunError, new_game, replay


def carried_values(story: Story, values: Mapping[str, Value]) -> dict[str, Value]:
    """Every variable of `story`: the value from `values` where it still fits (clamped into range), else the default."""
    out: dict[str, Value] = {name: var.default for name, var in story.variables.items()}
    for name, value in values.items():
        var = story.variables.get(name)
        if var is None or type(value) is not type(var.default):
            continue
        if var.range is not None and type(value) is int:
            value = min(max(value, var.range[0]), var.range[1])
        out[name] = value
    return out


def migrate(story: Story, state: State) -> State:
    """`state` with its variables carried onto `story` (see `carried_values`); the scene must still exist."""
    return state.with_(vars=carried_values(story, state.vars))


def carry_state(story: Story, state: State) -> tuple[State, str]:
    """`state`, moved onto a newly loaded `story`, and a sentence for the player saying how."""
    origin = state.origin
    if origin.scene in story.scenes:
        try:
            notes: list[str] = []  # effects the new version's ranges hold back (a range narrowed by the edit)
            moved = replay(story, origin, list(state.log), notes)
            if moved.scene == state.scene:  # values given at the start (`--set`) may lie outside a narrowed range
                carried = migrate(story, moved)
                notes = [n for n in notes if CLOCK_PAST_END not in n]  # the walker's other finding: not a value
                notes += [f"'{name}' held {moved.vars[name]}, outside its range {list(story.variables[name].range or ())}"
                          for name, value in carried.vars.items() if moved.vars.get(name, value) != value]
                how = "your choices were replayed on the new version"
                if notes:  # a range the edit narrowed: said, not clamped without a word
                    more = f" (and {len(notes) - 1} more)" if len(notes) > 1 else ""
                    how += f"; a value was kept in its range: {notes[0]}{more}"
                return carried, how
        except (ChoiceError, RunError):
            pass
    values = {k: v for k, v in carried_values(story, state.vars).items() if k in state.vars}
    if state.scene in story.scenes:
        moved = new_game(story, seed=origin.seed, start=state.scene, overrides=values)
        return moved.with_(clock=max(moved.clock, state.clock)), \
            "you stay in this scene with your variables (the choices so far no longer replay)"
    moved = new_game(story, seed=origin.seed, overrides=values)
    return moved, f"the scene '{state.scene}' is gone, so play goes back to the start with your variables"
