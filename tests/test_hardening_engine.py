"""The engine's fast paths agree with its definitions, on the shipped story.

`choose` checks only the choice asked for; `available_ids` lists every
choice that can be taken. Along many seeded random playthroughs, every
choice of every scene passed must be accepted by `choose` exactly when
`available_ids` lists it, and the state that comes back must be the one a
replay of the log rebuilds.
"""

from __future__ import annotations

import pytest

from game import engine
from game.engine import ChoiceError
from game.story_folder import load_folder
from game.tools.walker import walk_states
from tests.conftest import SCENES


@pytest.fixture(scope="module")
def shipped():
    return load_folder(str(SCENES))


@pytest.mark.parametrize("seed", range(25))
def test_choose_accepts_exactly_the_available_choices(shipped, seed: int) -> None:
    state = None
    for state in walk_states(shipped, seed, max_steps=200):
        if engine.is_ending(shipped, state):
            break
        available = engine.available_ids(shipped, state)
        for choice in shipped.scene(state.scene).choices:
            if choice.id in available:
                engine.choose(shipped, state, choice.id)
            else:
                with pytest.raises(ChoiceError, match="not available"):
                    engine.choose(shipped, state, choice.id)
        assert available, f"dead end at {state.scene}"
    assert state is not None
    assert engine.replay(shipped, state.origin, list(state.log)) == state
