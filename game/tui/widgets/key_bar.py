"""The key line at the foot of the play screen: the keys it offers now, each one clickable.

It says what Textual's `Footer` says, with the same theme colours and
spacing (a click on a key presses it), as one widget whose text is replaced only when the keys shown
change. The `Footer` re-builds a widget per key on every change of
bindings (focus moving, a screen resuming): a new game cost six such
re-builds, each key restyled as it was mounted and a frame each, about a
third of the time from "New game" to the playable scene.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

Key = tuple[str, str, str, bool]
"""(key, how the key is shown, what it does, whether it can be used now)."""

KEY_STYLE = ".key-bar--key"
DESCRIPTION_STYLE = ".key-bar--description"
"""Component classes of `KeyBar`, styled there with the theme's footer colours."""


def keys_shown(screen: Screen[Any]) -> list[Key]:
    """The bindings `screen` shows, one per action: the screen's own in the order it declares them (the keys
    it needs most first, where a narrow line leaves keys out), then the app's, as the `Footer` shows them."""
    seen: set[str] = set()
    out: list[tuple[int, Key]] = []
    declared = {b.action: i for i, b in enumerate(type(screen).BINDINGS) if isinstance(b, Binding)}
    for _node, binding, enabled, _tooltip in screen.active_bindings.values():
        if not binding.show or binding.action in seen:
            continue
        seen.add(binding.action)
        key = (binding.key, screen.app.get_key_display(binding), binding.description, enabled)
        out.append((declared.get(binding.action, len(declared)), key))
    return [key for _, key in sorted(out, key=lambda pair: pair[0])]


KEPT_LAST = 2
"""The last keys (the app's help and quit) stay on a line too narrow for all: help lists the keys left out."""


def key_line(keys: list[Key], width: int | None = None) -> tuple[Content, list[tuple[int, int, str]]]:
    """" u Undo  j Journal …", and where each key's part of it lies: (start, end, key).

    On a line narrower than `width` cells the keys that do not fit are left out whole (the line cut one
    mid-word, "q Q" at 60 columns), keeping the last `KEPT_LAST`."""
    made = []
    for key, shown, description, enabled in keys:
        part = Content.assemble((f" {shown} ", KEY_STYLE), (f"{description} " if description else "", DESCRIPTION_STYLE))
        made.append((part if enabled else part.stylize("dim"), key))
    if width is not None and sum(p.cell_length for p, _ in made) > width:
        tail = made[-KEPT_LAST:]
        room = width - sum(p.cell_length for p, _ in tail)
        head = []
        for part, key in made[:-KEPT_LAST]:
            if part.cell_length > room:
                break
            head.append((part, key))
            room -= part.cell_length
        made = head + tail
    spots: list[tuple[int, int, str]] = []
    at = 0
    for part, key in made:
        spots.append((at, at + part.cell_length, key))
        at += part.cell_length
    return Content("").join(p for p, _ in made), spots


class KeyBar(Static):
    """The keys on offer, re-drawn only when they change (see the module's docstring)."""

    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        width: 1fr;
        color: $footer-foreground;
        background: $footer-background;
        text-wrap: nowrap;
        text-overflow: clip;
        & > .key-bar--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .key-bar--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
    }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._keys: list[Key] | None = None
        self._width: int | None = None
        self._spots: list[tuple[int, int, str]] = []

    def on_click(self, event: events.Click) -> None:
        """A click on a key (or its description) presses it, as on the `Footer`.

        (Handled here rather than as a link in the text: links are drawn in the link colour, underlined.)"""
        for start, end, key in self._spots:
            if start <= event.x < end:
                event.stop()
                self.app.simulate_key(key)
                return

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._draw()

    def _bindings_changed(self, screen: Screen[Any]) -> None:
        if self.is_attached and screen is self.screen:
            self._draw()

    def on_resize(self, event: events.Resize) -> None:
        self._draw()

    def _draw(self) -> None:
        keys = keys_shown(self.screen)
        width = self.size.width or None  # before its first layout: every key (cut, if need be, by the clip)
        if keys == self._keys and width == self._width:
            return
        line, spots = key_line(keys, width)
        if keys != self._keys or spots != self._spots:  # a new width that shows the same keys draws nothing
            self.update(line)
        self._keys, self._width, self._spots = keys, width, spots
