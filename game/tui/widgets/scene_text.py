"""The scene's text: Markdown with glossary names as links, shown at once or typed out.

Typed reveal adds a few words at a time and never cuts a link's markup in
half; `finish()` (any key, in the play screen) shows the rest at once. The
widget posts `Revealed` when the whole text is on screen, which is when the
play screen lets the player choose.

Textual's `Markdown.update` removes every paragraph widget and mounts new
ones, parsing in a worker thread: ~40 ms a scene, most of a keypress.
`_replace` parses in place and writes the new text into the paragraphs
already on screen (Textual's own `_update_from_block`, as `append` uses),
mounting or removing only the difference; anything but plain paragraphs
(lists, quotes, headings) goes through `Markdown.update` as before.
"""

from __future__ import annotations

from textual.message import Message
from textual.timer import Timer
from textual.widgets import Markdown
from textual.widgets._markdown import MarkdownBlock, MarkdownParagraph

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
            await self._replace(text)
            self.post_message(self.Revealed())
            return
        self._points = reveal_points(text)
        self._shown = 0
        await self._replace("")
        self._timer = self.set_interval(TICK_SECONDS, self._tick)

    async def _tick(self) -> None:
        self._shown = min(self._shown + WORDS_PER_TICK, len(self._points) - 1)
        await self._replace(self.full[: self._points[self._shown]])
        if self._shown >= len(self._points) - 1:
            self._stop()
            self.post_message(self.Revealed())

    async def finish(self) -> None:
        """Show the rest of the text now."""
        if self._timer is None:
            return
        self._stop()
        await self._replace(self.full)
        self.post_message(self.Revealed())

    async def _replace(self, markdown: str) -> None:
        """Show `markdown`, re-using the paragraph widgets on screen (same result as `update`)."""
        old = [child for child in self.children if isinstance(child, MarkdownBlock)]
        if not all(type(block) is MarkdownParagraph for block in old):
            await self.update(markdown)
            return
        async with self.lock:
            new = self._build_from_source(markdown)
            reused = all(type(block) is MarkdownParagraph and not block._blocks for block in new)
            if reused:
                self._theme = self.app.theme
                self._markdown = markdown
                self._table_of_contents = None
                lines = markdown.splitlines()
                self._last_parsed_line = len(lines) - (1 if lines and lines[-1] else 0)
                with self.app.batch_update():
                    for was, now in zip(old, new):
                        was.source_range = now.source_range
                        await was._update_from_block(now)
                    if len(old) > len(new):
                        await self.remove_children(old[len(new):])
                    elif len(new) > len(old):
                        await self.mount_all(new[len(old):])
        if not reused:
            await self.update(markdown)

    def _stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
