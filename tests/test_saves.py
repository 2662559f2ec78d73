"""Saves: atomic, versioned, checked; a corrupt one never hides the others."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from game import engine
from game.saves import SaveError, SaveStore, check_name

FIXTURES = Path(__file__).parent / "fixtures"


def test_save_and_load_round_trip(mini, tmp_path: Path) -> None:
    store = SaveStore(tmp_path / "saves")
    s = engine.choose(mini, engine.new_game(mini, seed=9), "keep")
    store.write("before the sailors", mini, s)
    assert store.load("before the sailors", mini) == s
    assert [f.name for f in (tmp_path / "saves").iterdir()] == ["before the sailors.json"]  # no temp files left behind


def test_a_corrupt_save_is_named_and_the_others_still_list(mini, tmp_path: Path) -> None:
    tmp_path = tmp_path / "saves"
    store = SaveStore(tmp_path)
    s = engine.new_game(mini)
    store.write("good", mini, s)
    store.autosave(mini, s)
    (tmp_path / "broken.json").write_text('{"format": "tauride-save", "vers', encoding="utf-8")
    (tmp_path / "empty.json").write_text("", encoding="utf-8")
    listed = {i.name: i for i in store.list(mini)}
    assert set(listed) == {"good", "autosave", "broken", "empty"}
    assert listed["good"].error is None and listed["good"].scene_title == "The wire" and listed["good"].clock == "16:00"
    assert "broken.json: the save is corrupt" in (listed["broken"].error or "")
    assert "empty.json: the save is empty" in (listed["empty"].error or "")
    assert store.load("good", mini) == s


def test_one_save_can_be_summarised_without_reading_the_others(mini, tmp_path: Path) -> None:
    store = SaveStore(tmp_path / "saves")
    assert store.info("autosave", mini) is None  # no folder yet
    s = engine.choose(mini, engine.new_game(mini, seed=9), "keep")
    store.autosave(mini, s)
    (tmp_path / "saves" / "broken.json").write_text("{", encoding="utf-8")
    auto = store.info("autosave", mini)
    assert auto is not None and auto.error is None and auto.steps == 1 and auto.name == "autosave"
    assert auto == next(i for i in store.list(mini) if i.name == "autosave")
    broken = store.info("broken", mini)
    assert broken is not None and "broken.json: the save is corrupt" in (broken.error or "")
    assert store.info("missing", mini) is None


def test_a_save_from_another_story_or_a_newer_version_is_refused(mini, tmp_path: Path) -> None:
    tmp_path = tmp_path / "saves"
    store = SaveStore(tmp_path)
    store.write("x", mini, engine.new_game(mini))
    data = json.loads((tmp_path / "x.json").read_text())
    (tmp_path / "other.json").write_text(json.dumps({**data, "story": {"id": "other"}}))
    (tmp_path / "newer.json").write_text(json.dumps({**data, "version": 99}))
    with pytest.raises(SaveError, match="belongs to the story 'other', not 'mini'"):
        store.load("other", mini)
    with pytest.raises(SaveError, match="made by a newer Tauride"):
        store.load("newer", mini)


def test_a_save_whose_scene_was_removed_is_refused_clearly(mini, tmp_path: Path) -> None:
    tmp_path = tmp_path / "saves"
    store = SaveStore(tmp_path)
    store.write("x", mini, engine.new_game(mini))
    data = json.loads((tmp_path / "x.json").read_text())
    data["state"]["scene"] = "cut_scene"
    (tmp_path / "x.json").write_text(json.dumps(data))
    with pytest.raises(SaveError, match="the scene 'cut_scene' it was saved in no longer exists"):
        store.load("x", mini)


def test_first_version_save_fixture_still_loads(make_story, tmp_path: Path) -> None:
    """A save written by Tauride 0.1 (format 1), kept so format changes cannot break players silently.

    The story it belongs to has since gained a variable and a choice: the save must still load,
    with the new variable at its default.
    """
    from game.story_folder import load_folder
    from tests.conftest import MINI_MANIFEST, MINI_SCENES

    grown_manifest = MINI_MANIFEST.replace(
        "variables:\n", "variables:\n  courage: {type: int, default: 1}\n"
    )
    grown_scenes = MINI_SCENES.replace(
        "      - {id: tell,",
        "      - {id: wait_a, text: Wait a little, goto: b, if: courage > 0}\n      - {id: tell,",
    )
    story = load_folder(str(make_story({"story.yaml": grown_manifest, "16.yaml": grown_scenes})))
    shutil.copy(FIXTURES / "save-v1.json", tmp_path / "old.json")
    state = SaveStore(tmp_path).load("old", story)
    assert state.scene == "b" and state.clock == 975
    assert state.vars == {"courage": 1, "resolve": 3, "secret": True}
    assert [c.id for c in engine.choices(story, state)] == ["wait", "end"]
    assert state.log[0].votes == {"keep": 14, "tell": 11}


@pytest.mark.parametrize("bad", ["", "../x", "a/b", ".hidden", "x" * 65, "nul\x00", "trail.", "_x", "CON", "con.txt",
                                 "a\\b", "tab\there", "é" * 65, "\u0301accent first"])
def test_unsafe_save_names_are_refused(bad: str) -> None:
    with pytest.raises(SaveError, match="not a usable save name"):
        check_name(bad)


def test_save_names_in_any_script_round_trip(mini, tmp_path: Path) -> None:
    store = SaveStore(tmp_path)
    s = engine.new_game(mini, seed=3)
    for name in ["Анна перед матросами", "José", "Zoë 2", "北京"]:
        store.write(name, mini, s)
        assert store.load(name, mini) == s
    decomposed = "Jose\u0301"  # the same name typed where accents are two characters (macOS file names)
    assert check_name(decomposed) == "José"
    assert store.load(decomposed, mini) == s
    assert {i.name for i in store.list(mini)} == {"Анна перед матросами", "José", "Zoë 2", "北京"}


def test_temp_files_left_by_a_killed_save_are_swept_and_fresh_ones_kept(mini, tmp_path: Path) -> None:
    import os
    import time

    folder = tmp_path / "saves"
    store = SaveStore(folder)
    store.write("slot", mini, engine.new_game(mini))
    stale = folder / ".slot.json.abc123.tmp"
    fresh = folder / ".slot.json.def456.tmp"
    stale.write_text("{half a save")
    fresh.write_text("{being written")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    store.write("slot", mini, engine.new_game(mini))
    assert not stale.exists() and fresh.exists()
    assert store.load("slot", mini) == engine.new_game(mini)
