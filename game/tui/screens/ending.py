"""The ending: its title, the epilogue, and what really happened."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Footer, Markdown, Static

from ... import engine
from ...engine import State
from ...views.notes import ending_note, note_markdown
from ...views.teaching import ending_verdict
from ..widgets.clock_header import ClockHeader
from .base import StateScreen

if TYPE_CHECKING:
    from ..app import TaurideApp


def ending_markdown(app: "TaurideApp", state: State) -> str:
    """The epilogue and the ending's historical note, with its sources spelt out."""
    story = app.story
    ending = story.scenes[state.scene].ending
    assert ending is not None
    parts = [engine.epilogue(story, state)]
    if story.history:  # only a history story measures its endings against what happened
        parts += ["", "---", "", note_markdown(ending_note(story, ending))]
    return "\n".join(parts)


class EndingScreen(StateScreen):
    """Shown over the play screen when the state reaches an ending scene."""

    BINDINGS = [
        Binding("d", "debrief", "Debrief"),
        Binding("u", "undo", "Undo last choice"),
        Binding("j", "journal", "Journal"),
        Binding("t", "timeline", "Timeline", show=False),
        Binding("n", "new_game", "New game"),
        Binding("s", "save", "Save", show=False),
        Binding("escape", "title", "Title"),
    ]

    def compose(self) -> ComposeResult:
        story = self.tauride.story
        ending = story.scenes[self.state.scene].ending
        assert ending is not None
        yield ClockHeader(id="clock")
        with VerticalScroll(id="ending-scroll"):
            with Vertical(id="ending-page"):
                yield Static("THE END", id="ending-mark")
                yield Static(engine.ending_title(story, self.state), id="ending-title", markup=False)
                if story.history:  # only a history story measures its endings against what happened
                    yield Static(ending_verdict(ending), id="ending-verdict", markup=False,
                                 classes="historical" if ending.historical else "counterfactual")
                yield Markdown(ending_markdown(self.tauride, self.state), id="ending-text", open_links=False)
                yield Static(
                    ("d: debrief — your choices beside history\n" if story.history else "")
                    + "u: take back the last choice   j: journal   t: timeline\n"
                    "n: new game   s: save   Esc: the title   q: quit",
                    id="ending-keys",
                )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(ClockHeader).show(self.tauride.story, self.state, "the end")
        self.query_one("#ending-scroll").focus()

    async def action_undo(self) -> None:
        await self.tauride.undo_from_ending(self.state)

    def action_debrief(self) -> None:
        if self.tauride.story.history:  # a fiction story has no record to set the choices beside
            self.tauride.open_debrief(self.state)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide the debrief key in the footer of a story that is not history."""
        if action == "debrief" and not self.tauride.story.history:
            return False
        return True

    def action_journal(self) -> None:
        self.tauride.open_journal(self.state)

    def action_timeline(self) -> None:
        self.tauride.open_timeline(self.state)

    def action_new_game(self) -> None:
        """A new game at once, as its key says (it went to the title, where "n" had to be pressed again); the
        finished game is kept already, so nothing is asked."""
        self.tauride.new_game()

    def action_title(self) -> None:
        self.tauride.show_title()

    def action_save(self) -> None:
        self.tauride.ask_save(self.state)
