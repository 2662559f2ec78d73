"""The side panel: the variables the writer marked as shown, in words, numbers and bars."""

from __future__ import annotations

from typing import Any, Mapping

from rich.text import Text
from textual.widgets import Static

from ...story.model import Story
from ..text import bar, delta_words, value_words


def status_text(
    story: Story, values: Mapping[str, Any], before: Mapping[str, Any] | None, compact: bool = False
) -> Text:
    """Each shown variable: its name, a bar for a ranged number, its value, and how it moved.

    `compact` puts name and value on one line, for the strip under a narrow screen.
    """
    out = Text()
    shown = [v for v in story.variables.values() if v.shown]
    for i, var in enumerate(shown):
        value = values.get(var.name)
        if i:
            out.append("\n")
        out.append(var.display_name, style="bold")
        out.append(": " if compact else "\n")
        drawn = bar(var, value)
        if drawn is not None and var.range is not None:
            out.append(drawn)
            out.append(f" {value}/{var.range[1]}")
        else:
            out.append(value_words(value))
        moved = delta_words(before.get(var.name), value) if before is not None else ""
        if moved:
            out.append(f" {moved}", style="bold")
    if not shown:
        out.append("—", style="italic")
    return out


class StatusPanel(Static):
    """Shows the player-visible variables; re-rendered from the state after every step."""

    COMPACT_WIDTH = 40
    """Wider than this, the panel is the strip under a narrow screen: one line per variable."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._shown: tuple[Story, Mapping[str, Any], Mapping[str, Any] | None] | None = None

    def show(self, story: Story, values: Mapping[str, Any], before: Mapping[str, Any] | None = None) -> None:
        self._shown = (story, values, before)
        self._draw()

    def _draw(self) -> None:
        if self._shown is not None:
            self.update(status_text(*self._shown, compact=self.size.width > self.COMPACT_WIDTH))

    def on_resize(self) -> None:
        self._draw()
