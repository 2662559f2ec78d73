"""Timing helpers: medians of interleaved runs, so drift hits floor and figure alike."""

from __future__ import annotations

import gc
import statistics
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

    @property
    def ratio(self) -> float | None:
        if self.floor and self.figure is not None:
            return self.figure / self.floor
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
