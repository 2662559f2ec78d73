"""The choices of a scene: number keys, arrows + Enter, or the mouse.

Locked choices stay in the list (greyed and marked "locked", with the
reason) so the player sees what they cannot do and why; a choice that
costs time says how much. The list only reports which choice id was picked;
the play screen asks the engine what follows.

Between a choice and the next scene the play screen *locks* the list rather
than disabling it: a locked list ignores keys and picks and is drawn as a
disabled one, but keeps the focus, so Textual does not re-build the footer
and restyle the screen twice per key press (~35 ms).
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ...engine import ChoiceView
from ..text import duration


def choice_words(view: ChoiceView) -> Text:
    """A choice's words, time cost, and (when locked) the lock's reason."""
    out = Text()
    if view.enabled:
        out.append(view.text)
        if view.cost:
            out.append(f"  (takes {duration(view.cost)})", style="italic")
    else:
        out.append("[locked] ", style="bold")
        out.append(view.text, style="strike")
        out.append(f"\n{view.locked_reason or 'Not possible now.'}", style="italic")
    return out


def choice_prompt(number: int, view: ChoiceView) -> Table:
    """One choice as the player reads it: its number beside its words, long ones wrapping under the words."""
    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(Text(f"{number}." if number <= 9 else "", style="bold"), choice_words(view))
    return grid


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

    def set_locked(self, locked: bool) -> None:
        self.locked = locked
        self.set_class(locked, "-locked")

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
        first = next((i for i, v in enumerate(self.views) if v.enabled), None)
        self.highlighted = first

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None and not self.disabled and not self.locked:
            self.post_message(self.Chosen(event.option.id))
