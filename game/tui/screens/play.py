"""The play screen: clock and place on top, the scene's text, its choices, the situation.

It holds the current `State` and nothing else of the story's logic: a choice
goes to `engine.choose` by id, and everything on screen is re-drawn from the
state that comes back. Choices are switched off from the moment one is taken
until the next scene has been drawn, so a double key press cannot choose twice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping, cast

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Markdown, Static

from ... import engine
from ...engine import State
from ...saves import SaveError
from ..widgets.choice_list import ChoiceList
from ..widgets.clock_header import ClockHeader
from ..widgets.status_panel import StatusPanel

if TYPE_CHECKING:
    from ..app import TaurideApp


class PlayScreen(Screen[None]):
    """One playthrough in progress."""

    BINDINGS = [
        *(Binding(str(n), f"pick({n})", f"Choice {n}", show=False) for n in range(1, 10)),
        Binding("s", "save", "Save"),
        Binding("l", "load", "Saves"),
        # priority: the choice list would otherwise take page keys for itself
        Binding("pageup", "scroll_text(-1)", "Scroll up", show=False, priority=True),
        Binding("pagedown", "scroll_text(1)", "Scroll down", show=False, priority=True),
    ]

    def __init__(self, state: State) -> None:
        super().__init__()
        self.state = state
        """The one source of truth for what is on screen."""
        self.before: Mapping[str, Any] | None = None
        """Variables before the last step, so the panel can show what moved."""
        self.busy = False
        """True from a choice until the next scene has been drawn: input is ignored meanwhile."""
        self.unsaved = False
        """True when the last autosave failed, so quitting would lose progress."""

    @property
    def tauride(self) -> "TaurideApp":
        return cast("TaurideApp", self.app)

    def compose(self) -> ComposeResult:
        yield ClockHeader(id="clock")
        with Horizontal(id="body"):
            with Vertical(id="main"):
                with VerticalScroll(id="reading"):
                    yield Static(id="scene-title")
                    yield Markdown(id="scene-text", open_links=False)
                yield ChoiceList(id="choices")
            yield StatusPanel(id="side")
        yield Footer()

    async def on_mount(self) -> None:
        self.query_one(ChoiceList).border_title = "What do you do?"
        await self.draw()
        self.query_one(ChoiceList).focus()

    # ------------------------------------------------------------ drawing
    async def draw(self) -> None:
        """Re-draw everything from `self.state`."""
        story, state = self.tauride.story, self.state
        scene = engine.scene_of(story, state)
        self.query_one(ClockHeader).show(story, state)
        self.query_one("#scene-title", Static).update(scene.title)
        try:
            text = engine.scene_text(story, state)
            views = engine.choices(story, state)
        except engine.RunError as err:
            text, views = f"*This scene could not be shown: {err}*", []
            self.notify(str(err), title="Story error", severity="error")
        await self.query_one("#scene-text", Markdown).update(text)
        self.query_one("#reading", VerticalScroll).scroll_home(animate=False)
        self.query_one(ChoiceList).show(views)
        self.query_one(StatusPanel).show(story, state.vars, self.before)
        if engine.is_ending(story, state):
            self.tauride.show_ending(self)

    async def advance(self, new: State) -> None:
        """Make `new` the current state: autosave it, then draw it."""
        self.before = dict(self.state.vars)
        self.state = new
        self.autosave()
        await self.draw()

    def autosave(self) -> None:
        try:
            self.tauride.store.autosave(self.tauride.story, self.state, self.tauride.save_meta)
        except SaveError as err:
            self.unsaved = True
            self.notify(f"Autosave failed: {err}", title="Not saved", severity="error", timeout=10)
        else:
            self.unsaved = False

    # ------------------------------------------------------------ choosing
    async def take(self, choice_id: str) -> None:
        if self.busy:
            return
        self.busy = True
        choices = self.query_one(ChoiceList)
        choices.disabled = True
        try:
            new = engine.choose(self.tauride.story, self.state, choice_id)
        except (engine.ChoiceError, engine.RunError) as err:
            self.notify(str(err), title="That choice failed", severity="error")
            self._unlock()
            return
        await self.advance(new)
        self.call_after_refresh(self._unlock)

    def _unlock(self) -> None:
        self.busy = False
        choices = self.query_one(ChoiceList)
        choices.disabled = False
        if self.app.screen is self:
            choices.focus()

    async def on_choice_list_chosen(self, message: ChoiceList.Chosen) -> None:
        await self.take(message.choice_id)

    async def action_pick(self, number: int) -> None:
        if self.busy:
            return
        views = self.query_one(ChoiceList).views
        if not 1 <= number <= len(views):
            self.notify(f"There is no choice {number} here.", severity="warning")
            return
        view = views[number - 1]
        if not view.enabled:
            self.notify(view.locked_reason or "Not possible now.", title="Locked", severity="warning")
            return
        await self.take(view.id)

    def action_scroll_text(self, direction: int) -> None:
        reading = self.query_one("#reading", VerticalScroll)
        if direction < 0:
            reading.scroll_page_up(animate=False)
        else:
            reading.scroll_page_down(animate=False)

    # ------------------------------------------------------------ saves
    def action_save(self) -> None:
        self.tauride.ask_save(self.state)

    def action_load(self) -> None:
        self.tauride.open_saves()

    async def load(self, state: State) -> None:
        """Continue from a loaded save; the autosave follows, so "continue" resumes here."""
        self.before = None
        self.state = state
        self.autosave()
        await self.draw()
