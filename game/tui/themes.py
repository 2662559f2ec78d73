"""The game's three themes: paper-dark, paper-light and high contrast.

Registered on the app at start; the settings name which one is in use.
Nothing on screen relies on these colours alone to carry meaning: locked
choices say "locked", bars are shapes, changes are arrows with numbers.
"""

from __future__ import annotations

from textual.theme import Theme

DARK = Theme(
    name="tauride-dark",
    primary="#c9a66b",
    secondary="#8c6d46",
    accent="#e0b872",
    warning="#e0a050",
    error="#e06c6c",
    success="#8fbf7f",
    foreground="#e8dfcf",
    background="#1b1a17",
    surface="#24221e",
    panel="#2e2b25",
    dark=True,
)

LIGHT = Theme(
    name="tauride-light",
    primary="#7a4b1e",
    secondary="#9a6b3e",
    accent="#8a3b12",
    warning="#9a5b00",
    error="#a32020",
    success="#2f6b2f",
    foreground="#2b2118",
    background="#f4ecd8",
    surface="#ebe1c8",
    panel="#e2d5b6",
    dark=False,
)

CONTRAST = Theme(
    name="tauride-contrast",
    primary="#ffff00",
    secondary="#00ffff",
    accent="#ffff00",
    warning="#ffff00",
    error="#ff6060",
    success="#00ff00",
    foreground="#ffffff",
    background="#000000",
    surface="#000000",
    panel="#000000",
    dark=True,
    text_alpha=1.0,
)

THEMES = {"dark": DARK, "light": LIGHT, "high-contrast": CONTRAST}
"""Setting value -> theme."""
