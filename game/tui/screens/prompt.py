"""A small dialog that asks for one line of text (a save name, a new name, a student's name).

The caller gives a check that turns the raw text into the value or raises
`ValueError` with a message the player can act on; the dialog shows that
message and stays open, so a bad name never closes it silently.
"""

from __future__ import annotations

from typing import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class PromptDialog(ModalScreen[str | None]):
    """Asks a question; dismisses with the checked answer, or None on Escape."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self,
        question: str,
        *,
        value: str = "",
        hint: str = "",
        check: Callable[[str], str] | None = None,
        password: bool = False,
        cancellable: bool = True,
    ) -> None:
        super().__init__()
        self.question = question
        self.value = value
        self.hint = hint
        self.check = check
        self.password = password
        self.cancellable = cancellable
        """False where the game cannot go on without an answer (a classroom student's name)."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            # a Static, not a Label: a reflection question is a sentence or two, shown whole and wrapped
            # (a Label is one line as wide as its text, cut at the dialog's edge)
            yield Static(self.question, classes="dialog-title", id="question", markup=False)
            yield Input(value=self.value, password=self.password, id="answer")
            yield Static(self.hint, id="hint", classes="dialog-hint", markup=False)
            yield Static("", id="problem", classes="dialog-problem", markup=False)  # quotes what was typed
            yield Static("Enter: confirm" + ("   Esc: cancel" if self.cancellable else ""), classes="dialog-keys")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        raw = event.value
        try:
            answer = self.check(raw) if self.check else raw.strip()
        except ValueError as exc:
            self.query_one("#problem", Static).update(f"Not accepted: {exc}")
            return
        self.dismiss(answer)

    def action_cancel(self) -> None:
        if self.cancellable:
            self.dismiss(None)
