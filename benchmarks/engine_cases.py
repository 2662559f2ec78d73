"""Playing: random walks through the engine, and saving and loading a game."""

from __future__ import annotations

import random
import shutil
import statistics
import tempfile
import time

from game.engine import available_ids, choose, is_ending, new_game
from game.engine.state import State
from game.saves import SaveStore
from game.story import Story

from .measure import Row, median_of

MAX_STEPS = 1000
"""A walk longer than this is abandoned (a loop the story cannot leave)."""


def walk(story: Story, seed: int) -> State:
    """One random playthrough from the start to an ending, as the walker tool makes it."""
    rng = random.Random(seed)
    state = new_game(story, seed=seed)
    for _ in range(MAX_STEPS):
        if is_ending(story, state):
            break
        ids = available_ids(story, state)
        if not ids:
            break
        state = choose(story, state, rng.choice(ids))
    return state


def walk_rows(story: Story, label: str, seconds: float) -> list[Row]:
    """Playthroughs per second on one core, over batches lasting about `seconds` in all."""
    rates = []
    steps = 0
    walks = 0
    deadline = time.perf_counter() + seconds
    seed = 0
    while time.perf_counter() < deadline or len(rates) < 3:
        start = time.perf_counter()
        n = 0
        while n < 50:
            steps += len(walk(story, seed).log)
            seed += 1
            n += 1
        rates.append(n / (time.perf_counter() - start))
        walks += n
    rate = statistics.median(rates)
    return [Row(f"random walk on {label} ({steps / walks:.1f} choices per playthrough)", "—", None, rate,
                "walks/s", "≥ 2,000/s", rate >= 2000)]


def save_rows(story: Story, repeat: int) -> list[Row]:
    """Write and read back a save made after a long playthrough."""
    state = max((walk(story, s) for s in range(20)), key=lambda st: len(st.log))
    folder = tempfile.mkdtemp(prefix="tauride-saves-")
    try:
        store = SaveStore(folder)
        write = median_of(lambda: store.write("bench", story, state), repeat)
        load = median_of(lambda: store.load("bench", story), repeat)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    note = f"{len(state.log)} choices in the log"
    return [
        Row(f"save a game ({note}, fsync included)", "—", None, write, "ms", "≤ 10 ms", write <= 0.010),
        Row("load that save", "—", None, load, "ms", "≤ 10 ms", load <= 0.010),
    ]
