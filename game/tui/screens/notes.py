"""Pop-up notes over the play screen: a glossary entry, the scene's history, a pick list.

Modal, so the page underneath keeps its place (scroll, highlighted choice);
Escape closes them.
"""

from __future__ import annotations

from typing import Mapping

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Markdown, OptionList, Static
from textual.widgets.option_list import Option

from ...story.model import GlossaryEntry, History, Story
from ...views.notes import note_markdown, scene_note
from ...views.refs import citation_list, sources_of
from ...views.teaching import meter_value, meters


def entry_markdown(story: Story, entry: GlossaryEntry) -> str:
    """A glossary entry as the player reads it: kind, text, sources, and whether it is invented."""
    parts = [f"*{entry.kind}*", "", entry.text.strip()]
    if entry.invention:
        parts += ["", "*Invented for this story: not a historical figure or place.*"]
    if entry.sources:
        parts += ["", "**Sources:** " + citation_list(sources_of(story, entry.sources))]
    return "\n".join(parts)


def history_markdown(story: Story, history: History | None) -> str:
    """A scene's historical note with its sources spelt out (the one wording: `game.views.notes`)."""
    return note_markdown(scene_note(story, history))


def meters_markdown(story: Story, values: Mapping[str, object]) -> str:
    """Each meter of the side panel: its value now and what it measures (the writer's description)."""
    shown = meters(story, values)
    if not shown:
        return "*This story shows no meters.*"
    return "\n\n".join(f"**{m.label}: {meter_value(m)}.** {m.meaning}" for m in shown)


class NoteDialog(ModalScreen[None]):
    """A titled note in Markdown; Escape (or Enter) closes it."""

    BINDINGS = [Binding("escape,enter", "close", "Close"),
                Binding("q", "app.quit", "Quit", show=False)]  # as ConfirmDialog: a modal cuts the app's "q" off

    def __init__(self, title: str, markdown: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.title_text = title
        self.markdown = markdown

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog note"):
            yield Label(self.title_text, classes="dialog-title", markup=False)
            with VerticalScroll(classes="note-scroll"):
                yield Markdown(self.markdown, open_links=False, classes="note-text")
            yield Static("Esc: close", classes="dialog-keys")

    def on_mount(self) -> None:
        self.query_one(".note-scroll").focus()

    def action_close(self) -> None:
        self.dismiss(None)


class PickDialog(ModalScreen[str | None]):
    """Pick one of a few labelled items (by arrows + Enter, number, or mouse); Escape for none."""

    BINDINGS = [Binding("escape", "cancel", "Cancel"),
                Binding("q", "app.quit", "Quit", show=False)]  # as ConfirmDialog: a modal cuts the app's "q" off

    def __init__(self, title: str, items: Mapping[str, str], empty: str = "Nothing to choose.", *,
                 enter: str = "open") -> None:
        super().__init__()
        self.title_text = title
        self.enter = enter
        """What Enter does to the item picked, in the key line ("Enter: open")."""
        self.items = dict(items)
        self.empty = empty

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title", markup=False)
            if self.items:
                yield OptionList(
                    *(Option(Text(label), id=key) for key, label in self.items.items()), classes="pick-list"
                )
            else:
                yield Static(self.empty, classes="dialog-hint", markup=False)
            yield Static(f"Enter: {self.enter}   Esc: back", classes="dialog-keys", markup=False)

    def on_mount(self) -> None:
        for widget in self.query(OptionList):
            widget.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
