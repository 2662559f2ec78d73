"""The terminal game: first frame in a real pseudo-terminal, memory while playing, keypress to scene.

Floors are an empty Textual app (one Static) started the same way in the
same run: what any Textual program costs on this machine.
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time

from .measure import ROOT, Row

EMPTY_APP = """
from textual.app import App
from textual.widgets import Static

class Empty(App):
    def compose(self):
        yield Static("Tauride floor")

Empty().run()
"""
FRAME_LIMIT_S = 30.0


def _vmhwm_mib(pid: int) -> float:
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def run_in_pty(argv: list[str], env: dict[str, str], marker: bytes, keys: list[bytes] = (),
               key_marker: bytes | None = None) -> tuple[float, float]:
    """Seconds from exec to `marker` on the screen, and peak memory (MiB) after typing `keys`."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=ROOT,
                            start_new_session=True, close_fds=True)
    os.close(slave)
    seen = b""
    first = None
    try:
        deadline = start + FRAME_LIMIT_S
        while first is None:
            if time.perf_counter() > deadline:
                raise RuntimeError(f"no first frame within {FRAME_LIMIT_S} s: {seen[-400:]!r}")
            ready, _, _ = select.select([master], [], [], 0.01)
            if ready:
                seen += os.read(master, 65536)
                if marker in seen:
                    first = time.perf_counter() - start
        for key in keys:
            os.write(master, key)
            end = time.perf_counter() + 0.4
            while time.perf_counter() < end:  # let it draw, and drain the terminal
                ready, _, _ = select.select([master], [], [], 0.02)
                if ready:
                    try:
                        seen += os.read(master, 65536)
                    except OSError:
                        break
        if key_marker is not None and key_marker not in seen:
            raise RuntimeError(f"{key_marker!r} never appeared while playing: {seen[-400:]!r}")
        peak = _vmhwm_mib(proc.pid)
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()
        os.close(master)
    return first, peak


def _env(work: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(TERM="xterm-256color", PYTHONPATH=ROOT, TAURIDE_SAVE_DIR=os.path.join(work, "saves"),
               TAURIDE_CACHE_DIR=os.path.join(work, "cache"), XDG_CONFIG_HOME=os.path.join(work, "config"),
               COLUMNS="100", LINES="30")
    env.pop("TAURIDE_NO_CACHE", None)
    return env


def frame_and_memory_rows(folder: str, title: str, repeat: int) -> list[Row]:
    work = tempfile.mkdtemp(prefix="tauride-tui-")
    try:
        env = _env(work)
        game = [sys.executable, "-m", "game", "play", "--scenes", folder]
        empty = [sys.executable, "-c", EMPTY_APP]
        run_in_pty(game, env, title.encode())  # warms the story cache, as a second start would find it
        floors, figures = [], []
        for _ in range(repeat):
            floors.append(run_in_pty(empty, env, b"Tauride floor")[0])
            figures.append(run_in_pty(game, env, title.encode())[0])
        floor, figure = statistics.median(floors), statistics.median(figures)
        # Memory: the empty app after its first frame; the game after a new game and ten choices.
        empty_peak = statistics.median(run_in_pty(empty, env, b"Tauride floor", [b"x"] * 2)[1] for _ in range(3))
        play_keys = [b"n"] + [b"1"] * 10
        game_peak = statistics.median(run_in_pty(game, env, title.encode(), play_keys)[1] for _ in range(3))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return [
        Row("start to first interactive frame, in a pty (story cache warm)", "empty Textual app", floor, figure,
            "ms", "≤ 1.15×", figure <= 1.15 * floor),
        Row("peak memory: a new game and ten choices", "empty Textual app", empty_peak, game_peak, "MiB",
            "≤ 1.3×", game_peak <= 1.3 * empty_peak),
    ]


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
            screen = app.screen
            if not isinstance(screen, PlayScreen):
                continue
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
    return [Row(f"keypress to the next scene drawn (Pilot, median of {len(times)})", "—", None, median, "ms",
                "≤ 30 ms", median <= 0.030)]


def rows(folder: str, title: str, quick: bool) -> list[Row]:
    return frame_and_memory_rows(folder, title, 3 if quick else 7) + keypress_rows(folder, 20 if quick else 60)
