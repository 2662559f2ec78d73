"""From the title's "New game" to the first scene: one widget for the keys, no restyling on the way.

What made a new game slow was work that does not show: the footer built
a widget per key, and built them again at every change of bindings (each
restyled as it was mounted); the Markdown parser and the glossary's
patterns were made at the key. These tests count that work; the pty
benchmark row measures the time.
"""

from __future__ import annotations

from textual.css.stylesheet import Stylesheet
from textual.widgets import Footer
from tui_helpers import make_app, settle

from game.tui.screens.journal import JournalScreen
from game.tui.screens.play import PlayScreen
from game.tui.widgets import scene_text
from game.tui.widgets.key_bar import KeyBar


async def test_the_play_screen_shows_its_keys_in_one_line_and_a_click_presses_one(mini, saves):
    app = make_app(mini, saves, fresh=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        bar = app.screen.query_one(KeyBar)
        line = str(bar.render())
        assert line.startswith(" u Undo  j Journal  h History ") and " s Save " in line and line.endswith("q Quit ")
        assert not app.screen.query(Footer)
        await pilot.click(KeyBar, offset=(line.index("Journal"), 0))
        await pilot.pause()
        assert isinstance(app.screen, JournalScreen)


async def test_new_game_restyles_nothing_but_the_new_screen(mini, saves, monkeypatch):
    scene_text._parser.cache_clear()  # as in a new process: a test before may have built a parser already
    app = make_app(mini, saves)
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(20):  # the title, then what it prepares while it is read
            await pilot.pause(0.05)
        assert scene_text._parser.cache_info().currsize == 1  # the Markdown parser is ready before the key
        restyled: list[str] = []
        real = Stylesheet.update_nodes

        def counted(self, nodes, *args, **kwargs):  # type: ignore[no-untyped-def]
            nodes = list(nodes)
            # the play screen's own (the title's footer, under it, is the title's business)
            restyled.extend(type(n).__name__ for n in nodes[:1] if n is n.screen or isinstance(n.screen, PlayScreen))
            return real(self, nodes, *args, **kwargs)

        monkeypatch.setattr(Stylesheet, "update_nodes", counted)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen)
        # a footer restyled each of its keys as it was built, and built them again at each change of bindings:
        # dozens of restylings; what is left is focus moving and the breakpoints of the new screen
        assert "FooterKey" not in restyled and len(restyled) <= 8, restyled
