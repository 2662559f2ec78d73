"""Start-up without the cyclic garbage collector, then a frozen heap.

Starting the game makes a few hundred thousand objects that live as long as
the process (modules, classes, CSS rules, widgets, the story). While they are
being made, the collector walks them again and again: measured, about a tenth
of the time to the first frame. `tauride play` therefore pauses it until the
first frame is out, then collects once, freezes what survived (`gc.freeze`:
later collections skip those objects, which keeps them short while playing)
and switches it back on.

Only a pause made here is resumed here: an app started some other way (tests,
the classroom server) keeps the collector exactly as it found it.
"""

from __future__ import annotations

import gc

_paused = False


def pause() -> None:
    """Switch the collector off for the start, if it is on."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume() -> None:
    """Collect the start's garbage once, freeze the rest, switch the collector back on (once)."""
    global _paused
    if not _paused:
        return
    _paused = False
    gc.collect()
    gc.freeze()
    gc.enable()
