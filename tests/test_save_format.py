"""Every save is validated completely on load (game.save_format): each damage refused by name, with a reason.

Each case damages one save of three; the damaged one is refused naming its
file and what is wrong, and the other two still list and load. A damaged
autosave never stops the full-screen game from starting.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

import pytest
from tui_helpers import make_app, settle

from game import engine
from game.save_format import SaveFile
from game.saves import SaveError, SaveStore, check_save


def _set(path: str, value: Any) -> Callable[[dict], None]:
    def damage(data: dict) -> None:
        keys = path.split(".")
        target = data
        for k in keys[:-1]:
            target = target[int(k)] if isinstance(target, list) else target[k]
        target[keys[-1] if not isinstance(target, list) else int(keys[-1])] = value
    return damage


RAW = {  # damage done to the file's text, for what json.dumps cannot write
    "deep nesting": (lambda t: t.replace('"kind": "play"', '"kind": "play", "x": ' + "[" * 50_000 + "]" * 50_000),
                     "nested too deeply to be a save"),
    "moderate nesting": (lambda t: t.replace('"kind": "play"', '"kind": "play", "x": ' + "[" * 100 + "]" * 100),
                         "nested more than 32 levels deep; no save is"),
    "1e999": (lambda t: t.replace('"clock": 960', '"clock": 1e999', 1),
              "it holds the number 1e999, but a save only holds whole numbers"),
    "Infinity": (lambda t: t.replace('"rng": ', '"rng": Infinity, "x": ', 1), "it holds Infinity"),
    "5000 digits": (lambda t: t.replace('"clock": 960', '"clock": ' + "9" * 5000, 1),
                    "it holds a number of 5000 digits; a save's numbers have at most 20"),
}

DATA = {  # damage done to the parsed save
    "story is a string": (_set("story", "x"), "the save is damaged: story is \"x\": input should be an object in braces ({...})"),
    "saved_at not a string": (_set("saved_at", 12), "saved_at is 12: input should be a valid string"),
    "saved_at not a time": (_set("saved_at", "yesterday"), "'yesterday' is not a date and time"),
    "version true": (_set("version", True), "the save's format version is true, not a whole number"),
    "variable out of range": (_set("state.vars.resolve", 99), "the variable 'resolve' holds 99, outside its range 0 to 5"),
    "variable of the wrong type": (_set("state.vars.secret", "yes"),
                                   "the variable 'secret' holds \"yes\", but the story declares it true or false"),
    "variable a list": (_set("state.vars.resolve", [1]), "state.vars.resolve"),
    "variable past the bound": (_set("state.vars.resolve", 10**15), "state.vars.resolve"),
    "log names a missing scene": (_set("state.log.0.scene", "cut"),
                                  "step 1 of the log names the scene 'cut', which is not in this story"),
    "log names a missing choice": (_set("state.log.0.choice", "burn"),
                                   "step 1 of the log names the choice 'burn' of the scene 'a', which that scene does not have"),
    "log names a missing event": (_set("state.log.0.event", "flood"), "names the event 'flood', which is not in this story"),
    "origin in a missing scene": (_set("state.origin.scene", "prologue"), "began in the scene 'prologue'"),
    "override of the wrong type": (_set("state.origin.overrides", [["resolve", True]]),
                                   "the variable 'resolve' holds true, but the story declares it a whole number"),
    "clock negative": (_set("state.clock", -5), "state.clock is -5"),
    "rng a float string": (_set("state.rng", "12"), "state.rng is \"12\""),
    "log entry with a stray key": (_set("state.log.0.how", "x"), "state.log.0.how is not part of a save"),
    "visits negative": (_set("state.visits.a", -1), "state.visits.a is -1"),
    "meta a list": (_set("meta", [1]), "meta is list"),
}


def _good(store: SaveStore, mini, name: str) -> Path:
    state = engine.choose(mini, engine.new_game(mini, seed=3), "keep")
    return store.write(name, mini, state, meta={"who": name})


@pytest.mark.parametrize("kind", [*RAW, *DATA])
def test_each_damage_is_refused_by_name_and_the_other_saves_still_load(kind: str, mini, tmp_path: Path) -> None:
    store = SaveStore(tmp_path)
    for name in ("before", "victim", "after"):
        _good(store, mini, name)
    victim = store.path("victim")
    if kind in RAW:
        damage, phrase = RAW[kind]
        text = victim.read_text()
        victim.write_text(damage(text))
        assert victim.read_text() != text
    else:
        change, phrase = DATA[kind]
        data = json.loads(victim.read_text())
        change(data)
        victim.write_text(json.dumps(data))
    with pytest.raises(SaveError) as err:
        store.load("victim", mini)
    assert str(err.value).startswith(str(victim)) and phrase in str(err.value), str(err.value)
    listing = {info.name: info for info in store.list(mini)}
    assert listing["victim"].error == str(err.value)
    for name in ("before", "after"):
        assert listing[name].error is None and store.load(name, mini).scene == "b"


def test_a_message_lists_the_first_problems_and_counts_the_rest(mini, tmp_path: Path) -> None:
    store = SaveStore(tmp_path)
    path = _good(store, mini, "x")
    data = json.loads(path.read_text())
    data["state"]["log"] = [{"scene": f"s{i}", "choice": "c", "clock": 960} for i in range(7)]
    path.write_text(json.dumps(data))
    with pytest.raises(SaveError, match=r"scene 's2', which is not in this story; and 4 more$"):
        store.load("x", mini)


def test_a_save_the_game_writes_is_valid(mini, tmp_path: Path) -> None:
    store = SaveStore(tmp_path)
    path = _good(store, mini, "x")
    save = check_save(json.loads(path.read_text()), mini, "x")
    assert isinstance(save, SaveFile) and save.kind == "play" and save.state.log[0].choice == "keep"


async def test_a_damaged_autosave_never_stops_the_full_screen_game(mini, saves: Path) -> None:
    from game.tui.screens.play import PlayScreen
    from game.tui.screens.title import TitlePage

    (saves / "autosave.json").write_text('{"format": "tauride-save", "version": 1, "x": ' + "[" * 100_000)
    app = make_app(mini, saves)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.pause()
        page = app.screen.query_one(TitlePage)
        assert page.items[1].text == "c  Continue  (the autosave cannot be read)" and page.items[1].disabled
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen)
        await pilot.press("1")
        await settle(pilot)
    # the damaged file is kept aside, never written over
    assert (saves / "unreadable autosave.json").read_text().startswith('{"format": "tauride-save", "version": 1, "x": [[[')
    assert SaveStore(saves).load("autosave", mini).log[0].choice == "keep"


def _paths(data: Any, prefix: tuple = ()) -> list[tuple]:
    """Every place in a parsed save where a value sits."""
    out = [prefix] if prefix else []
    if isinstance(data, dict):
        for k, v in data.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += _paths(v, (*prefix, i))
    return out


def test_any_value_anywhere_in_a_save_is_loaded_or_refused_never_raised(mini, tmp_path_factory) -> None:
    """A bounded property test: put any JSON value at any place of a real save; loading it either gives a
    state the engine can play from, or a SaveError naming the file. Nothing else escapes."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    folder = tmp_path_factory.mktemp("fuzz")
    store = SaveStore(folder)
    state = engine.choose(mini, engine.new_game(mini, seed=3), "keep")
    state = engine.choose(mini, state, "wait")
    good = json.loads(store.write("x", mini, state, meta={"who": "A"}).read_text())
    places = _paths(good)
    leaves = st.recursive(
        st.none() | st.booleans() | st.integers(min_value=-(10**30), max_value=10**30) | st.text(max_size=8)
        | st.sampled_from(["a", "b", "fin", "keep", "wait", "end", "sail", "resolve", "secret", "mini", "1e999"]),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
        max_leaves=6,
    )

    @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(place=st.sampled_from(places), value=leaves)
    def mutate(place: tuple, value: Any) -> None:
        data = json.loads(json.dumps(good))
        target = data
        for key in place[:-1]:
            target = target[key]
        target[place[-1]] = value
        (folder / "m.json").write_text(json.dumps(data))
        try:
            loaded = store.load("m", mini)
        except SaveError as err:
            assert str(err).startswith(str(folder / "m.json"))
            return
        engine.choices(mini, loaded)  # a state that loads can be played from
        engine.scene_text(mini, loaded)

    mutate()


def test_the_title_reads_the_autosave_for_its_first_frame_without_importing_pydantic(mini, tmp_path: Path) -> None:
    """The full check imports pydantic (~0.2 s): the title's first frame uses `glance`, and the check follows."""
    import subprocess
    import sys

    from game.story_cache import StoryCache
    from game.story_folder import load_folder

    store = SaveStore(tmp_path)
    store.autosave(mini, engine.choose(mini, engine.new_game(mini, seed=1), "keep"))
    cache = tmp_path / "cache"
    load_folder(str(mini.root), StoryCache(cache))  # a player's start finds the story in the cache
    code = (
        "import sys\n"
        "from game.story_cache import StoryCache\n"
        "from game.story_folder import load_folder\n"
        "from game.saves import SaveStore, glance\n"
        "import game.tui.screens.title\n"
        f"story = load_folder({str(mini.root)!r}, StoryCache({str(cache)!r}))\n"
        f"info = glance(SaveStore({str(tmp_path)!r}).path('autosave'), story)\n"
        "print(info.clock, info.scene_title, info.steps, 'pydantic' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "16:15 The session 1 False", out.stderr
