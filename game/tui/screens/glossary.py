"""The glossary: every entry the player has met so far, and what it says.

Met means the place of a scene visited or a name in a text read (see
`game.views.terms.terms_met`), so the glossary never spoils what is to come.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Markdown, OptionList, Static
from textual.widgets.option_list import Option, OptionDoesNotExist

from ...engine import State
from ...views import terms_met
from .notes import entry_markdown

if TYPE_CHECKING:
    from ..app import TaurideApp


class GlossaryScreen(Screen[None]):
    BINDINGS = [Binding("escape", "back", "Back")]

    def __init__(self, state: State, select: str | None = None) -> None:
        super().__init__()
        self.state = state
        self.select = select

    @property
    def tauride(self) -> "TaurideApp":
        return cast("TaurideApp", self.app)

    def compose(self) -> ComposeResult:
        story = self.tauride.story
        met = terms_met(story, self.state)
        yield Static(f"Glossary — {len(met)} of {len(story.glossary)} entries met so far", classes="screen-title")
        with Horizontal(id="glossary-body"):
            yield OptionList(
                *(Option(Text.assemble((e.term, "bold"), f"\n  {e.kind}"), id=e.id) for e in met),
                id="glossary-list",
            )
            with VerticalScroll(id="glossary-entry"):
                yield Static("", id="glossary-term", classes="screen-title", markup=False)
                yield Markdown("" if met else "*No names met yet.*", id="glossary-text", open_links=False)
        yield Footer()

    def on_mount(self) -> None:
        menu = self.query_one(OptionList)
        menu.focus()
        if menu.option_count:
            index = 0
            if self.select:
                try:
                    index = menu.get_option_index(self.select)
                except OptionDoesNotExist:  # an entry not met yet: show the first
                    index = 0
            menu.highlighted = index
            self.show(menu.get_option_at_index(index).id)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.show(event.option.id)

    def show(self, entry_id: str | None) -> None:
        entry = self.tauride.story.glossary.get(entry_id or "")
        if entry is None:
            return
        self.query_one("#glossary-term", Static).update(entry.term)
        self.query_one("#glossary-text", Markdown).update(entry_markdown(self.tauride.story, entry))

    def action_back(self) -> None:
        self.dismiss(None)
