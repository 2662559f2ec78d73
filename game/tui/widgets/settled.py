"""Widgets whose new size, once the layout has given it, needs no second layout.

Textual 8.2 sets a widget's `virtual_size` (a reactive declared with
`layout=True`) whenever a layout pass changes the widget's size, and that
reactive asks for *another* layout: every widget whose height follows its
text — the scene's title and paragraphs, the column holding them — cost a
second layout and a second render of the whole text after each choice, a
refresh the player never sees, about a quarter of the CPU of a choice.

The second layout is needed only where the first one used a stale measure:
a container given a height (from its parent's cached arrangement) other than
what its children, freshly arranged, now take. So a settled container skips
the second layout exactly when its content fills its content area — what the
parent gave is what the children need — and asks for it as Textual does
otherwise (a text longer than the room left, which scrolls, or a measure
taken before a widget knew its width). A settled leaf (a block of text) never
asks: its parent, settled too, is the one that would be wrong.
"""

from __future__ import annotations

from textual.app import RenderResult
from textual.containers import VerticalScroll
from textual.geometry import Size
from textual.renderables.blank import Blank
from textual.scrollbar import ScrollBar
from textual.widget import Widget
from textual.widgets import Static


def needs_second_layout(is_container: bool, virtual_size: Size, room: Size, cap: int | None) -> bool:
    """Whether a layout that gave a widget these sizes must be followed by another (see the module).

    `virtual_size`: what its children, freshly arranged, take; `room`: its content area, less any
    scroll bar; `cap`: the most that area may take (from `max-height`) where the content scrolls
    past it. Children arranged at another width (a scroll bar that came or went) are stale too.
    """
    if not is_container:
        return False
    if virtual_size.width != room.width:
        return True
    return room.height not in (virtual_size.height, cap)


class Settled(Widget):
    """A widget whose size set by a layout asks for no further layout unless it must.

    Mixed in *after* a Textual widget class (`class X(Static, Settled)`): Textual takes a widget's
    CSS type names (and so its default styles) from the first base of each class only.
    """

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True) -> bool:
        """What Textual does on a new size, minus the layout request when nothing measured was stale.

        When something was (see `needs_second_layout`), the container's own cached arrangement is
        what was stale: it is dropped and a layout asked for, as a child's request would have done.
        Only on a change, so a text that keeps overflowing its room does not ask again and again.
        """
        changed = super()._size_updated(size, virtual_size, container_size, layout=False)
        if changed and layout and needs_second_layout(self.is_container, virtual_size, self.scrollable_content_region.size, self._cap()):
            self._clear_arrangement_cache()
            self.refresh(layout=True)
        return changed

    def _cap(self) -> int | None:
        """The content height `max-height` allows, for a widget that scrolls (None: no cap, or no scrolling)."""
        cap = self.styles.max_height
        if cap is None or not self.is_scrollable or self.parent is None:
            return None
        parent = self.parent.content_size if isinstance(self.parent, Widget) else self.screen.size
        return int(cap.resolve(parent, self.screen.size)) - self.styles.gutter.height


class SettledStatic(Static, Settled):
    """A `Static` (the scene's title) sized by the layout alone."""


class SettledScrollBar(ScrollBar, Settled):
    """A scroll bar whose new length (a scene longer than its room) asks for no second layout.

    It is a leaf: its length is set by the layout and its thumb by Textual's `_scroll_update`.
    The reading column keeps it at all times (`overflow-y: scroll`): a bar that came when a page
    outgrew its room and went when the next one fitted asked, each time, for a second layout and
    frame. While there is nothing to scroll it is drawn blank, in the column's background, as the
    empty gutter it stands in.
    """

    def render(self) -> RenderResult:  # type: ignore[override]  # any widget's (ScrollBar's says Rich only)
        if self.window_virtual_size <= self.window_size and self.parent is not None:
            return Blank(self.parent.background_colors[1])
        return super().render()


class SettledScroll(VerticalScroll, Settled):
    """The reading column: the scene's title and text, scrolled when longer than the room left."""

    @property
    def vertical_scrollbar(self) -> ScrollBar:
        """Textual's vertical scroll bar, made as Textual makes it, but settled (created when first asked for)."""
        if self._vertical_scrollbar is None:
            bar = SettledScrollBar(vertical=True, name="vertical", thickness=self.scrollbar_size_vertical)
            bar.display = False
            self._vertical_scrollbar = bar
            self.app._start_widget(self, bar)
        return self._vertical_scrollbar
