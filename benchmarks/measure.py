"""Timing helpers: medians of interleaved runs, so drift hits floor and figure alike."""

from __future__ import annotations

import gc
import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import Callable


@dataclass
class Row:
    """One line of the printed table."""

    measure: str
    floor_label: str
    floor: float | None
    """The floor's value in `unit`, or None when the target is absolute."""
    figure: float | None
    """Our value in `unit`; None when the row could not be measured (see `note`)."""
    unit: str
    target: str
    met: bool | None
    note: str = ""
    cpu_floor: float | None = None
    """CPU seconds of the floor, where the row measures wall time of another process (None: not measured)."""
    cpu_figure: float | None = None
    """CPU seconds of ours, beside `figure`."""
    cpu_met: bool | None = None
    """The target met by the ratio of CPU times (which waiting for a core does not change)."""

    @property
    def ratio(self) -> float | None:
        if self.floor and self.figure is not None:
            return self.figure / self.floor
        return None

    @property
    def cpu_ratio(self) -> float | None:
        if self.cpu_floor and self.cpu_figure is not None:
            return self.cpu_figure / self.cpu_floor
        return None


def time_once(fn: Callable[[], object]) -> float:
    """Seconds for one call, with garbage collected beforehand so runs start alike."""
    gc.collect()
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def interleaved(floor: Callable[[], object], figure: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median seconds of `floor` and of `figure`, run alternately `repeat` times each."""
    fs: list[float] = []
    gs: list[float] = []
    for _ in range(repeat):
        fs.append(time_once(floor))
        gs.append(time_once(figure))
    return statistics.median(fs), statistics.median(gs)


def median_of(fn: Callable[[], object], repeat: int) -> float:
    return statistics.median(time_once(fn) for _ in range(repeat))


_CHILD = """
import gc, json, sys, time
setup, stmt = sys.argv[1], sys.argv[2]
env = {}
exec(setup, env)
gc.collect()
start = time.process_time()
exec(stmt, env)
print(json.dumps(time.process_time() - start))
"""
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def in_child(setup: str, stmt: str) -> float:
    """CPU seconds for `stmt` in a fresh interpreter after `setup` (imports are not counted).

    CPU time, not wall time: on a shared machine (CI, or helpers' test runs
    beside this one) waiting for a core is not the loader's cost.

    A fresh process per sample keeps one measurement's garbage and heap
    growth from slowing the next, which in one process made the loader
    look twice as slow after a run of `yaml.load`.
    """
    out = subprocess.run([sys.executable, "-c", _CHILD, setup, stmt], cwd=ROOT, capture_output=True, text=True, check=True)
    return float(json.loads(out.stdout.strip().splitlines()[-1]))


def interleaved_children(floor: tuple[str, str], figure: tuple[str, str], repeat: int) -> tuple[float, float]:
    """Median seconds of two (setup, stmt) pairs, each sample in its own process, run alternately."""
    fs: list[float] = []
    gs: list[float] = []
    for _ in range(repeat):
        fs.append(in_child(*floor))
        gs.append(in_child(*figure))
    return statistics.median(fs), statistics.median(gs)
