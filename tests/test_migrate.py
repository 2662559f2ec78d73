"""One rule moves a state onto an edited story, for a loaded save and for live reload alike."""

from __future__ import annotations

from pathlib import Path

from conftest import MINI_MANIFEST, MINI_SCENES

from game import engine
from game.engine.migrate import carried_values, carry_state
from game.saves import SaveStore
from game.story_folder import load_folder


def _edited(make_story, manifest: str, name: str):
    return load_folder(str(make_story({"story.yaml": manifest, "16.yaml": MINI_SCENES}, name=name)))


def test_a_narrowed_range_clamps_a_saved_value_and_a_reloaded_one_alike(make_story, mini, tmp_path: Path) -> None:
    state = engine.new_game(mini, seed=1, overrides={"resolve": 5})
    state = engine.choose(mini, state, "tell")  # in scene b, resolve still 5
    narrowed = _edited(make_story, MINI_MANIFEST.replace("range: [0, 5]", "range: [0, 3]"), "narrowed")
    store = SaveStore(tmp_path / "saves")
    store.write("slot", mini, state)
    loaded = store.load("slot", narrowed)
    reloaded, _ = carry_state(narrowed, state)
    assert loaded.vars["resolve"] == 3
    assert reloaded.vars["resolve"] == 3
    assert loaded.vars == reloaded.vars


def test_added_removed_and_retyped_variables(make_story, mini) -> None:
    changed = _edited(make_story, MINI_MANIFEST.replace(
        "  secret: {type: bool, default: false}\n",
        "  secret: {type: bool, default: false}\n  courage: {type: int, default: 1}\n"), "changed")
    values = carried_values(changed, {"resolve": 4, "secret": "was text once", "gone": 9})
    assert values == {"resolve": 4, "secret": False, "courage": 1}
