"""Garbage collection switched off around work that makes many objects and no cycles.

Reading a story (the loader) and restoring one from the cache both create
hundreds of thousands of objects with no reference cycles; the cyclic
collector would walk them again and again for nothing. (`game/startup.py`
does the same for a whole start of the game, across the event loop.)
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def collection_off() -> Iterator[None]:
    """Collection off inside the block; back as it was after it, however the block ends."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
