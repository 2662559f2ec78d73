"""What the screens that show one playthrough share: the state they show and the app they belong to."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

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
