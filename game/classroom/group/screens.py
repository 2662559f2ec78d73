"""The group-play dialogs: pick a choice (tie or override), a reflection answer, and notes to read aloud."""

from __future__ import annotations

from typing import Sequence, cast

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Input, Markdown, OptionList, Static
from textual.widgets.option_list import Option


class PickChoice(ModalScreen[str | None]):
    """The teacher picks one choice: to settle a tie, or to overrule the vote. Escape goes back to the vote."""

    BINDINGS = [Binding("escape", "cancel", "Back to the vote")]

    def __init__(self, title: str, why: str, options: Sequence[tuple[str, str]]) -> None:
        super().__init__()
        self.heading = title
        self.why = why
        self.options = list(options)
        """(choice id, label) in the order shown."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.heading, classes="dialog-title", markup=False)
            yield Static(self.why, classes="dialog-why", markup=False)
            yield OptionList(*(Option(f"{i}. {label}", id=cid) for i, (cid, label) in enumerate(self.options, 1)),
                             id="pick")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def on_key(self, event: events.Key) -> None:  # digits pick directly, as in play
        if event.character and event.character.isdigit():
            n = int(event.character)
            if 1 <= n <= len(self.options):
                event.stop()
                self.dismiss(self.options[n - 1][0])

    def action_cancel(self) -> None:
        self.dismiss(None)


class ReflectionPrompt(ModalScreen[str | None]):
    """The choice's reflection question; the class's answer is typed in and kept in the save."""

    BINDINGS = [Binding("escape", "skip", "Skip the question")]

    def __init__(self, question: str, *, title: str = "Reflection") -> None:
        super().__init__()
        self.question = question
        self.heading = title

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.heading, classes="dialog-title", markup=False)
            yield Static(self.question, classes="dialog-why", markup=False)
            yield Input(placeholder="The class's answer, then Enter", id="answer")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip() or None)

    def action_skip(self) -> None:
        self.dismiss(None)


class Notes(ModalScreen[None]):
    """Text to read to the class (what really happened, the class's path); any of Escape, Enter, q closes it."""

    BINDINGS = [Binding("escape,enter,q", "close", "Close")]

    def __init__(self, title: str, markdown: str) -> None:
        super().__init__()
        self.heading = title
        self.markdown = markdown

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static(self.heading, classes="dialog-title", markup=False)
            with VerticalScroll():
                yield Markdown(self.markdown)
        yield Footer()

    def action_close(self) -> None:
        self.dismiss(None)


class Discussion(Screen[None]):
    """The end of a story hour: its prompts on the whole screen, until the teacher goes on."""

    BINDINGS = [Binding("enter,space", "go_on", "Go on with the story"),
                Binding("q", "quit", "Quit (saved)")]  # as on the play screen: q did nothing here until Enter

    def __init__(self, hour_title: str, prompts: Sequence[str], next_title: str | None) -> None:
        super().__init__()
        self.hour_title = hour_title
        self.prompts = list(prompts)
        self.next_title = next_title

    def compose(self) -> ComposeResult:
        items = "\n".join(f"{i}. {p}" for i, p in enumerate(self.prompts, 1))
        after = f"\n\n*Next: {self.next_title}.* Press **Enter** to go on." if self.next_title else ""
        with VerticalScroll(id="discussion"):
            yield Static(f"End of {self.hour_title}", id="discussion-title", markup=False)
            yield Markdown(f"## For discussion\n\n{items}{after}")
        yield Footer()

    def action_go_on(self) -> None:
        self.dismiss(None)

    def action_quit(self) -> None:
        from .app import ClassApp

        cast(ClassApp, self.app).save_and_quit()
