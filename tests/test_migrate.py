"""One rule moves a state onto an edited story, for a loaded save and for live reload alike."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import MINI_MANIFEST, MINI_SCENES

from game import engine
from game.engine.migrate import carried_values, carry_state
from game.saves import SaveError, SaveStore
from game.story_folder import load_folder


def _edited(make_story, manifest: str, name: str):
    return load_folder(str(make_story({"story.yaml": manifest, "16.yaml": MINI_SCENES}, name=name)))


def test_a_narrowed_range_clamps_on_reload_and_a_save_says_it_no_longer_fits(make_story, mini, tmp_path: Path) -> None:
    state = engine.new_game(mini, seed=1, overrides={"resolve": 5})
    state = engine.choose(mini, state, "tell")  # in scene b, resolve still 5
    narrowed = _edited(make_story, MINI_MANIFEST.replace("range: [0, 5]", "range: [0, 3]"), "narrowed")
    reloaded, how = carry_state(narrowed, state)
    assert reloaded.vars["resolve"] == 3
    assert how == ("your choices were replayed on the new version; a value was kept in its range: 'resolve' held 5, "
                   "outside its range [0, 3]")  # said, not clamped without a word (`--watch` shows it)
    pushed = engine.choose(mini, engine.new_game(mini, seed=1, overrides={"resolve": 3}), "keep")  # 3 + 1 = 4
    _, how = carry_state(narrowed, pushed)
    assert how.startswith("your choices were replayed on the new version; a value was kept in its range: ")
    assert how.endswith("16.yaml:13:9: effect 'resolve += 1' set 'resolve' to 4, outside its range [0, 3]"), how
    store = SaveStore(tmp_path / "saves")
    store.write("slot", mini, state)
    with pytest.raises(SaveError, match="the variable 'resolve' holds 5, outside its range 0 to 3"):
        store.load("slot", narrowed)


def test_a_save_and_a_reload_carry_added_and_removed_variables_alike(make_story, mini, tmp_path: Path) -> None:
    state = engine.choose(mini, engine.new_game(mini, seed=1), "keep")
    grown = _edited(make_story, MINI_MANIFEST.replace(
        "  secret: {type: bool, default: false}\n",
        "  secret: {type: bool, default: false}\n  courage: {type: int, default: 1}\n"), "grown")
    store = SaveStore(tmp_path / "saves")
    store.write("slot", mini, state)
    loaded = store.load("slot", grown)
    reloaded, _ = carry_state(grown, state)
    assert loaded.vars == reloaded.vars == {"resolve": 3, "secret": True, "courage": 1}


def test_added_removed_and_retyped_variables(make_story, mini) -> None:
    changed = _edited(make_story, MINI_MANIFEST.replace(
        "  secret: {type: bool, default: false}\n",
        "  secret: {type: bool, default: false}\n  courage: {type: int, default: 1}\n"), "changed")
    values = carried_values(changed, {"resolve": 4, "secret": "was text once", "gone": 9})
    assert values == {"resolve": 4, "secret": False, "courage": 1}
