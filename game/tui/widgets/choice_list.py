"""The choices of a scene: number keys, arrows + Enter, or the mouse.

Locked choices stay in the list (greyed and marked "locked", with the
reason) so the player sees what they cannot do and why; a choice that
costs time says how much. The list only reports which choice id was picked;
the play screen asks the engine what follows.

Between a choice and the next scene the play screen *locks* the list rather
than disabling it: a locked list ignores keys and picks but keeps the focus,
so Textual does not re-build the footer and restyle the screen twice per key
press (~35 ms). It is drawn as a disabled one only where the lock lasts long
enough to be seen (while the player answers a question); for the moment a
scene takes to draw, restyling it would cost time and show as a flicker.

Each choice is drawn as a `Numbered` visual (Textual `Content` beside its
number) rather than a Rich table: the list measures and renders every
option on each new scene, and a table cost several times as much.
"""

from __future__ import annotations

from rich.segment import Segment
from textual import events
from textual.content import Content
from textual.css.styles import RulesMap
from textual.message import Message
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widget import Widget
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ...engine import ChoiceView
from ..text import duration


def choice_words(view: ChoiceView) -> Content:
    """A choice's words, time cost, and (when locked) the lock's reason."""
    if view.enabled:
        cost = (f"  (takes {duration(view.cost)})", "italic") if view.cost else ""
        return Content.assemble(view.text, cost)
    return Content.assemble(("[locked] ", "bold"), (view.text, "strike"),
                            (f"\n{view.locked_reason or 'Not possible now.'}", "italic"))


class Numbered(Visual):
    """A number beside words, the words' further lines hanging under the first (as in a numbered list)."""

    def __init__(self, number: Content, words: Content) -> None:
        self.number = number
        self.words = words
        self.indent = number.cell_length + 1

    def __str__(self) -> str:
        return f"{self.number.plain} {self.words.plain}"

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.indent + self.words.get_optimal_width(rules, container_width - self.indent)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self.words.get_height(rules, width - self.indent if width > self.indent else width)

    def render_strips(self, width: int, height: int | None, style: Style, options: RenderOptions) -> list[Strip]:
        if width <= self.indent:
            return self.words.render_strips(width, height, style, options)
        lines = self.words.render_strips(width - self.indent, height, style, options)
        blank = Strip([Segment(" " * self.indent, style.rich_style)], self.indent)
        number = self.number.render_strips(self.indent, 1, style, options)
        first = number[0].extend_cell_length(self.indent, style.rich_style) if number else blank
        return [Strip.join([first if i == 0 else blank, line]) for i, line in enumerate(lines)]


def choice_prompt(number: int, view: ChoiceView) -> Numbered:
    """One choice as the player reads it: its number beside its words, long ones wrapping under the words."""
    return Numbered(Content.styled(f"{number}." if number <= 9 else "", "bold"), choice_words(view))


class ChoiceList(OptionList):
    """The scene's choices; posts `Chosen` with the choice id."""

    class Chosen(Message):
        """The player picked an enabled choice."""

        def __init__(self, choice_id: str) -> None:
            super().__init__()
            self.choice_id = choice_id

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.views: list[ChoiceView] = []
        """The choices on show, in the order their numbers refer to."""
        self.locked = False
        """True while choosing is switched off (see the module's docstring)."""
        self._lines_width = 0
        """The width the options' lines were last measured at (0: not yet)."""

    def set_locked(self, locked: bool, *, look: bool = False) -> None:
        """Lock or unlock; `look`: also draw the list as locked (see the module's docstring)."""
        self.locked = locked
        self.set_class(locked and look, "-locked")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A locked list takes no keys: moving or selecting waits for the next scene."""
        if self.locked:
            return False
        return super().check_action(action, parameters)

    def show(self, views: list[ChoiceView]) -> None:
        self.views = list(views)
        self.clear_options()
        self.add_options(
            Option(choice_prompt(i, v), id=v.id, disabled=not v.enabled) for i, v in enumerate(self.views, 1)
        )
        if self.show_vertical_scrollbar and self.virtual_size.height <= self._room():
            # Measured against the height of the choices before, the new ones seemed to overflow
            # it; the list grows to hold them at the coming layout, so no scroll bar (which, shown
            # and then hidden by that layout, narrowed the list for a second layout and frame).
            # Before the highlight moves: moving it measures the lines at the list's final width.
            self.show_vertical_scrollbar = False
            self.vertical_scrollbar.display = False
        self.highlighted = next((i for i, v in enumerate(self.views) if v.enabled), None)
        self._lines_width = self.scrollable_content_region.width

    def _room(self) -> int:
        """The most lines the list can show without scrolling (its `max-height`, less border and padding)."""
        cap = self.styles.max_height
        if cap is None or self.parent is None:
            return self.virtual_size.height
        parent = self.parent.content_size if isinstance(self.parent, Widget) else self.screen.size
        return int(cap.resolve(parent, self.screen.size)) - self.gutter.height

    def _on_resize(self, event: events.Resize | None = None) -> None:
        """A new height with the same width keeps the lines measured and drawn: no second frame.

        `OptionList` forgets its measured and rendered lines on every resize, and draws the list
        again; the list's height follows its options, so that was a second render of the choices
        after every choice, the frame before having drawn them at this very width already.
        """
        width = self.scrollable_content_region.width
        if width == self._lines_width and event is not None:
            event.prevent_default()
        else:
            self._lines_width = width

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None and not self.disabled and not self.locked:
            self.post_message(self.Chosen(event.option.id))
