"""The scene's text: Markdown with glossary names as links, shown at once or typed out.

Typed reveal adds a few words at a time and never cuts a link's markup in
half; `finish()` (any key, in the play screen) shows the rest at once. The
widget posts `Revealed` when the whole text is on screen, which is when the
play screen lets the player choose.
"""

from __future__ import annotations

from textual.message import Message
from textual.timer import Timer
from textual.widgets import Markdown

from ..marking import reveal_points

WORDS_PER_TICK = 5
TICK_SECONDS = 0.04


class SceneText(Markdown):
    class Revealed(Message):
        """The whole text is on screen."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(open_links=False, **kwargs)  # type: ignore[arg-type]
        self.full = ""
        """The whole text being shown (Markdown with glossary links)."""
        self._points: list[int] = []
        self._shown = 0
        self._timer: Timer | None = None

    @property
    def revealing(self) -> bool:
        return self._timer is not None

    async def show(self, text: str, typed: bool = False) -> None:
        self._stop()
        self.full = text
        if not typed or not text.strip():
            await self.update(text)
            self.post_message(self.Revealed())
            return
        self._points = reveal_points(text)
        self._shown = 0
        await self.update("")
        self._timer = self.set_interval(TICK_SECONDS, self._tick)

    async def _tick(self) -> None:
        self._shown = min(self._shown + WORDS_PER_TICK, len(self._points) - 1)
        await self.update(self.full[: self._points[self._shown]])
        if self._shown >= len(self._points) - 1:
            self._stop()
            self.post_message(self.Revealed())

    async def finish(self) -> None:
        """Show the rest of the text now."""
        if self._timer is None:
            return
        self._stop()
        await self.update(self.full)
        self.post_message(self.Revealed())

    def _stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
