"""The side panel: the variables the writer marked as shown, in words, numbers and bars.

Drawn as Textual `Content` (cheaper to draw than Rich `Text`), and only when
what it says has changed: most steps leave it as it was.
"""

from __future__ import annotations

from typing import Any, Mapping

from textual.content import Content
from textual.widgets import Static

from ...story.model import Story
from ..text import bar, delta_words, value_words


def status_text(
    story: Story, values: Mapping[str, Any], before: Mapping[str, Any] | None, compact: bool = False
) -> Content:
    """Each shown variable: its name, a bar for a ranged number, its value, and how it moved.

    `compact` puts name and value on one line, for the strip under a narrow screen.
    """
    parts: list[str | tuple[str, str]] = []
    shown = [v for v in story.variables.values() if v.shown]
    for i, var in enumerate(shown):
        value = values.get(var.name)
        if i:
            parts.append("\n")
        parts.append((var.display_name, "bold"))
        parts.append(": " if compact else "\n")
        drawn = bar(var, value)
        if drawn is not None and var.range is not None:
            parts.append(f"{drawn} {value}/{var.range[1]}")
        else:
            parts.append(value_words(value))
        moved = delta_words(before.get(var.name), value) if before is not None else ""
        if moved:
            parts.append((f" {moved}", "bold"))
    if not shown:
        parts.append(("—", "italic"))
    return Content.assemble(*parts)


class StatusPanel(Static):
    """Shows the player-visible variables; re-rendered from the state after every step."""

    COMPACT_WIDTH = 40
    """Wider than this, the panel is the strip under a narrow screen: one line per variable."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._shown: tuple[Story, Mapping[str, Any], Mapping[str, Any] | None] | None = None
        self._drawn: tuple[str, list[Any]] | None = None

    def show(self, story: Story, values: Mapping[str, Any], before: Mapping[str, Any] | None = None) -> None:
        self._shown = (story, values, before)
        self._draw()

    def _width(self) -> int:
        """The panel's width; before its first layout, the width it is about to get.

        A narrow play screen (`-narrow`, given when the screen is made) docks the panel under the
        choices across the whole screen. Drawn first at width 0 (two lines a variable) and redrawn
        compact once laid out, the strip kept the taller height of its first drawing.
        """
        if self.size.width or not self.screen.has_class("-narrow"):
            return self.size.width
        return self.screen.size.width or self.app.size.width

    def _draw(self) -> None:
        if self._shown is not None:
            content = status_text(*self._shown, compact=self._width() > self.COMPACT_WIDTH)
            drawn = (content.plain, list(content.spans))
            if drawn != self._drawn:
                self._drawn = drawn
                self.update(content)

    def on_resize(self) -> None:
        self._draw()
