"""The full-screen game with the format's newer parts: a response under the scene, going back, titles as templates."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static
from tui_helpers import make_app, screen_text, settle

from game.story_folder import load_folder
from game.tui.screens.play import PlayScreen
from game.tui.widgets.clock_header import ClockHeader

FERRY = Path(__file__).resolve().parent / "stories" / "night-ferry"


async def test_a_response_shows_under_the_scene_and_going_back_returns(saves: Path) -> None:
    story = load_folder(str(FERRY))
    app = make_app(story, saves, fresh=False)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PlayScreen)
        assert str(screen.query_one("#scene-title", Static).render()) == "The deck at 23:00"
        await screen.take("coat")
        await settle(pilot)
        screen = app.screen
        assert screen.state.scene == "deck" and screen.state.response == "coat"
        assert "You find your ticket in the lining." in screen_text(app)
        assert "Search your coat" not in screen_text(app)  # once-only: gone
        await screen.take("cabin")
        await settle(pilot)
        assert app.screen.state.scene == "cabin"
        assert "You find your ticket" not in screen_text(app)
        await app.screen.take("up")
        await settle(pilot)
        screen = app.screen
        assert screen.state.scene == "deck" and screen.state.trail == ()
        header = str(screen.query_one(ClockHeader).render())
        assert "The deck at 23:04" in header
