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
    """Playthroughs per second on one core, over batches lasting about `seconds` in all: per second of
    wall time, and per second of this process's CPU time (which waiting for a shared core does not change)."""
    rates: list[float] = []
    cpu_rates: list[float] = []
    steps = 0
    walks = 0
    deadline = time.perf_counter() + seconds
    seed = 0
    while time.perf_counter() < deadline or len(rates) < 3:
        start, cpu = time.perf_counter(), time.process_time()
        n = 0
        while n < 50:
            steps += len(walk(story, seed).log)
            seed += 1
            n += 1
        rates.append(n / (time.perf_counter() - start))
        cpu_rates.append(n / max(time.process_time() - cpu, 1e-9))
        walks += n
    rate, cpu_rate = statistics.median(rates), statistics.median(cpu_rates)
    return [Row(f"random walk on {label} ({steps / walks:.1f} choices per playthrough)", "—", None, rate,
                "walks/s", "≥ 2,000/s", rate >= 2000, cpu_figure=cpu_rate, cpu_met=cpu_rate >= 2000)]


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


_LONG_PLAY = """
import gc, json, random, sys, time, tracemalloc
from game import engine
from game.story_folder import load_folder

story = load_folder(sys.argv[1])
length, repeat = int(sys.argv[2]), int(sys.argv[3])

def play(n, keep=()):
    rng = random.Random(1)
    state = engine.new_game(story, seed=1)
    kept = {}
    for i in range(1, n + 1):
        state = engine.choose(story, state, rng.choice(engine.available_ids(story, state)))
        if i in keep:
            kept[i] = state
    return state, kept

out = {}
_, states = play(5000, (10, 5000))  # undo is timed where the player is: at the end of the playthrough so far
for n, st in states.items():
    walls, cpus = [], []
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        engine.undo(story, st, 1)
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    walls.sort(); cpus.sort()
    out[f"undo_{n}"] = [walls[len(walls) // 2], cpus[len(cpus) // 2]]
del states
gc.collect()
tracemalloc.start()
start = time.process_time()
last, _ = play(length)
out["play_cpu"] = time.process_time() - start
gc.collect()
held, peak = tracemalloc.get_traced_memory()
out.update(held_mib=held / 2**20, peak_mib=peak / 2**20)
print(json.dumps(out))
"""
"""In a fresh process on the ring story: undo one step at 10 and at 5,000 choices (medians of `repeat`), then
`length` random choices played under tracemalloc: the memory the last state holds and the peak while playing."""


def long_play_rows(work: str, quick: bool) -> list[Row]:
    """Undo one step at 5,000 choices against undo at 10, and the memory a 200,000-choice playthrough takes."""
    import json
    import os
    import subprocess
    import sys

    from game.tools.generate import write_ring

    from .measure import ROOT

    folder = os.path.join(work, "ring")
    write_ring(folder, 1000)
    length = 20_000 if quick else 200_000
    out = subprocess.run([sys.executable, "-c", _LONG_PLAY, folder, str(length), "21" if quick else "201"],
                         cwd=ROOT, capture_output=True, text=True, check=True)
    got = json.loads(out.stdout.strip().splitlines()[-1])
    (w10, c10), (w5k, c5k) = got["undo_10"], got["undo_5000"]
    return [
        Row("undo one step at 5,000 choices (1,000-scene ring story)", "undo at 10 choices", w10, w5k, "ms", "≤ 3×",
            w5k <= 3 * w10, cpu_floor=c10, cpu_figure=c5k, cpu_met=c5k <= 3 * c10),
        Row(f"memory held by the state after {length:,} choices (tracemalloc)", "—", None, got["held_mib"], "MiB",
            "≤ 100 MiB", got["held_mib"] <= 100,
            f"peak while playing {got['peak_mib']:.1f} MiB; {length:,} random choices took {got['play_cpu']:.1f} s of "
            "CPU (traced)"),
    ]
