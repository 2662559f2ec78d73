"""Helpers for the Textual tests: an app over a story with its saves in a temporary folder."""

from __future__ import annotations

from pathlib import Path

from game import engine
from game.saves import SaveStore
from game.story.model import Story
from game.tui.app import TaurideApp


def make_app(story: Story, saves: Path, *, fresh: bool = True, seed: int = 7, **kwargs: object) -> TaurideApp:
    """The app as `tauride play` builds it: title screen when fresh, else straight into play."""
    state = None if fresh else engine.new_game(story, seed=seed)
    return TaurideApp(story, SaveStore(saves), state=state, seed=seed, **kwargs)  # type: ignore[arg-type]


def screen_text(app: TaurideApp) -> str:
    """Everything drawn on the current screen, as plain text (what a player reads)."""
    from textual.widgets import Static

    parts = []
    for widget in app.screen.query("*"):
        if isinstance(widget, Static):
            parts.append(str(widget.render()))
    return "\n".join(parts)


import pytest  # noqa: E402


@pytest.fixture
def saves(tmp_path: Path) -> Path:
    """The save folder of a test: apart from the story folder the fixtures write."""
    folder = tmp_path / "saves"
    folder.mkdir()
    return folder
