"""The terminal game: first frame in a real pseudo-terminal, memory while playing, keypress to scene.

Floors are an empty Textual app (one Static) started the same way in the
same run: what any Textual program costs on this machine.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from .measure import Row
from .pty_term import OPENING, Pty, game_env, game_frame, next_key, past_opening

if TYPE_CHECKING:
    from game.story import Story

EMPTY_APP = """
from textual.app import App
from textual.widgets import Static

class Empty(App):
    def compose(self):
        yield Static("Tauride floor")

Empty().run()
"""
FLOOR_PAGES = """
import sys
from textual.app import App
from textual.widgets import Static

TEXTS = sys.argv[1].split("\\f")

def page(n):
    return f"Page {n}\\n\\n{TEXTS[n % len(TEXTS)]}\\n\\nWhat do you do? ({n})"

class Floor(App):
    n = 0
    def compose(self):
        yield Static(page(0))
    def on_key(self, event):
        self.n += 1
        self.query_one(Static).update(page(self.n))

Floor().run()
"""
"""The floor for a keypress: a Textual app that replaces a screenful of scene-sized text in a Static on a key."""

THREE_STATICS = """
import json, sys
from textual.app import App
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Static

PAGES = json.loads(sys.argv[1])
PANEL = ("Soviet's nerve", "Crowd", "Delegates' trust", "Sailors", "Time", "Rumours")

def page(n):
    title, text, choices = PAGES[n % len(PAGES)]
    numbered = Content("\\n").join(Content.assemble((f"{i}. ", "bold"), choice) for i, choice in enumerate(choices, 1))
    return Content("\\n\\n").join([Content.styled(title, "bold"), Content(text),
                                   Content.styled(f"What do you do? ({n})", "bold"), numbered])

def clock(n):
    return f"Tuesday 4 July 1917   {16 + n // 6 % 8:02d}:{n % 6 * 10:02d}   Tauride Palace, the Catherine Hall"

def panel(n):
    return "\\n".join(f"{name:<16} {(n * (i + 3)) % 11:>2}" for i, name in enumerate(PANEL))

class Three(App):
    CSS = '''
    #clock { dock: top; height: 1; background: $panel; }
    #keys { dock: bottom; height: 1; background: $panel; }
    #page { width: 1fr; padding: 0 1; }
    #side { width: 24; padding: 0 1; border-left: solid $primary; }
    '''
    n = 0
    def compose(self):
        yield Static(clock(0), id="clock")
        with Horizontal():
            yield Static(page(0), id="page")
            yield Static(panel(0), id="side")
        yield Static(" u Undo  j Journal  h History  s Save  q Quit", id="keys")
    def on_key(self, event):
        self.n += 1
        self.query_one("#clock", Static).update(clock(self.n))
        self.query_one("#page", Static).update(page(self.n))
        self.query_one("#side", Static).update(panel(self.n))

Three().run()
"""
"""A reference for a keypress: the least a play page can cost in Textual that, like the game's, moves a clock
and a side panel with each new scene: three Statics given new content, the scene (title, text, prompt and
numbered choices) in one of them, as Content. No scrolling, no choice list, no links."""


@dataclass
class Sample:
    """Wall and CPU seconds of one measurement."""

    wall: float
    cpu: float


def _medians(samples: list[Sample]) -> Sample:
    return Sample(statistics.median(s.wall for s in samples), statistics.median(s.cpu for s in samples))


CHECKING = "checking the story"
"""What the title's menu says while a story not found in the cache is validated, after the first frame."""
KEY_LINE = "? Help"
"""On the title's footer, mounted after the first frame (and after the story is checked)."""


def warm_up(argv: list[str], env: dict[str, str], title: str) -> None:
    """Start the game once and let it validate and cache the story, as a second start would find it.

    A start with the cache empty draws the title first and validates after it: stopped at the
    first frame, it would not have written the cache yet.
    """
    with Pty(argv, env) as term:
        # The title's key line is mounted once the story is checked (and cached): wait for it, not for
        # the title, whose first frame can arrive in several chunks.
        term.wait(lambda text: title in text and KEY_LINE in text and CHECKING not in text,
                  "the title, its story checked")
        term.drain(0.3)


def _start(argv: list[str], env: dict[str, str], marker: str) -> Sample:
    """Exec to the first frame that shows `marker`: wall time, and the program's CPU time up to then."""
    with Pty(argv, env) as term:
        at, cpu = term.wait(lambda text: marker in text, repr(marker))
        return Sample(at - term.started, cpu)


def _showing(words: str) -> Callable[[str], bool]:
    """Whether a screen's text shows `words` (a page's numbered prompt)."""
    return lambda text: words in text


def _pages(story: "Story") -> list[tuple[str, str, list[str]]]:
    """The story's own scenes for the three-Static reference: title, text (as the floor's) and choices' words."""
    from game import engine

    out = []
    for sid, text in zip(list(story.scenes)[:12], _page_texts(story)):
        state = engine.new_game(story, start=sid)
        out.append((engine.scene_title(story, state), text, [v.text for v in engine.choices(story, state)][:5]))
    return out


def _page_texts(story: "Story") -> list[str]:
    """Scene-sized texts for the floor: the story's own scene texts, about a screenful each."""
    from game import engine

    out = []
    for sid in list(story.scenes)[:12]:
        text = engine.scene_text(story, engine.new_game(story, start=sid))
        out.append(" ".join(text.split())[:1100])
    return out


def frame_and_memory_rows(folder: str, title: str, repeat: int) -> list[Row]:
    """First frame after start (story cache warm, then empty), and peak memory while playing."""
    work = tempfile.mkdtemp(prefix="tauride-tui-")
    try:
        env = game_env(work)
        game = [sys.executable, "-m", "game", "play", "--scenes", folder]
        empty = [sys.executable, "-c", EMPTY_APP]
        warm_up(game, env, title)
        warm_f, warm_g, cold_f, cold_g = [], [], [], []
        for i in range(repeat):
            warm_f.append(_start(empty, env, "Tauride floor"))
            warm_g.append(_start(game, env, title))
            cold_f.append(_start(empty, env, "Tauride floor"))
            cold_g.append(_start(game, game_env(work, os.path.join(work, f"cold-{i}")), title))
        # Memory: the empty app after its first frame; the game after a new game and ten choices.
        empty_peak = statistics.median(_peak(empty, env, "Tauride floor", []) for _ in range(3))
        # "n", then Enter for the content note's "Begin" (a story without one takes it as a key for nothing)
        # Each from an empty save folder: an autosave left by the run before would make "n" ask first
        # whether to keep that game (and the title check it in full), so the keys would play another path.
        game_peak = statistics.median(
            _peak(game, dict(env, TAURIDE_SAVE_DIR=os.path.join(work, f"saves-peak-{i}")), title,
                  [b"n", b"\r"] + [b"1"] * 10)
            for i in range(3))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return [
        _row("start to first interactive frame, pty (story cache warm)", "empty Textual app",
             _medians(warm_f), _medians(warm_g), 1.10),
        _row("start to first interactive frame, pty (story cache empty)", "empty Textual app",
             _medians(cold_f), _medians(cold_g), 1.20),
        Row("peak memory: a new game and ten choices", "empty Textual app", empty_peak, game_peak, "MiB",
            "≤ 1.3×", game_peak <= 1.3 * empty_peak),
    ]


def _peak(argv: list[str], env: dict[str, str], marker: str, keys: list[bytes]) -> float:
    with Pty(argv, env) as term:
        term.wait(lambda text: marker in text, repr(marker))
        for key in keys:
            term.press(key)
            term.drain(0.3)
        return term.peak()


def _row(measure: str, floor_label: str, floor: Sample, figure: Sample, target: float) -> Row:
    """A row of wall time with CPU time beside it, each judged against the target on its own."""
    return Row(measure, floor_label, floor.wall, figure.wall, "ms", f"≤ {target:g}×", figure.wall <= target * floor.wall,
               cpu_floor=floor.cpu, cpu_figure=figure.cpu, cpu_met=figure.cpu <= target * floor.cpu)


def new_game_rows(folder: str, repeat: int) -> list[Row]:
    """From the title's "n" to the first scene drawn with its prompt, against the floor app's key to new page."""
    from game import engine
    from game.story_folder import load_folder
    from game.tui.screens.play import PlayScreen

    story = load_folder(folder)
    first = engine.scene_of(story, engine.new_game(story)).title
    # The new game's seed is drawn at random: its first choices' words are not known here, its title is.
    def shown(text: str) -> bool:
        return PlayScreen.PROMPT in text and first in text

    work = tempfile.mkdtemp(prefix="tauride-new-")
    try:
        env = game_env(work)
        game = [sys.executable, "-m", "game", "play", "--scenes", folder]
        floor = [sys.executable, "-c", FLOOR_PAGES, "\f".join(_page_texts(story))]
        _start(game, env, story.title)
        fs, gs, notes = [], [], []
        for _ in range(repeat):
            with Pty(floor, env) as term:
                term.wait(lambda text: "What do you do? (0)" in text, "the floor's first page")
                term.drain(0.3)
                at, cpu = term.press(b"x")
                end, end_cpu = term.wait(lambda text: "What do you do? (1)" in text, "the floor's next page")
                fs.append(Sample(end - at, end_cpu - cpu))
            with Pty(game, env) as term:
                term.wait(lambda text: story.title in text, "the title")
                term.drain(0.3)  # the title's deferred work (footer, preloading the play screen) is done
                at, cpu = term.press(b"n")
                end, end_cpu = term.wait(lambda text: OPENING in text or shown(text), "the content note or the scene")
                if OPENING in term.text:  # the content note first: the game starts at its "Begin" (Enter)
                    notes.append(Sample(end - at, end_cpu - cpu))
                    term.drain(0.3)
                    at, cpu = term.press(b"\r")
                    end, end_cpu = term.wait(lambda text: OPENING not in text and shown(text),
                                             "the first scene with its prompt")
                gs.append(Sample(end - at, end_cpu - cpu))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    row = _row("new game (its Begin, after the content note) to the first scene and its prompt, pty",
               "Static replaced on a key", _medians(fs), _medians(gs), 2.0)
    if notes:  # the wait before the note, which the player also has (no target of its own)
        note = _medians(notes)
        row.note = f'"n" to its content note: {note.wall * 1e3:.1f} ms wall, {note.cpu * 1e3:.1f} ms CPU (median)'
    return [row]


def pty_keypress_rows(folder: str, samples: int) -> list[Row]:
    """Keypress to the frame that shows the next scene and its prompt, against the floor app's key to new page.

    The game and the floor run side by side; keys go to each in turn, so drift in the machine's load hits both.
    """
    from game import engine
    from game.story_folder import load_folder

    story = load_folder(folder)
    seed = 11
    rng = random.Random(seed)
    work = tempfile.mkdtemp(prefix="tauride-keys-")
    fs: list[Sample] = []
    gs: list[Sample] = []
    ts: list[Sample] = []
    try:
        env = game_env(work)
        game = [sys.executable, "-m", "game", "play", "--scenes", folder, "--seed", str(seed)]
        floor = [sys.executable, "-c", FLOOR_PAGES, "\f".join(_page_texts(story))]
        state = engine.new_game(story, seed=seed)
        three = [sys.executable, "-c", THREE_STATICS, json.dumps(_pages(story))]
        with Pty(floor, env) as fterm, Pty(game, env) as gterm, Pty(three, env) as tterm:  # --seed: straight into play
            fterm.wait(lambda text: "What do you do? (0)" in text, "the floor's first page")
            tterm.wait(lambda text: "What do you do? (0)" in text, "the three Statics' first page")
            past_opening(gterm, game_frame(story, state))
            page = 0
            while len(gs) < samples:
                page += 1
                prompt = f"What do you do? ({page})"
                for term, into in ((fterm, fs), (tterm, ts)):
                    term.drain()
                    at, cpu = term.press(b"x")
                    end, end_cpu = term.wait(_showing(prompt), f"page {page}")
                    into.append(Sample(end - at, end_cpu - cpu))
                gterm.drain()
                step = next_key(story, state, rng)
                if step is None:  # nowhere new to go from here: take a choice back and go on from there
                    state = engine.undo(story, state, 1)
                    gterm.press(b"u")
                    gterm.wait(game_frame(story, state), "the scene before")
                    continue
                key, state = step
                at, cpu = gterm.press(key)
                end, end_cpu = gterm.wait(game_frame(story, state), "the next scene")
                gs.append(Sample(end - at, end_cpu - cpu))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    floor_m, game_m = _medians(fs), _medians(gs)
    p90 = sorted(s.wall for s in gs)[int(0.9 * (len(gs) - 1))]
    row = _row(f"keypress to the next scene and its prompt, pty (median of {len(gs)})", "Static replaced on a key",
               floor_m, game_m, 1.5)
    row.note = f"p90 {p90 * 1000:.1f} ms (floor p90 {sorted(s.wall for s in fs)[int(0.9 * (len(fs) - 1))] * 1000:.1f} ms)"
    three_m = _medians(ts)
    reference = Row("  the same keys, a page of three Statics (clock, scene with choices, panel)", "Static replaced on a key",
                    floor_m.wall, three_m.wall, "ms", "(reference)", None, cpu_floor=floor_m.cpu, cpu_figure=three_m.cpu)
    reference.note = ("the least a page that moves a clock and a panel with each scene costs in Textual "
                      f"(benchmarks/tui_cases.py THREE_STATICS); the game is {game_m.cpu / three_m.cpu:.2f}× its CPU")
    return [row, reference]


async def _keypress_samples(folder: str, work: str, samples: int) -> list[float]:
    from game import engine
    from game.saves import SaveStore
    from game.story_folder import load_folder
    from game.tui.app import TaurideApp
    from game.tui.screens.play import PlayScreen

    story = load_folder(folder)
    out: list[float] = []
    seed = 0
    while len(out) < samples:
        seed += 1
        app = TaurideApp(story, SaveStore(os.path.join(work, "saves")), state=engine.new_game(story, seed=seed),
                         seed=seed, settings_file=os.path.join(work, "settings.json"))  # type: ignore[arg-type]
        async with app.run_test(size=(100, 30)) as pilot:
            for _ in range(200):
                await pilot.pause()
                if isinstance(app.screen, PlayScreen) and not app.screen.busy:
                    break
            shown = app.screen
            if not isinstance(shown, PlayScreen):
                continue
            screen: PlayScreen = shown
            # The scene is drawn when the screen unlocks its choices (after the refresh that showed it):
            # stamp that moment, rather than when the Pilot's idle-waiting loop happens to look.
            unlocked: list[float] = []
            unlock = screen._unlock

            def stamped(unlock=unlock, screen=screen, unlocked=unlocked) -> None:  # type: ignore[no-untyped-def]
                unlock()
                if not screen.busy:
                    unlocked.append(time.perf_counter())

            screen._unlock = stamped  # type: ignore[method-assign]
            while len(out) < samples and app.screen is screen and not engine.is_ending(story, screen.state):
                views = engine.choices(story, screen.state)
                enabled = [i for i, v in enumerate(views, 1) if v.enabled]
                if not enabled:
                    break
                before = screen.state
                unlocked.clear()
                start = time.perf_counter()
                await pilot.press(str(enabled[seed % len(enabled)]))
                for _ in range(500):
                    if unlocked or app.screen is not screen:
                        break
                    await pilot.pause()
                if unlocked and screen.state is not before:
                    out.append(unlocked[0] - start)
    return out


def keypress_rows(folder: str, samples: int) -> list[Row]:
    work = tempfile.mkdtemp(prefix="tauride-pilot-")
    try:
        times = asyncio.run(_keypress_samples(folder, work, samples))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    median = statistics.median(times)
    return [Row(f"diagnostic: keypress to choices unlocked (headless Pilot, median of {len(times)})", "—", None,
                median, "ms", "≤ 30 ms", median <= 0.030,
                "headless: no terminal output is written; the pty row above is what the player sees")]


def rows(folder: str, title: str, quick: bool) -> list[Row]:
    return (frame_and_memory_rows(folder, title, 3 if quick else 7) + new_game_rows(folder, 3 if quick else 9)
            + pty_keypress_rows(folder, 15 if quick else 60) + keypress_rows(folder, 20 if quick else 60))
