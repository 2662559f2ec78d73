"""A program in a real pseudo-terminal, read through a terminal emulator, timed as a player meets it.

The one home of the pty harness: the benchmarks' terminal rows and the pty tests
(`tests/test_pty_frames.py`, `tests/test_tui_title_first.py`) use it alike.

Headless Pilot runs skip turning the screen into terminal output and writing
it; these measurements do not. The program's output is fed to `pyte` (a VT
terminal emulator), and a sample ends when the emulated screen shows what
the player waits for — the new scene's title *and* its prompt — not when
some text first passes on the wire: Textual writes only the lines that
changed, so a marker that stayed in place is never written again.

CPU time is read from `/proc/PID/task/*/schedstat` (nanoseconds on a core,
every thread of the program): on two cores shared with other work, wall
time includes waiting for a core; CPU time does not.

Emulating the terminal costs the harness more than drawing costs the
program, so a thread only reads the output, stamping each chunk with its
arrival time and the program's CPU time then; the screen is worked out
afterwards, and a sample ends at the arrival of the chunk that completed it.
"""

from __future__ import annotations

import fcntl
import os
import queue
import random
import select
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from typing import TYPE_CHECKING, Callable

import pyte

from .measure import ROOT

if TYPE_CHECKING:
    from game.engine import State
    from game.story import Story

COLUMNS, LINES = 100, 30
LIMIT_S = 30.0
"""No sample waits longer than this: the harness stops with the screen it saw."""


class Timeout(RuntimeError):
    """What was waited for never appeared on the screen."""


def cpu_seconds(pid: int) -> float:
    """CPU time so far of every thread of `pid`, in seconds (0.0 once it has gone)."""
    total = 0
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{task}/schedstat") as fh:
                    total += int(fh.read().split()[0])
            except (FileNotFoundError, ProcessLookupError):
                pass
    except FileNotFoundError:
        return 0.0
    return total / 1e9


def peak_mib(pid: int) -> float:
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


class Pty:
    """One program in a 100×30 pseudo-terminal; use as a context manager (the program is killed on exit)."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.argv, self.env = argv, env
        self.screen = pyte.Screen(COLUMNS, LINES)
        self.stream = pyte.ByteStream(self.screen)
        self.started = 0.0

    def __enter__(self) -> "Pty":
        sys.setswitchinterval(0.0005)  # the reading thread gets its turn soon while the screen is worked out
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
        self.chunks: queue.Queue[tuple[float, float, bytes]] = queue.Queue()
        self.stop = threading.Event()
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(self.argv, stdin=slave, stdout=slave, stderr=slave, env=self.env, cwd=ROOT,
                                     start_new_session=True, close_fds=True)
        os.close(slave)
        self.reader = threading.Thread(target=self._reading, daemon=True)
        self.reader.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait()
        self.reader.join()
        os.close(self.master)

    def _reading(self) -> None:
        """The reading thread: every chunk of output with when it came and the program's CPU time then."""
        while not self.stop.is_set():
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if not ready:
                continue
            try:
                data = os.read(self.master, 1 << 16)
            except OSError:
                break
            if not data:
                break
            self.chunks.put((time.perf_counter(), cpu_seconds(self.proc.pid), data))

    @property
    def text(self) -> str:
        return "\n".join(self.screen.display)

    def cpu(self) -> float:
        return cpu_seconds(self.proc.pid)

    def peak(self) -> float:
        return peak_mib(self.proc.pid)

    def _read(self, timeout: float) -> tuple[float, float] | None:
        """Feed the next chunk to the screen; its (arrival, CPU seconds), or None if none came in `timeout`."""
        try:
            at, cpu, data = self.chunks.get(timeout=timeout)
        except queue.Empty:
            if not self.reader.is_alive():
                raise Timeout(f"the program ended; its screen:\n{self.text}") from None
            return None
        self.stream.feed(data)
        return at, cpu

    def wait(self, shown: Callable[[str], bool], what: str) -> tuple[float, float]:
        """(arrival, program's CPU seconds) of the output after which the screen first satisfies `shown`."""
        deadline = time.perf_counter() + LIMIT_S
        stamp = (time.perf_counter(), self.cpu())
        while not shown(self.text):
            if time.perf_counter() > deadline:
                raise Timeout(f"{what} never appeared within {LIMIT_S:.0f} s; the screen:\n{self.text}")
            got = self._read(0.05)
            if got is not None:
                stamp = got
        return stamp

    def drain(self, quiet: float = 0.05) -> None:
        """Read until the program has written nothing for `quiet` seconds (its screen settled)."""
        deadline = time.perf_counter() + LIMIT_S
        while self._read(quiet) is not None and time.perf_counter() < deadline:
            pass

    def press(self, key: bytes) -> tuple[float, float]:
        """Type `key`; returns (perf_counter, CPU seconds) just before it was written."""
        cpu = self.cpu()
        at = time.perf_counter()
        os.write(self.master, key)
        return at, cpu


# ---------------------------------------------------------------- the game in the pty
# The benchmarks time these frames and tests/test_pty_frames.py checks them: one definition of
# what the player waits for serves both, so the test holds exactly what the row measures.


def game_env(work: str, cache: str | None = None) -> dict[str, str]:
    """The game's environment in the pty: a real terminal's TERM and size, saves, cache and settings under `work`."""
    env = dict(os.environ)
    env.update(TERM="xterm-256color", PYTHONPATH=ROOT, TAURIDE_SAVE_DIR=os.path.join(work, "saves"),
               TAURIDE_CACHE_DIR=cache or os.path.join(work, "cache"), XDG_CONFIG_HOME=os.path.join(work, "config"),
               COLUMNS=str(COLUMNS), LINES=str(LINES))
    env.pop("TAURIDE_NO_CACHE", None)
    return env


def game_frame(story: Story, state: State) -> Callable[[str], bool]:
    """What the player waits for after a key: the scene's title, its first choice, and the prompt."""
    from game import engine
    from game.tui.screens.play import PlayScreen

    title = engine.scene_of(story, state).title
    views = engine.choices(story, state)
    first = " ".join(views[0].text.split()[:3]) if views else ""
    return lambda text: PlayScreen.PROMPT in text and title in text and first in text


OPENING = "Before you begin"
"""The content note a new game opens with (game.views.teaching), when the story has one."""


def past_opening(term: Pty, shown: Callable[[str], bool]) -> None:
    """Wait for the first scene; if the content note is over it, close it (Escape) and wait for the scene."""
    term.wait(lambda text: OPENING in text or shown(text), "the first scene or its content note")
    term.drain(0.2)
    if OPENING in term.text:
        term.press(b"\x1b")
        term.wait(lambda text: OPENING not in text and shown(text), "the first scene, the note closed")
        term.drain(0.3)


def next_key(story: Story, state: State, rng: random.Random) -> tuple[bytes, State] | None:
    """A choice to press that leads to a playable scene with another title (so its frame can be told apart)."""
    from game import engine

    views = engine.choices(story, state)
    keys = [i for i, v in enumerate(views, 1) if v.enabled and not v.reflect and i <= 9]
    rng.shuffle(keys)
    title = engine.scene_of(story, state).title
    for i in keys:
        new = engine.choose(story, state, views[i - 1].id)
        if not engine.is_ending(story, new) and engine.choices(story, new) and engine.scene_of(story, new).title != title:
            return str(i).encode(), new
    return None
