"""A start on the title: its title first, the story right after the first frame, before any key.

Validating a story costs more than starting Textual (the loader's import
and the load itself), and the title page needs only the story's title,
description and chapter count. So a story not in the cache has its first
frame drawn from a glance at story.yaml, and the whole story is validated
right after it; a story with errors is never played, and its problems are
listed as on any other start. A story in the cache has its first frame drawn
from the cache's title record (no YAML, no model classes, nothing
unpickled), and is unpickled right after it on the same path; a damaged
record falls back to the story from the cache, before the frame.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Callable

import pytest
from conftest import MINI_MANIFEST, MINI_SCENES

from game.locate import open_for_title
from game.saves import SaveStore
from game.story.model import Story
from game.story.problems import StoryError
from game.story_cache import StoryCache
from game.story_folder import PendingStory, TitleGlance, from_cache, glance_title, load_folder, title_from_cache
from game.tui.app import TaurideApp
from game.tui.screens.title import TitlePage

SCENES = Path(__file__).resolve().parent.parent / "scenes"


def _pending(folder: Path, loads: list[Story]) -> PendingStory:
    glance = glance_title(str(folder))
    assert glance is not None

    def load() -> Story:
        story = load_folder(str(folder))
        loads.append(story)
        return story

    return PendingStory(glance, load)


def test_the_glance_reads_the_title_description_and_chapters_of_story_yaml(make_story: Callable[..., Path]) -> None:
    folder = make_story({"story.yaml": MINI_MANIFEST + "description: A short one.\nchapters:\n"
                         "  - {title: One, start: a}\n  - {title: Two, start: b}\n", "16.yaml": MINI_SCENES})
    glance = glance_title(str(folder))
    assert glance is not None
    assert (glance.title, glance.description, glance.chapters) == ("Mini", "A short one.", 2)


@pytest.mark.parametrize("manifest", ["title: [not, text]\n", "- a list\n", "title: {unclosed\n"])
def test_a_story_yaml_the_glance_cannot_read_plainly_gives_none(make_story: Callable[..., Path], manifest: str) -> None:
    assert glance_title(str(make_story({"story.yaml": manifest}))) is None


def test_from_cache_finds_only_a_story_validated_before(make_story: Callable[..., Path], tmp_path: Path) -> None:
    folder = str(make_story())
    cache = StoryCache(tmp_path / "cache")
    assert from_cache(folder, cache) is None
    story = load_folder(folder, cache)
    again = from_cache(folder, cache)
    assert again is not None and again.title == story.title


async def test_the_title_shows_the_glance_then_the_validated_story_before_any_key(
        make_story: Callable[..., Path], saves: Path) -> None:
    folder = make_story()
    loads: list[Story] = []
    app = TaurideApp(None, SaveStore(saves), seed=7, pending=_pending(folder, loads),
                     settings_file=saves.parent / "config" / "settings.json")
    assert app.title_card() == TitleGlance("Mini", None, 0) and loads == []  # nothing validated before the first frame
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("n")  # typed at once: handled only once the story is in place
        for _ in range(50):
            await pilot.pause()
            if app.screen.__class__.__name__ == "PlayScreen" and not getattr(app.screen, "busy", True):
                break
        assert len(loads) == 1 and app.pending is None and app.story is loads[0]
        assert app.screen.__class__.__name__ == "PlayScreen"


async def test_the_menu_says_the_story_is_being_checked_until_it_is(make_story: Callable[..., Path],
                                                                    saves: Path) -> None:
    folder = make_story()
    loads: list[Story] = []
    app = TaurideApp(None, SaveStore(saves), seed=7, pending=_pending(folder, loads),
                     settings_file=saves.parent / "config" / "settings.json")
    first: list[str] = []
    original = TitlePage.set_menu

    def record(page: TitlePage, items, highlighted, who) -> None:  # type: ignore[no-untyped-def]
        first.append(" / ".join(f"{i.label} {i.note or ''}".strip() for i in items))
        original(page, items, highlighted, who)

    TitlePage.set_menu = record  # type: ignore[method-assign]
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            await pilot.pause()
    finally:
        TitlePage.set_menu = original  # type: ignore[method-assign]
    assert "checking the story…" in first[0]
    assert "no autosave yet" in first[-1] and "checking" not in first[-1]


async def test_a_story_with_errors_is_never_played_and_its_problems_are_kept(
        make_story: Callable[..., Path], saves: Path) -> None:
    folder = make_story({"story.yaml": MINI_MANIFEST, "16.yaml": MINI_SCENES.replace("goto: fin", "goto: fni")})
    app = TaurideApp(None, SaveStore(saves), seed=7, pending=_pending(folder, []),
                     settings_file=saves.parent / "config" / "settings.json")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("n")
        await pilot.pause()
    assert isinstance(app.story_error, StoryError)
    assert app.return_code == 1
    assert "fni" in str(app.story_error)


async def test_preparing_a_new_game_on_a_story_with_errors_raises_nothing(
        make_story: Callable[..., Path], saves: Path) -> None:
    """The title prepares "New game" 0.15 s after it is up; on a slow machine that came before the app had
    exited to list the story's problems, and the story's error came out as a traceback."""
    folder = make_story({"story.yaml": MINI_MANIFEST, "16.yaml": MINI_SCENES.replace("goto: fin", "goto: fni")})
    app = TaurideApp(None, SaveStore(saves), seed=7, pending=_pending(folder, []),
                     settings_file=saves.parent / "config" / "settings.json")
    async with app.run_test(size=(100, 30)):
        app.prepare_new_game()
    assert isinstance(app.story_error, StoryError) and app.return_code == 1


def test_tauride_play_lists_the_problems_of_a_story_found_wrong_after_the_title(
        make_story: Callable[..., Path], tmp_path: Path) -> None:
    """In a real terminal: the title, then the game ends with every problem and exit status 1."""
    pyte = pytest.importorskip("pyte")
    del pyte
    from benchmarks.pty_term import Pty, game_env

    folder = make_story({"story.yaml": MINI_MANIFEST, "16.yaml": MINI_SCENES.replace("goto: fin", "goto: fni")})
    env = game_env(str(tmp_path))
    argv = [sys.executable, "-m", "game", "play", "--scenes", str(folder)]
    with Pty(argv, env) as term:
        term.wait(lambda text: "fni" in text and "tauride validate" in text, "the problems, after the game ended")
        assert term.proc.wait(timeout=10) == 1
    assert not any(Path(env["TAURIDE_CACHE_DIR"]).glob("*.story"))  # nothing cached for a broken story


PROBE = (
    "import sys\n"
    "from game.story_cache import StoryCache\n"
    "from game.tui.app import TaurideApp\n"
    "seen = {}\n"
    "unpickled = []\n"
    "fetch = StoryCache.fetch\n"
    "def counted(self, key):\n"
    "    story = fetch(self, key)\n"
    "    if story is not None:\n"
    "        unpickled.append(key)\n"
    "    return story\n"
    "StoryCache.fetch = counted\n"
    "def ready(self):\n"
    "    seen['frame'] = sorted(m for m in %r if m in sys.modules)\n"
    "    seen['unpickled'] = len(unpickled)\n"
    "    self.call_after_refresh(lambda: self.exit(0))\n"
    "TaurideApp.on_ready = ready\n"
    "from game.cli import main\n"
    "code = main(['play', '--scenes', sys.argv[1]])\n"
    "print('at the frame:', seen['frame'], 'unpickled:', seen['unpickled'],\n"
    "      'validated after:', 'game.story.loader' in sys.modules, 'unpickled after:', len(unpickled), 'end')\n"
) % (("pydantic", "yaml", "game.story.loader", "game.story.model", "game.engine.state", "immutables",
      "game.engine.step"),)
"""Starts `tauride play` on the title, and says what was imported and whether a story was unpickled from the
cache when its first frame was out (Textual's Ready), and what happened after."""


def _probe(folder: Path, tmp_path: Path) -> str:
    pytest.importorskip("pyte")
    from benchmarks.pty_term import Pty, game_env

    with Pty([sys.executable, "-c", PROBE, str(folder)], game_env(str(tmp_path))) as term:
        term.wait(lambda text: "end" in text.replace("\n", ""), "the probe's line")
        return " ".join("".join(term.text.split("\n")).split())


def test_a_cold_start_draws_the_title_before_importing_the_validator(make_story: Callable[..., Path],
                                                                      tmp_path: Path) -> None:
    """The title's first frame needs no pydantic, no loader and no engine state: the validation comes after it."""
    folder = make_story()
    assert "at the frame: ['yaml'] unpickled: 0 validated after: True" in _probe(folder, tmp_path)  # yaml: the glance


def test_a_warm_start_draws_the_title_with_the_story_and_nothing_more(make_story: Callable[..., Path],
                                                                      tmp_path: Path) -> None:
    """From the cache's title record: no YAML, no loader, no story model, nothing unpickled; the story after it.

    The story is unpickled right after the first frame, before any key (as a cold start validates).
    """
    folder = make_story()
    _probe(folder, tmp_path)  # fills the cache
    assert "at the frame: [] unpickled: 0 validated after: False unpickled after: 1" in _probe(folder, tmp_path)


def test_the_cache_keeps_a_record_of_what_the_title_draws(tmp_path: Path) -> None:
    """Written with the entry, from the validated story: title, description, chapters, the chair and how many."""
    cache = StoryCache(tmp_path / "cache")
    assert title_from_cache(str(SCENES), cache) is None
    story = load_folder(str(SCENES), cache)
    record = title_from_cache(str(SCENES), cache)
    assert record == TitleGlance(story.title, story.description, len(story.chapters), "On the Executive Committee", 2)


def _damage_truncated(path: Path, cache: StoryCache) -> None:
    path.write_bytes(path.read_bytes()[:-3])


def _damage_flipped(path: Path, cache: StoryCache) -> None:
    data = bytearray(path.read_bytes())
    data[-2] ^= 0x20
    path.write_bytes(bytes(data))


def _damage_signed_but_wrong(path: Path, cache: StoryCache) -> None:
    """Signed with the cache's own key, but not the record's shape (as a future format might write)."""
    from game.story_cache import TITLE_FORMAT, _mac

    secret = cache._secret(create=False)
    assert secret is not None
    body = json.dumps({"title": ["not", "text"], "description": None, "chapters": 1, "chair": None,
                       "chairs": 0}).encode()
    path.write_bytes(TITLE_FORMAT + _mac(secret, b"title", path.stem.encode(), body) + body)


def _damage_removed(path: Path, cache: StoryCache) -> None:
    path.unlink()


@pytest.mark.parametrize("damage", [_damage_truncated, _damage_flipped, _damage_signed_but_wrong, _damage_removed])
def test_a_damaged_title_record_falls_back_to_the_story_from_the_cache(
        make_story: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        damage: Callable[[Path, StoryCache], None]) -> None:
    folder = str(make_story())
    monkeypatch.setenv("TAURIDE_CACHE_DIR", str(tmp_path / "cache"))
    cache = StoryCache(tmp_path / "cache")
    load_folder(folder, cache)
    assert isinstance(open_for_title(folder), PendingStory)  # the record: the story follows the first frame
    [record] = (tmp_path / "cache").glob("*.title")
    damage(record, cache)
    assert title_from_cache(folder, cache) is None
    opened = open_for_title(folder)
    assert isinstance(opened, Story) and opened.title == "Mini"  # as before the record: the story, now


async def test_a_warm_title_draws_the_chair_and_its_menu_from_the_record_first(tmp_path: Path, saves: Path) -> None:
    """The first frame of a warm start shows what one with the story shows: the chair line, "Change chair"."""
    cache = StoryCache(tmp_path / "cache")
    load_folder(str(SCENES), cache)
    record = title_from_cache(str(SCENES), cache)
    assert record is not None
    loads: list[Story] = []

    def load() -> Story:
        loads.append(load_folder(str(SCENES), cache))
        return loads[-1]

    def chair_loader(chair: str) -> Story:
        return load_folder(str(SCENES), cache, chair=chair)

    app = TaurideApp(None, SaveStore(saves), seed=7, pending=PendingStory(record, load), chair_loader=chair_loader,
                     settings_file=saves.parent / "config" / "settings.json")
    menus: list[tuple[bool, str, str]] = []
    original = TitlePage.set_menu

    def seen(page: TitlePage, items, highlighted, who) -> None:  # type: ignore[no-untyped-def]
        menus.append((bool(loads), " / ".join(f"{i.label} {i.note or ''}".strip() for i in items), who))
        original(page, items, highlighted, who)

    TitlePage.set_menu = seen  # type: ignore[method-assign, assignment]
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            await pilot.pause()
    finally:
        TitlePage.set_menu = original  # type: ignore[method-assign]
    loaded, menu, who = menus[0]
    assert not loaded and "Change chair 2 points of view" in menu and who == "Chair: On the Executive Committee"
    assert menus[-1][0] and "checking" not in menus[-1][1] and menus[-1][2] == who
    assert app.story is loads[0]


def test_a_warm_start_with_a_damaged_title_record_unpickles_the_story_first(make_story: Callable[..., Path],
                                                                            tmp_path: Path) -> None:
    """In a real terminal: the record truncated, the title comes from the story as it did before records."""
    folder = make_story()
    _probe(folder, tmp_path)  # fills the cache
    [record] = (tmp_path / "cache").glob("*.title")  # game_env: the cache under the work folder
    record.write_bytes(record.read_bytes()[:10])
    assert "at the frame: ['game.story.model'] unpickled: 1 validated after: False" in _probe(folder, tmp_path)


async def test_the_key_line_after_the_first_frame_repaints_its_line_alone(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """It is mounted into the place the first frame kept for it: mounted on the screen itself, it made
    Textual repaint the whole title a frame later (~8 ms on a classroom server, each game)."""
    from textual.widget import Widget

    from game.tui.screens.title import TitleScreen
    from game.tui.widgets.key_bar import KeyBar

    repainted: list[str] = []
    adding = [False]
    real_refresh, real_add = Widget.refresh, TitleScreen._add_key_line

    def refresh(self: Widget, *regions: object, repaint: bool = True, **kwargs: object) -> Widget:
        if adding[0] and repaint:
            repainted.append(type(self).__name__)
        return real_refresh(self, *regions, repaint=repaint, **kwargs)  # type: ignore[arg-type]

    async def add(self: TitleScreen) -> None:
        adding[0] = True
        try:
            await real_add(self)
        finally:
            adding[0] = False

    monkeypatch.setattr(Widget, "refresh", refresh)
    monkeypatch.setattr(TitleScreen, "_add_key_line", add)
    app = TaurideApp(load_folder(str(SCENES)), SaveStore(tmp_path / "saves"))
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(5):
            await pilot.pause(0.02)
        bar = app.screen.query_one(KeyBar)
        assert bar.region.y == 29 and bar.region.height == 1, "the bottom line, as before"
    assert "TitleScreen" not in repainted, repainted
