"""The help screen: every key of every screen, read from the screens' own bindings.

Generated rather than written out, so a key added to a screen is listed
here without anyone remembering to.
"""

from __future__ import annotations

from typing import Iterable

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

KEY_WORDS = {
    "question_mark": "?", "slash": "/", "pageup": "PgUp", "pagedown": "PgDn", "escape": "Esc", "enter": "Enter",
    "delete": "Del", "home": "Home", "end": "End", "left": "←", "right": "→", "up": "↑", "down": "↓",
    "f1": "F1", "ctrl+q": "Ctrl+Q",
}


def key_words(keys: str) -> str:
    return " / ".join(KEY_WORDS.get(k.strip(), k.strip()) for k in keys.split(","))


def _rows(bindings: Iterable[Binding | tuple[str, ...]]) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    numbers = False
    for b in bindings:
        if not isinstance(b, Binding):
            continue
        if b.key in "123456789" and b.action.startswith("pick"):
            if not numbers:
                rows.append(("1 … 9", "Take that choice (locked ones say why not)"))
                numbers = True
            continue
        rows.append((key_words(b.key), b.description))
    return rows


def help_text(sections: list[tuple[str, Iterable[Binding | tuple[str, ...]]]]) -> Text:
    """Every section's keys as two aligned columns: compact, and plain to a screen reader."""
    out = Text("Everything works from the keyboard; the mouse works too (click a choice, a name, a row).\n")
    for title, bindings in sections:
        out.append(f"\n{title}\n", style="bold underline")
        for keys, does in _rows(bindings):
            out.append(f"  {keys:<14}", style="bold")
            out.append(f" {does}\n")
    return out


def sections(app: App[object]) -> list[tuple[str, Iterable[Binding | tuple[str, ...]]]]:
    """Every screen's keys, in the order a player meets the screens."""
    from .debrief import DebriefScreen
    from .ending import EndingScreen
    from .glossary import GlossaryScreen
    from .journal import JournalScreen
    from .play import PlayScreen
    from .saves import SavesScreen
    from .settings import SettingsScreen
    from .timeline import TimelineScreen
    from .title import TitleScreen

    choices = [Binding("up,down", "", "Move between choices"), Binding("enter", "", "Take the highlighted choice")]
    return [
        ("Everywhere", app.BINDINGS),
        ("Title", TitleScreen.BINDINGS),
        ("Playing", [*PlayScreen.BINDINGS, *choices]),
        ("The end", EndingScreen.BINDINGS),
        ("Debrief", DebriefScreen.BINDINGS),
        ("Journal", JournalScreen.BINDINGS),
        ("Glossary", [*GlossaryScreen.BINDINGS, Binding("up,down", "", "Move through the entries")]),
        ("Timeline", TimelineScreen.BINDINGS),
        ("Saves", SavesScreen.BINDINGS),
        ("Settings", SettingsScreen.BINDINGS),
    ]


class HelpScreen(Screen[None]):
    BINDINGS = [Binding("escape", "back", "Back")]

    def compose(self) -> ComposeResult:
        yield Static("Keys", classes="screen-title")
        with VerticalScroll(id="help-scroll"):
            yield Static(help_text(sections(self.app)), id="help-text")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#help-scroll").focus()

    def action_back(self) -> None:
        self.dismiss(None)
