"""Helpers for the Textual tests: an app over a story with its saves in a temporary folder."""

from __future__ import annotations

from pathlib import Path

from game import engine
from game.saves import SaveStore
from game.story.model import Story
from game.tui.app import TaurideApp


def make_app(story: Story, saves: Path, *, fresh: bool = True, seed: int = 7, **kwargs: object) -> TaurideApp:
    """The app as `tauride play` builds it: title screen when fresh, else straight into play.

    Settings are read from and written to a file beside the saves, never the user's own.
    """
    state = None if fresh else engine.new_game(story, seed=seed)
    kwargs.setdefault("settings_file", saves.parent / "config" / "settings.json")
    return TaurideApp(story, SaveStore(saves), state=state, seed=seed, **kwargs)  # type: ignore[arg-type]


def screen_text(app: TaurideApp) -> str:
    """Everything drawn on the current screen, as plain text (what a player reads)."""
    from textual.widgets import Static

    parts = []
    for widget in app.screen.query("*"):
        if isinstance(widget, Static):
            parts.append(str(widget.render()))
    return "\n".join(parts)


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    """Wait until the play screen takes input again (the scene fully drawn), as a player would,
    and its autosave is written.

    (A fresh start's title is the app's base screen; a start in play pushes it over a blank one.)"""
    from textual.screen import Screen

    for _ in range(100):
        await pilot.pause()
        app = pilot.app
        if type(app.screen) is not Screen and not getattr(app.screen, "busy", False):  # past the blank base screen
            await app.workers.wait_for_complete()  # the autosave, written on a thread after the frame
            return
    raise AssertionError("the play screen never became ready for input")


async def new_game_from_the_title(pilot) -> None:  # type: ignore[no-untyped-def]
    """"n" on the title, once the title has done what it prepares while it is read."""
    for _ in range(20):
        await pilot.pause(0.05)
    await pilot.press("n")


async def under_the_note(pilot, app: TaurideApp):  # type: ignore[no-untyped-def]
    """A new game begun from the title: its play screen, first scene drawn and unlocked under the content note."""
    from game.tui.screens.confirm import ConfirmDialog
    from game.tui.screens.play import PlayScreen

    await new_game_from_the_title(pilot)
    for _ in range(100):
        await pilot.pause(0.02)
        under = app.screen_stack[-2] if len(app.screen_stack) > 1 else None
        if isinstance(app.screen, ConfirmDialog) and isinstance(under, PlayScreen) and not under.busy:
            return under
    raise AssertionError(f"no play screen ready under the content note: {app.screen_stack}")
