"""Time on task: the minutes a player was actually at the game, not the wall clock since they began.

Every key or click calls `touch`. The gap since the last one counts in
full up to `idle_cap` seconds — reading a long scene is work — and no more:
a student who went to lunch with the game open has not played for an
hour. Pure arithmetic over a clock passed in, so every shell (the TUI, the
class app) counts the same way and tests need no sleeping.
"""

from __future__ import annotations

import time
from typing import Any, Callable, Mapping

IDLE_CAP = 120.0
"""The longest gap between two inputs that still counts as play (a long scene read slowly)."""
META_KEY = "active_seconds"
"""Where a save keeps it (in `meta`), beside `play_seconds` (wall clock, for the class app)."""


class ActiveTime:
    """Seconds of active play so far: a starting amount (from the save) plus this run's capped gaps."""

    def __init__(self, seconds: float = 0.0, *, idle_cap: float = IDLE_CAP,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = max(0.0, float(seconds))
        self.idle_cap = idle_cap
        self.clock = clock
        self._last: float | None = None

    def touch(self) -> None:
        """An input happened now."""
        now = self.clock()
        if self._last is not None:
            self.seconds += min(max(0.0, now - self._last), self.idle_cap)
        self._last = now

    @property
    def minutes(self) -> float:
        return self.seconds / 60


def saved_seconds(meta: Mapping[str, Any] | None) -> float:
    """The active seconds a save recorded (0 for a save from before they were kept, or nonsense)."""
    value = (meta or {}).get(META_KEY)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0:
        return float(value)
    return 0.0
