"""Loading leaves the garbage collector as it found it: on or off, nothing frozen or thawed.

The loader switches collection off while it reads and moves the new story
to the oldest generation (`loader._settle`, by `gc.freeze` then
`gc.unfreeze`); a program that froze objects of its own (the terminal game
does, after its first frame) must find them still frozen.
"""

from __future__ import annotations

import gc

import pytest

from game.story_folder import load_folder


@pytest.mark.parametrize("enabled", [True, False])
def test_collection_is_left_on_or_off_as_found(make_story, enabled: bool) -> None:
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        frozen = gc.get_freeze_count()  # 0, unless an earlier test froze the heap as the game does
        load_folder(str(make_story()))
        assert gc.isenabled() is enabled
        assert gc.get_freeze_count() == frozen
    finally:
        gc.enable() if was else gc.disable()


def test_objects_the_program_froze_stay_frozen(make_story) -> None:
    kept = [[object()] for _ in range(100)]
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        load_folder(str(make_story()))
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
    del kept


def test_a_loaded_story_is_collected_when_dropped(make_story) -> None:
    import weakref

    story = load_folder(str(make_story()))
    ref = weakref.ref(story)
    del story
    gc.collect()
    assert ref() is None
