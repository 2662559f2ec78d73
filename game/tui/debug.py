"""The writer's debug panel: everything the engine knows about the current state.

Off by default (`tauride play --debug` turns it on). It shows the clock,
where the scene is written, every variable with its range, visit counts,
choices taken and events fired, and which conditions hold now — each
choice's `if` and `selectable_if`, each event's `when`/`at` — so a writer
can see at a glance why a choice is hidden or an event did not fire.
`jump_state` is the engine-side half of the "go to any scene" key.

The text is built by `debug_text` from a Story and a State alone, so it is
tested without a terminal; the widget only re-draws it.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import Static

from .. import engine
from ..engine import State
from ..story.expr import ExprRuntimeError
from ..story.model import Hour, Story, format_clock


def _holds(fn: Any, state: State) -> str:
    """'yes' / 'no' for a compiled condition on this state ('error: …' when it fails at run time)."""
    try:
        return "yes" if fn(state) else "no"
    except ExprRuntimeError as err:
        return f"error: {err}"


def _value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return repr(v) if isinstance(v, str) else str(v)


def debug_text(story: Story, state: State) -> Text:
    """The panel's contents for `state` (a State carries all an expression reads, so it serves as context)."""
    scene = story.scenes[state.scene]
    t = Text()

    def head(title: str) -> None:
        t.append(f"\n{title}\n", style="bold underline")

    t.append("WRITER'S PANEL", style="bold reverse")
    t.append("  F2 jump · F3 hide\n")
    t.append(f"clock {format_clock(state.clock)}", style="bold")
    t.append(f"  ({state.clock - story.clock_start} min in)\n")
    t.append(f"scene {scene.id}", style="bold")
    t.append(f"  step {len(state.log)}\n")
    if scene.pos is not None:
        t.append(f"{scene.pos}\n", style="dim")

    head("Variables")
    for name, var in story.variables.items():
        value = state.vars.get(name)
        rng = f" [{var.range[0]}..{var.range[1]}]" if var.range else ""
        changed = value != var.default
        t.append(f"{name} = {_value(value)}", style="bold" if changed else "")
        t.append(f"{rng}{'' if changed else '  (default)'}\n", style="dim")

    head("Choices here")
    if not scene.choices:
        t.append("(an ending)\n" if scene.ending else "(none)\n", style="dim")
    available = set()
    try:
        available = set(engine.available_ids(story, state))
    except engine.RunError as err:
        t.append(f"error: {err}\n", style="bold red")
    for c in scene.choices:
        mark = "✓" if c.id in available else "✗"
        t.append(f"{mark} {c.id}", style="bold" if c.id in available else "dim")
        t.append(f" → {c.goto}\n")
        if c.once and f"{scene.id}.{c.id}" in state.chosen:
            t.append("    once: already taken\n", style="dim")
        if c.condition is not None:
            t.append(f"    if {c.condition_source}: {_holds(c.condition, state)}\n")
        if c.selectable is not None:
            t.append(f"    selectable_if {c.selectable_source}: {_holds(c.selectable, state)}\n")

    if story.events:
        head("Events")
        for e in story.events:
            if e.once and e.id in state.fired:
                t.append(f"· {e.id}: fired\n", style="dim")
                continue
            t.append(f"· {e.id} → {e.goto}: ")
            t.append(f"{e.condition_source} = {_holds(e.condition, state)}\n")

    head("Visits")
    for sid, n in sorted(state.visits.items(), key=lambda kv: (-kv[1], kv[0])):
        t.append(f"{n:>3}  {sid}\n")
    if state.chosen:
        head("Chosen")
        for key in sorted(state.chosen):
            t.append(f"{key}\n", style="dim")
    t.append(f"\nseed {state.origin.seed}, from '{state.origin.scene}'\n", style="dim")
    return t


def jump_state(story: Story, state: State, scene_id: str) -> State:
    """A playthrough that starts at `scene_id` with the current variables (as `--from` and `--set` would).

    Starting afresh keeps the state honest: its origin and log replay
    exactly, so undo and saves keep working after a jump.
    """
    overrides = {k: v for k, v in state.vars.items() if k in story.variables}
    return engine.new_game(story, seed=state.origin.seed, start=scene_id, overrides=overrides)


def scene_menu(story: Story) -> dict[str, str]:
    """Every scene, grouped by hour, for the jump list: id -> label."""
    items: dict[str, str] = {}

    def earliest(hour: Hour) -> int:
        times = [t for t in (story.scenes[s].time for s in hour.scenes) if t is not None]
        return min(times) if times else 10**9

    for hour in sorted(story.hours, key=earliest):  # by the story clock, not by file name
        for sid in hour.scenes:
            s = story.scenes[sid]
            when = format_clock(s.time) if s.time is not None else "     "
            end = "  [ending]" if s.ending else ""
            items[sid] = f"{when}  {hour.title} · {s.title}  ({sid}){end}"
    return items


class DebugPanel(Static):
    """The panel itself: a column beside the play screen, re-drawn whenever the state changes."""

    DEFAULT_CSS = """
    DebugPanel {
        width: 46;
        max-width: 50%;
        height: 100%;
        dock: right;
        overflow-y: auto;
        padding: 0 1;
        border-left: vkey $warning;
        background: $surface;
    }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.shown: tuple[Story, State] | None = None
        """The story and state drawn last, to re-draw only on a change."""

    def show(self, story: Story, state: State) -> None:
        if self.shown is not None and self.shown[0] is story and self.shown[1] is state:
            return
        self.shown = (story, state)
        self.update(debug_text(story, state))
