"""The title screen: new game, continue (the autosave), load a save, quit."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from ...saves import AUTOSAVE, SaveInfo

if TYPE_CHECKING:
    from ..app import TaurideApp


class TitleScreen(Screen[None]):
    """The first screen of a fresh start."""

    AUTO_FOCUS = "#title-menu"
    """Focus goes straight to the menu (not first to the scrolling page, then moved: two style passes)."""

    BINDINGS = [
        Binding("n", "menu('new')", "New game"),
        Binding("c", "menu('continue')", "Continue"),
        Binding("l", "menu('load')", "Load"),
        Binding("w", "menu('who')", "Someone else (classroom)", show=False),
    ]

    @property
    def tauride(self) -> "TaurideApp":
        return cast("TaurideApp", self.app)

    def compose(self) -> ComposeResult:
        story = self.tauride.story
        with VerticalScroll(id="title-scroll"):
            with Vertical(id="title-page"):
                yield Static(story.title, id="title-name")
                if story.description:
                    yield Static(story.description.strip(), id="title-blurb")
                yield Static("", id="title-who")
                with Center():
                    yield OptionList(id="title-menu")

    def on_mount(self) -> None:
        self.refresh_menu()
        # The footer (a widget per key) is a third of the first frame's work and repeats the menu:
        # it follows right after, so the title and the menu are up sooner.
        self.call_after_refresh(self._add_footer)

    async def _add_footer(self) -> None:
        await self.mount(Footer())
        self.refresh_bindings()  # a footer mounted late learns the keys from this
        if self.tauride.classroom is not None and self.tauride.who is None:
            self.tauride.sign_in(self.refresh_menu)

    def on_screen_resume(self) -> None:
        self.refresh_menu()

    def autosave_info(self) -> SaveInfo | None:
        if self.tauride.classroom is not None and self.tauride.who is None:
            return None  # nobody signed in yet: no one's saves to offer
        return self.tauride.store.info(AUTOSAVE, self.tauride.story)

    def refresh_menu(self) -> None:
        """The menu, with "continue" saying where the autosave stands (or why it cannot)."""
        menu = self.query_one("#title-menu", OptionList)
        auto = self.autosave_info()
        cont = Text("c  Continue")
        if auto is None:
            cont.append("  (no autosave yet)", style="italic")
        elif auto.error:
            cont.append("  (the autosave cannot be read)", style="italic")
        else:
            cont.append(f"  ({auto.clock} · {auto.scene_title})", style="italic")
        menu.clear_options()
        menu.add_options([
            Option(Text("n  New game"), id="new"),
            Option(cont, id="continue", disabled=auto is None or auto.error is not None),
            Option(Text("l  Load a save"), id="load"),
            *([Option(Text("w  Someone else is playing"), id="who")] if self.tauride.classroom else []),
            Option(Text("q  Quit"), id="quit"),
        ])
        menu.highlighted = 1 if auto is not None and auto.error is None else 0
        menu.focus()
        who = self.tauride.who
        room = self.tauride.classroom
        where = f" · class {room.code}" if room is not None and room.code else ""
        self.query_one("#title-who", Static).update(f"Playing as {who}{where}" if who else "")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.action_menu(event.option.id)

    def action_menu(self, what: str) -> None:
        app = self.tauride
        if what == "new":
            app.new_game()
        elif what == "continue":
            app.continue_game()
        elif what == "load":
            app.open_saves()
        elif what == "who" and app.classroom is not None:
            app.who = None
            app.sign_in(self.refresh_menu)
        elif what == "quit":
            app.exit(0)
