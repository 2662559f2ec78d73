"""The game with the writer's tools: the debug panel, jump to any scene, live reload.

`WriterApp` is `TaurideApp` plus three things, switched on from the command
line (`tauride play --debug`, `--watch`) and absent otherwise:

- the debug panel (`debug.py`) beside the play screen, F3 to hide or show;
- F2: a list of every scene, grouped by hour, to jump to with the current
  variables;
- with `watch`, a poll of the story folder twice a second: a saved change
  reloads the story and carries the player's state over (`watch.py`); a
  file that does not load leaves the game running on the last good version
  and lists the errors across the top of the play screen.

Nothing in the play screen knows about this: the panel and the error band
are mounted into it from here, and re-drawn from its `state`.
"""

from __future__ import annotations

from typing import Any

from textual.binding import Binding

from ..story.model import Story
from ..views.terms import TermFinder
from .app import TaurideApp
from .debug import DebugPanel, jump_state, scene_menu
from .screens.notes import PickDialog
from .watch import StoryErrors, StoryWatcher, carry_state

POLL_SECONDS = 0.5
"""How often the story folder is looked at: soon enough to feel live, rare enough to cost nothing."""


class WriterApp(TaurideApp):
    """TaurideApp for writers. `debug`: show the panel; `watch`: the story folder to reload from."""

    BINDINGS = [
        *TaurideApp.BINDINGS,
        Binding("f2", "jump", "Jump"),
        Binding("f3", "toggle_debug", "Panel"),
    ]

    def __init__(self, story: Story, store: Any, state: Any = None, seed: int | None = None, *,
                 debug: bool = False, watch: str | None = None, notices: list[str] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(story, store, state, seed, **kwargs)
        self.debug_on = debug
        """Whether the writer's panel is shown (F3 toggles it)."""
        self.watcher = StoryWatcher(watch, lambda: self.story.chair) if watch else None
        self.notices = list(notices or [])
        """Messages to show once the game is up (what a --replay met on the way)."""
        self.load_problems: list[Any] = []
        """Errors of the last reload that failed; empty while the files load."""

    def on_mount(self) -> None:
        super().on_mount()
        for note in self.notices:
            self.notify(note, title="Replay", severity="warning", timeout=15)
        self.set_interval(0.2, self.sync_panels)
        if self.watcher is not None:
            self.set_interval(POLL_SECONDS, self.check_files)

    # ------------------------------------------------------------ panels on the play screen
    def sync_panels(self) -> None:
        """Mount, update or remove the panel and the error band to match the current state."""
        play = self.play_screen()
        if play is None or not play.is_mounted:
            return
        panels = list(play.query(DebugPanel))
        if self.debug_on:
            panel = panels[0] if panels else None
            if panel is None:
                panel = DebugPanel(id="debug-panel")
                play.mount(panel)
            panel.show(self.story, play.state)
        else:
            for p in panels:
                p.remove()
        # The panel lists every variable, so the player's side panel would only repeat some of them
        # and take the width the text needs.
        for side in play.query("#side"):
            side.display = not self.debug_on
        bands = list(play.query(StoryErrors))
        if self.load_problems and self.watcher is not None:
            band = bands[0] if bands else None
            if band is None:
                band = StoryErrors(id="story-errors")
                play.mount(band)
            band.show(self.load_problems, self.watcher.folder)
        else:
            for b in bands:
                b.remove()

    def action_toggle_debug(self) -> None:
        self.debug_on = not self.debug_on
        self.sync_panels()

    def action_jump(self) -> None:
        play = self.play_screen()
        if play is None or self.screen is not play:
            return

        async def chosen(scene_id: str | None) -> None:
            if not scene_id or scene_id not in self.story.scenes:
                return
            await play.load(jump_state(self.story, play.state, scene_id))
            self.notify(f"Jumped to '{scene_id}' with the current variables.")
            self.sync_panels()

        self.push_screen(PickDialog("Jump to a scene", scene_menu(self.story), enter="jump there"), chosen)

    # ------------------------------------------------------------ live reload
    async def check_files(self) -> None:
        """Reload when a story file changed; never let a broken file stop the game."""
        if self.watcher is None:
            return
        result = self.watcher.poll()
        if result is None:
            return
        if result.story is None:
            first = self.load_problems == []
            self.load_problems = result.problems
            if first:
                self.notify("The story no longer loads: see the errors at the top.", title="Reload",
                            severity="error", timeout=6)
            self.sync_panels()
            return
        self.load_problems = []
        await self.use_story(result.story)

    async def use_story(self, story: Story) -> None:
        """Swap in a newly loaded story and carry the player over to it."""
        self.story = story
        self.finder = TermFinder(story.glossary)
        play = self.play_screen()
        how = ""
        if play is not None:
            state, how = carry_state(story, play.state)
            while self.screen is not play:
                await self.pop_screen()
            play.state = state
            await play.draw()
        self.notify("Story reloaded" + (f": {how}." if how else "."), title="Reload", timeout=4)
        self.sync_panels()
