"""A yes/no question, answered with y/n, Enter/Escape, or the mouse."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Label, Static

from .base import StyledOnMount


class AnswerButton(Button):
    """A dialog's button that is not restyled once its dialog has been taken away.

    Removing a dialog blurs its focused button, and a blurred widget restyles itself: ~1 ms
    spent, before the screen underneath is drawn again, on a button that is never drawn again
    (the content note's "Begin" paid it before a new game's first frame). A dialog is made for one
    showing and never pushed again, so a button whose dialog is off the stack can skip it.
    """

    def watch_has_focus(self, has_focus: bool) -> None:
        if self.screen in self.app.screen_stack:
            super().watch_has_focus(has_focus)


class ConfirmDialog(StyledOnMount, ModalScreen[bool]):
    """Dismisses with True for yes, False for no."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
        # Enter answers as the focused button says, at once: the button's own Enter first drew it
        # pressed, a frame (~5 ms) before the answer took the dialog away.
        Binding("enter", "enter", "Answer", show=False, priority=True),
        # A modal screen cuts the app's own bindings off (Textual's `_modal_binding_chain`): "q" quits
        # everywhere the help says so, a dialog included; only a text box keeps the letter (Ctrl+Q there).
        Binding("q", "app.quit", "Quit", show=False),
    ]

    def __init__(self, question: str, detail: str = "", yes: str = "Yes", no: str = "No", *,
                 default_yes: bool = False, markdown: bool = False) -> None:
        super().__init__()
        self.question = question
        self.detail = detail
        self.yes = yes
        self.no = no
        self.default_yes = default_yes
        """Enter takes yes: for a notice to read before going on, not for a question that loses work."""
        self.markdown = markdown
        """`detail` is Markdown (a notice with emphasis), not plain text."""

    @classmethod
    def parts(cls) -> list[Widget]:
        """One widget of each class a dialog is made of, itself included (for `play.prepare_styles`)."""
        from ..widgets.scene_text import SceneText

        return [cls(""), Vertical(), Label(), SceneText(), Static(), Horizontal(), AnswerButton()]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.question, classes="dialog-title", markup=False)
            if self.detail and self.markdown:
                # Drawn as scene text is (game.tui.widgets.scene_text): paragraphs with emphasis cost
                # no Markdown widget, whose import (with pygments) is ~4 MiB a new game's note need not add.
                from ..widgets.scene_text import SceneText

                yield SceneText(classes="dialog-hint")
            elif self.detail:
                yield Static(self.detail, classes="dialog-hint", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield AnswerButton(f"{self.yes} (y)", id="yes", variant="warning")
                yield AnswerButton(f"{self.no} (n)", id="no")

    def on_mount(self) -> None:
        if self.detail and self.markdown:
            from ..widgets.scene_text import SceneText

            self.query_one(SceneText).show(self.detail)
        self.query_one("#yes" if self.default_yes else "#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")

    def action_enter(self) -> None:
        if isinstance(self.focused, Button):
            self.dismiss(self.focused.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
