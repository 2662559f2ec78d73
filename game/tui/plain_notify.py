"""Notifications that show their text as written, never as Textual markup.

Messages carry story and player text: an error quoting an effect, a save
name, a path, a student's name. Textual reads a notification as markup by
default, so a `[/]` in any of them raised MarkupError when the toast was
drawn (ending the game) and a `[sic]` vanished. No message of this game
means markup, so both apps take this mixin and every `notify` (from the
app or from any screen, which forward to the app) is plain.
"""

from __future__ import annotations

from textual.app import App
from textual.notifications import SeverityLevel


class PlainNotify(App):  # type: ignore[type-arg]
    """Mix into an App (before App): `notify` ignores `markup` and shows the text as it is."""

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = False) -> None:
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)
