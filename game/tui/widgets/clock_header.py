"""The line at the top of the play screen: story clock, place, scene — always visible."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from ...engine import State
from ...story.model import Story, format_clock
from ..text import place_name


class ClockHeader(Static):
    """Story time and place, docked at the top so no scroll can hide them."""

    DEFAULT_CSS = """
    ClockHeader {
        dock: top;
        height: 1;
        width: 100%;
        background: $panel;
        color: $foreground;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def show(self, story: Story, state: State, extra: str = "") -> None:
        scene = story.scenes[state.scene]
        place = place_name(story, scene.place)
        where: list[str | tuple[str, str]] = [(place, "bold"), " · "] if place else []
        self.update(Content.assemble(
            (f" {format_clock(state.clock)} ", "bold reverse"),
            "  ",
            *where,
            scene.title if scene.title_template is None else _title(story, state),
            (f" · {extra}", "italic") if extra else "",
        ))


def _title(story: Story, state: State) -> str:
    """A title with {expressions}: filled in by the engine (imported only for such a title)."""
    from ... import engine

    return engine.scene_title(story, state)
