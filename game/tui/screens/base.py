"""What the screens that show one playthrough share: the state they show and the app they belong to."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual import events
from textual.screen import Screen

from ...engine import State

if TYPE_CHECKING:
    from ..app import TaurideApp


class StateScreen(Screen[None]):
    """A full screen drawn from one `State` of the app's story (ending, debrief, journal, timeline)."""

    def __init__(self, state: State) -> None:
        super().__init__()
        self.state = state
        """The playthrough shown; these screens never change it."""

    @property
    def tauride(self) -> "TaurideApp":
        return cast("TaurideApp", self.app)


class StyledOnMount:
    """A screen whose first showing does not restyle it: its widgets were styled as they were mounted.

    Textual styles each widget as it is mounted, then restyles the whole screen when it is shown
    (`ScreenResume.refresh_styles`), which is for a screen coming back after a change made while it
    was hidden (a theme, a class). A screen shown for the first time has had no such change: that
    second styling cost ~15 ms of a new game's play screen and ~5 ms of its content note. Later
    resumes restyle as Textual does.
    """

    _shown_once = False

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        if not self._shown_once:
            self._shown_once = True
            event.refresh_styles = False
