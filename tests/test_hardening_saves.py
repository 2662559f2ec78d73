"""Saves survive a killed game, and damaged saves are named while the rest load.

The kill test runs the save store in a child process that saves as fast
as it can, numbering each save in its `meta`, and kills it with SIGKILL
at random moments. After every kill the slot must hold a whole save, equal
to the last one the child finished or to the one it was writing — never
a mix, never empty, never unreadable.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from game.engine import available_ids, choose, new_game
from game.saves import SAVE_VERSION, SaveError, SaveStore

REPO = Path(__file__).resolve().parent.parent
KILLS = 12

_PLAY = """
def state_for(story, n):
    # Save number n holds this state: a pure function of n, so the test can recompute it.
    # One seed: every autosave is the same playthrough moving on, as in play (a new game
    # would set the old one aside first, see game.save_keep, and that is not what is tested here).
    state = new_game(story, seed=1)
    for k in range(n % 7):
        ids = available_ids(story, state)
        if not ids:
            break
        state = choose(story, state, ids[(n + k) % len(ids)])
    return state
"""

_SAVER = """
import sys
from game.engine import available_ids, choose, new_game
from game.saves import SaveStore
from game.story_folder import load_folder
""" + _PLAY + """
story = load_folder(sys.argv[1])
store = SaveStore(sys.argv[2])
n = int(sys.argv[3])
while True:
    n += 1
    state = state_for(story, n)
    store.write("slot", story, state, meta={"n": n, "pad": "x" * (n % 5000)})
    store.autosave(story, state, meta={"n": n})
    print(n, flush=True)
"""
_names: dict = {"new_game": new_game, "choose": choose, "available_ids": available_ids}
exec(_PLAY, _names)


def expected_state(story, n: int) -> dict:
    """The state the child saved as number `n`."""
    return _names["state_for"](story, n).to_json()


def kill_during_saves(story_dir: Path, save_dir: Path, start: int, rng: random.Random) -> int:
    """Start a saving child, kill it mid-stream, return the last save number it finished."""
    env = dict(os.environ, PYTHONPATH=str(REPO), TAURIDE_NO_CACHE="1")
    child = subprocess.Popen([sys.executable, "-c", _SAVER, str(story_dir), str(save_dir), str(start)],
                             stdout=subprocess.PIPE, text=True, env=env)
    assert child.stdout is not None
    seen = []
    for _ in range(rng.randint(15, 40)):  # let it finish this many saves, then kill it mid-stream
        line = child.stdout.readline()
        assert line.strip(), "the saving child stopped saving"
        seen.append(line)
    time.sleep(rng.uniform(0.0, 0.004))  # about one save's time: the kill lands anywhere in a save
    child.send_signal(signal.SIGKILL)
    seen.append(child.stdout.read())
    child.wait()
    assert child.returncode == -signal.SIGKILL
    return max(int(x) for x in "".join(seen).split())


def test_sigkill_during_hundreds_of_saves_never_leaves_a_torn_save(make_story, mini, tmp_path: Path) -> None:
    story_dir = make_story()
    save_dir = tmp_path / "saves"
    store = SaveStore(save_dir)
    rng = random.Random(1917)
    done = 0
    total = 0
    expected: dict[int, dict] = {}
    for _ in range(KILLS):
        finished = kill_during_saves(story_dir, save_dir, done, rng)
        total += finished - done
        for slot in ("slot", "autosave"):
            data = store.read(slot)  # raises SaveError if torn, empty or corrupt
            n = data["meta"]["n"]
            assert n in (finished, finished + 1), f"{slot}: holds save {n}, but {finished} was the last finished"
            if n not in expected:
                expected[n] = expected_state(mini, n)
            assert data["state"] == expected[n], f"{slot}: save {n} is not the state that was saved"
            assert store.load(slot, mini).scene == expected[n]["scene"]
        done = max(done, store.read("slot")["meta"]["n"])
        assert all(info.error is None for info in store.list(mini))
        # each new game autosaved over an unfinished one sets that one aside whole (game.save_keep)
        names = sorted(p.stem for p in save_dir.glob("*.json"))
        assert names[:1] == ["autosave"] and "slot" in names, names
        assert all(n in ("autosave", "slot") or n.startswith(("earlier game", "finished - ")) for n in names), names
    leftovers = [p.name for p in save_dir.iterdir() if p.name.endswith(".tmp")]
    print(f"{total} saves, {KILLS} kills, {len(leftovers)} half-written temporary files left behind")
    assert total >= 200, f"only {total} saves were made: the test did not exercise enough kills mid-save"


def _good(store: SaveStore, mini, name: str) -> None:
    state = new_game(mini, seed=3)
    state = choose(mini, state, "keep")
    store.write(name, mini, state, meta={"who": name})


DAMAGE = {
    "garbage": (lambda raw: os.urandom(300), "corrupt"),
    "truncated": (lambda raw: raw[: len(raw) // 2], "corrupt"),
    "empty": (lambda raw: b"", "empty"),
    "blank": (lambda raw: b"  \n\n", "empty"),
    "nul-filled": (lambda raw: bytes(len(raw)), "corrupt"),
    "not-json-object": (lambda raw: b"[1, 2, 3]", "not a Tauride save"),
    "other-format": (lambda raw: json.dumps({"format": "ink-save", "version": 1}).encode(), "not a Tauride save"),
    "newer-version": (lambda raw: raw.replace(b'"version": %d' % SAVE_VERSION, b'"version": 99'), "newer Tauride"),
    "too-old-version": (lambda raw: raw.replace(b'"version": %d' % SAVE_VERSION, b'"version": 0'), "too old"),
    "no-version": (lambda raw: raw.replace(b'"version": %d,' % SAVE_VERSION, b""), "no format version"),
    "wrong-story": (lambda raw: raw.replace(b'"id": "mini"', b'"id": "the-wire"'), "belongs to the story 'the-wire'"),
    "missing-state": (lambda raw: raw.replace(b'"state"', b'"stat"'), "damaged"),
    "bad-clock": (lambda raw: raw.replace(b'"clock": ', b'"clock": "x" ', 1), "damaged"),
    "removed-scene": (lambda raw: raw.replace(b'"scene": "b"', b'"scene": "gone"', 1), "no longer exists"),
    "invalid-utf8": (lambda raw: raw.replace(b"mini", b"\xff\xfe", 1), "corrupt"),
}


@pytest.mark.parametrize("kind", list(DAMAGE))
def test_a_damaged_save_gets_a_clear_message_and_the_rest_still_load(kind: str, mini, tmp_path: Path) -> None:
    store = SaveStore(tmp_path)
    for name in ("before", "victim", "after"):
        _good(store, mini, name)
    damage, phrase = DAMAGE[kind]
    victim = store.path("victim")
    victim.write_bytes(damage(victim.read_bytes()))

    with pytest.raises(SaveError) as err:
        store.load("victim", mini)
    assert str(victim) in str(err.value)
    assert phrase in str(err.value)
    assert "Traceback" not in str(err.value)

    listing = {info.name: info for info in store.list(mini)}
    assert listing["victim"].error is not None and phrase in listing["victim"].error
    for name in ("before", "after"):
        assert listing[name].error is None
        assert store.load(name, mini).scene == "b"
