"""An autosave over the one this store just wrote reuses that state instead of re-reading the file.

Every choice autosaves, and every autosave first loads the game it replaces
(game.save_keep): re-reading it checked the file with pydantic each time,
which made pydantic (~10 MiB) part of every game's memory.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import game.saves
from game import engine
from game.saves import SaveError, SaveStore


def test_loading_a_save_this_store_wrote_reads_nothing(mini, tmp_path: Path, monkeypatch) -> None:
    store = SaveStore(tmp_path)
    state = engine.choose(mini, engine.new_game(mini, seed=1), "tell")
    store.autosave(mini, state)
    reads: list[str] = []
    monkeypatch.setattr(game.saves, "read_file", lambda path: reads.append(str(path)) or {})
    assert store.load("autosave", mini) is state
    assert reads == []


def test_a_save_changed_on_disk_since_is_read_and_checked_again(mini, tmp_path: Path) -> None:
    store = SaveStore(tmp_path)
    store.autosave(mini, engine.choose(mini, engine.new_game(mini, seed=1), "tell"))
    (tmp_path / "autosave.json").write_text('{"format": "tauride-save", "version": 1}', encoding="utf-8")
    with pytest.raises(SaveError, match="damaged"):
        store.load("autosave", mini)


def test_a_save_replaced_by_another_store_is_read_from_disk(mini, tmp_path: Path) -> None:
    mine, other = SaveStore(tmp_path), SaveStore(tmp_path)
    mine.autosave(mini, engine.choose(mini, engine.new_game(mini, seed=1), "tell"))
    theirs = engine.choose(mini, engine.new_game(mini, seed=2), "keep")
    other.write("autosave", mini, theirs)
    assert mine.load("autosave", mini) == theirs


def test_a_game_of_autosaved_choices_never_loads_the_save_layout(tmp_path: Path) -> None:
    """The shipped story, a new game and ten choices autosaved as the shells do: no save is checked in full
    (the story's own first load may import pydantic for its files; the save layout is not needed)."""
    code = textwrap.dedent(f"""
        import random, sys
        from game import engine
        from game.saves import SaveStore
        from game.locate import default_story_dir
        from game.story_folder import load_folder
        story = load_folder(str(default_story_dir()))
        store, rng = SaveStore({str(tmp_path)!r}), random.Random(1)
        state = engine.new_game(story, seed=1)
        store.autosave(story, state, new_game=True)
        for _ in range(10):
            if engine.is_ending(story, state):
                break
            state = engine.choose(story, state, rng.choice(engine.available_ids(story, state)))
            store.autosave(story, state)
        print("game.save_format" in sys.modules)
    """)
    env = dict(os.environ, TAURIDE_CACHE_DIR=str(tmp_path / "cache"))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"  # the save layout (pydantic models) never loaded
