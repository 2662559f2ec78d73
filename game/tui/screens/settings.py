"""Settings: theme, text reveal and text width, remembered between runs.

Each row cycles through its values with Enter or →/← and takes effect at
once; the app writes the settings file after every change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from ...settings import REVEALS, THEMES, Settings, settings_path

if TYPE_CHECKING:
    from ..app import TaurideApp

WIDTHS = (48, 60, 72, 88, 104, 120, 160)
"""Text widths offered, in columns (inside the 40–160 the settings accept)."""

LABELS = {
    "theme": ("Theme", {"dark": "dark", "light": "light", "high-contrast": "high contrast"}),
    "reveal": ("Text reveal", {"instant": "instant", "typed": "typed (any key shows the rest)"}),
    "width": ("Text width", {}),
}


def values_of(name: str) -> tuple[object, ...]:
    return {"theme": THEMES, "reveal": REVEALS, "width": WIDTHS}[name]


def cycle(settings: Settings, name: str, step: int) -> Settings:
    """The settings with `name` moved `step` places along its values (wrapping round)."""
    values = values_of(name)
    current = getattr(settings, name)
    if current in values:
        index = (values.index(current) + step) % len(values)
    else:  # a width typed into the file by hand: go to the nearest offered one
        index = 0 if step > 0 else len(values) - 1
        for i, v in enumerate(values):
            if isinstance(v, int) and v > current:
                index = i if step > 0 else max(0, i - 1)
                break
    return settings.with_(**{name: values[index]})


class SettingsScreen(Screen[None]):
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("right", "change(1)", "Next value"),
        Binding("left", "change(-1)", "Previous value"),
    ]

    @property
    def tauride(self) -> "TaurideApp":
        return cast("TaurideApp", self.app)

    def compose(self) -> ComposeResult:
        with Vertical(id="settings-page"):
            yield Static("Settings", classes="screen-title")
            yield Static("Enter or →: next value   ←: previous   Esc: back. Saved as you change them.",
                         classes="screen-sub")
            yield OptionList(id="settings-list")
            yield Static("", id="settings-where", classes="screen-sub", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.redraw()
        self.query_one(OptionList).focus()
        self.query_one(OptionList).highlighted = 0

    def redraw(self) -> None:
        menu = self.query_one(OptionList)
        keep = menu.highlighted
        menu.clear_options()
        s = self.tauride.settings
        for name, (label, words) in LABELS.items():
            value = getattr(s, name)
            shown = words.get(value, f"{value} columns" if name == "width" else str(value))
            menu.add_option(Option(Text.assemble((f"{label}: ", "bold"), shown), id=name))
        menu.highlighted = keep if keep is not None else 0
        where = self.tauride.settings_file or settings_path()
        self.query_one("#settings-where", Static).update(f"Kept in {where}")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_change(1)

    def action_change(self, step: int) -> None:
        menu = self.query_one(OptionList)
        if menu.highlighted is None:
            return
        name = menu.get_option_at_index(menu.highlighted).id or ""
        self.tauride.change_settings(cycle(self.tauride.settings, name, step))
        self.redraw()

    def action_back(self) -> None:
        self.dismiss(None)
