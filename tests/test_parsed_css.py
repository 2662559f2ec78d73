"""Stylesheets are parsed once per process (`game.tui.parsed_css`): a second game, or the fork server's
children, parse no CSS source the process parsed already under the same variables."""

from __future__ import annotations

from pathlib import Path

import pytest
import textual.css.stylesheet as textual_stylesheet
from textual.css.stylesheet import Stylesheet, StylesheetParseError

from game.saves import SaveStore
from game.settings import Settings
from game.story_folder import load_folder
from game.tui import parsed_css
from game.tui.app import TaurideApp

SCENES = Path(__file__).resolve().parent.parent / "scenes"


@pytest.fixture(autouse=True)
def _not_warmed_after(monkeypatch: pytest.MonkeyPatch) -> None:
    """A test that warms leaves the process as it found it: later apps of the suite read the title's CSS first."""
    monkeypatch.setattr(parsed_css, "_warmed", parsed_css._warmed)


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every CSS source Textual's parser is handed from now on (its first 40 characters)."""
    seen: list[str] = []
    real = textual_stylesheet.parse

    def counting(scope, css, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(css[:40])
        return real(scope, css, *args, **kwargs)

    monkeypatch.setattr(textual_stylesheet, "parse", counting)
    return seen


async def _title(tmp_path: Path, name: str) -> None:
    app = TaurideApp(load_folder(str(SCENES)), SaveStore(tmp_path / name), settings=Settings())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.pause()


async def test_a_second_game_in_the_process_parses_no_stylesheet(tmp_path: Path, parses: list[str],
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from game.tui import app as tui_app

    monkeypatch.setattr(tui_app, "PRELOAD_AFTER_S", 60.0)  # the titles alone: what a new game prepares is not timed here
    await _title(tmp_path, "first")  # whatever earlier tests left in the memo: this one fills the rest
    before = len(parses)
    await _title(tmp_path, "second")
    assert parses[before:] == [], "a new game's stylesheet parsed again what the process had parsed"


def test_other_variables_are_parsed_again_and_rules_with_errors_still_fail(parses: list[str]) -> None:
    parsed_css.install()
    css = "Static { color: $mine; }"
    for colour in ("red", "blue", "red"):
        sheet = Stylesheet(variables={"mine": colour})
        sheet.add_source(css, read_from=("test_parsed_css", "mine"))
        sheet.parse()
        assert str(sheet.rules[0].styles.color).find({"red": "255, 0, 0", "blue": "0, 0, 255"}[colour]) > 0
    assert parses.count(css[:40]) == 2, "red and blue are two parses; red again is remembered"

    for _ in range(2):  # remembered with its errors, and reported each time, as Textual's own cache does
        sheet = Stylesheet(variables={})
        sheet.add_source("Static { colour: red; }", read_from=("test_parsed_css", "broken"))
        with pytest.raises(StylesheetParseError):
            sheet.parse()


def test_the_fork_server_warms_the_memo_with_a_games_first_frame(tmp_path: Path, parses: list[str]) -> None:
    """`warm` is what the fork server runs before it forks: afterwards a game's title parses nothing."""
    import asyncio

    parsed_css.warm(load_folder(str(SCENES)))
    assert parsed_css.remembered() >= 10
    before = len(parses)
    asyncio.run(_title(tmp_path, "forked"))
    assert parses[before:] == []
    assert not list(Path(tmp_path).glob("tauride-warm-*"))


def test_the_fork_server_still_loads_when_parsing_ahead_fails(monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    """Parsing ahead only saves time: if it fails, the fork server loads and says so, games parse their own."""
    from game import story_folder
    from game.classroom import zygote

    def broken(story: object) -> None:
        raise RuntimeError("no terminal for you")

    monkeypatch.setattr(parsed_css, "warm", broken)
    monkeypatch.setattr(story_folder, "_HELD", {})  # the stories it holds stay this test's (later loads read the cache)
    zygote.preload(str(SCENES), None)
    assert "fork server: stylesheets not parsed ahead (RuntimeError: no terminal for you)" in capsys.readouterr().err


def test_after_warming_a_new_game_parses_nothing(tmp_path: Path, parses: list[str]) -> None:
    """The fork server warms what a new game needs too: its title's preparations, the content note, the play screen."""
    import asyncio

    from game.tui.screens.play import PlayScreen

    async def new_game() -> None:
        app = TaurideApp(load_folder(str(SCENES)), SaveStore(tmp_path / "forked"), settings=Settings())
        async with app.run_test(size=(100, 30)) as pilot:
            for _ in range(10):  # the title, then what it prepares while it is read
                await pilot.pause(0.05)
            await pilot.press("n")
            for _ in range(50):
                await pilot.pause(0.02)
                if len(app.screen_stack) > 2 and isinstance(app.screen_stack[-2], PlayScreen):
                    break
            await pilot.press("enter")
            await pilot.pause(0.1)
            assert isinstance(app.screen, PlayScreen)

    parsed_css._memo.clear()  # as in a new fork server: nothing parsed yet
    parsed_css.warm(load_folder(str(SCENES)))
    before = len(parses)
    asyncio.run(new_game())
    assert parses[before:] == []


def test_a_game_after_warming_reads_its_stylesheets_before_its_first_frame(tmp_path: Path) -> None:
    """Parsed ahead, the screens' rules are read with the title's: the title is not restyled after its frame."""
    import asyncio

    from game.finders import finder_for

    story = load_folder(str(SCENES))
    restyled: list[str] = []

    async def title() -> None:
        app = TaurideApp(story, SaveStore(tmp_path / "forked"), settings=Settings())
        async with app.run_test(size=(100, 30)) as pilot:
            assert app.stylesheet.has_source(str(Path(parsed_css.__file__).parent / "screens.tcss"), "")
            real = app.stylesheet.update
            app.stylesheet.update = lambda *a, **k: (restyled.append("update"), real(*a, **k))  # type: ignore[method-assign]
            for _ in range(4):
                await pilot.pause(0.05)
            app.prepare_new_game()  # as its title does 0.15 s after it is up, whenever that falls

    defaults = TaurideApp(story, SaveStore(tmp_path / "d"), settings=Settings()).get_css_variables()
    assert not parsed_css.warmed_for(defaults)
    parsed_css.warm(story)
    assert parsed_css.warmed_for(defaults)
    wide = TaurideApp(story, SaveStore(tmp_path / "w"), settings=Settings(width=100)).get_css_variables()
    assert not parsed_css.warmed_for(wide), "another reading width: its rules are not the ones parsed ahead"
    compiled = dict(finder_for(story.glossary)._compiled)
    assert compiled, "the warm-up prepared a new game: the first scene's glossary patterns are compiled"
    asyncio.run(title())
    assert restyled == [], "the title was restyled after its first frame"
    assert finder_for(story.glossary)._compiled == compiled, "the game compiled no pattern the warm-up had"


def test_the_theme_variables_are_worked_out_once_per_theme(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A second game in the process (a forked one) takes its theme's colours as worked out before."""
    from textual.app import App

    from game.tui import app as tui_app

    story = load_folder(str(SCENES))
    tui_app._THEME_VARIABLES.clear()
    calls: list[str] = []
    real = App.get_css_variables

    def counted(self: App[object]) -> dict[str, str]:
        calls.append(self.theme)
        return real(self)

    monkeypatch.setattr(App, "get_css_variables", counted)
    first = TaurideApp(story, SaveStore(tmp_path / "a"), settings=Settings())
    assert calls == ["textual-dark", "tauride-dark"], "Textual's default theme as the app is made, then the game's"
    second = TaurideApp(story, SaveStore(tmp_path / "b"), settings=Settings())
    assert len(calls) == 2, calls
    assert first.get_css_variables() == second.get_css_variables()
    assert second.theme_variables == first.theme_variables and second.theme_variables["primary"]
    light = TaurideApp(story, SaveStore(tmp_path / "c"), settings=Settings(theme="light"))
    assert len(calls) == 3 and light.get_css_variables()["background"] != first.get_css_variables()["background"]


def test_a_served_game_starts_unfocused_as_its_page_reports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Under textual-serve's web driver the page reports itself unfocused as the game starts: the game starts
    so, and that report restyles nothing before the first frame. In a terminal it starts focused, as before."""
    from textual.drivers.web_driver import WebDriver

    story = load_folder(str(SCENES))
    assert TaurideApp(story, SaveStore(tmp_path / "t"), settings=Settings()).app_focus is True
    monkeypatch.setattr(TaurideApp, "get_driver_class", lambda self: WebDriver)
    assert TaurideApp(story, SaveStore(tmp_path / "w"), settings=Settings()).app_focus is False
