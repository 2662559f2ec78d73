"""The class story itself: it loads clean, reaches every ending, and makes a class of generated saves."""

from __future__ import annotations

from pathlib import Path

from class_story import make_class, play

from game.story import Story


def test_the_class_story_loads_clean_and_reaches_every_ending(class_story: Story):
    assert not class_story.warnings
    endings = {
        play(class_story, p).scene
        for p in (["keep", "wait", "speak"], ["tell", "wait", "hide"], ["phone", "leave"])
    }
    assert endings == {"saved", "lost", "home"}




def test_a_generated_class_has_six_games_and_four_bad_files(tmp_path: Path, class_story: Story):
    klass = make_class(tmp_path, class_story)
    assert len(list(klass.rglob("*.json"))) == 6 + 6 + 4
