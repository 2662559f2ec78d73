"""The fast shape check (`shape.py`) never accepts what pydantic (`schema.py`) would refuse or read otherwise.

The loader trusts `shape.check` for the items it accepts and asks pydantic
about the rest, so one wrong acceptance would let a broken item load (or
load with another value). These tests hold its tables to the models' fields,
run both on every item of real stories, and on items mutated at random.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from benchmarks.gen import write_story
from game.story import schema, shape
from game.story.yamlsrc import read_yaml

REPO = Path(__file__).resolve().parent.parent
CI = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LONG = settings(max_examples=20_000, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def plain(value: Any) -> Any:
    """A pydantic model or a Spec as nested plain data, types kept (True is not 1, a tuple is not a list)."""
    if isinstance(value, BaseModel):
        return ("model", {name: plain(getattr(value, name)) for name in type(value).model_fields})
    if isinstance(value, shape.Spec):
        return ("model", {name: plain(item) for name, item in vars(value).items()})
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, [plain(item) for item in value])
    if isinstance(value, dict):
        return ("dict", {key: plain(item) for key, item in value.items()})
    return (type(value).__name__, value)


def pydantic_reading(model: str, value: Any) -> Any:
    try:
        return plain(getattr(schema, model).model_validate(value))
    except ValidationError:
        return "refused"


def assert_agrees(model: str, value: Any) -> bool:
    """If the fast check accepts `value`, pydantic accepts it too, with the same result. True if accepted."""
    fast = shape.check(model, value)
    if fast is None:
        return False
    assert pydantic_reading(model, value) == plain(fast), (model, value)
    return True


@pytest.mark.parametrize("name", list(shape.MODELS))
def test_each_table_has_the_models_keys_and_defaults(name: str) -> None:
    fields = getattr(schema, name).model_fields
    table = shape.MODELS[name]
    assert set(table) == {f.alias or attr for attr, f in fields.items()}
    for key, (attr, _, default) in table.items():
        field = fields[attr]
        assert (field.alias or attr) == key
        if field.is_required():
            assert default is shape.REQUIRED, (name, key)
        else:
            expected = field.default_factory() if field.default_factory else field.default  # type: ignore[call-arg]
            got = default() if default in (list, dict) else default
            assert got == expected and type(got) is type(expected), (name, key)


def _items(folder: Path) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for path in sorted(folder.glob("*.yaml")):
        data = read_yaml(str(path)).data
        for key, model in (("scenes", "SceneSpec"), ("events", "EventSpec"), ("glossary", "GlossarySpec")):
            out += [(model, item) for item in data.get(key) or []]
        for scene in data.get("scenes") or []:
            out += [("ChoiceSpec", choice) for choice in scene.get("choices") or []]
            out += [(model, scene[key]) for key, model in (("history", "HistorySpec"), ("ending", "EndingSpec"))
                    if isinstance(scene.get(key), dict)]
        out += [(model, data[key]) for key, model in (("hour", "HourSpec"), ("clock", "ClockSpec")) if data.get(key)]
        for decl in (data.get("variables") or {}).values():
            out.append(("VariableSpec", decl))
        top = {k: v for k, v in data.items() if k not in ("scenes", "events", "glossary", "variables")}
        out.append(("StoryFile", top))
    return out


def test_every_item_of_the_shipped_story_is_read_alike_and_fast() -> None:
    items = _items(REPO / "scenes")
    assert len(items) > 100
    assert all(assert_agrees(model, item) for model, item in items)


def test_every_item_of_a_generated_story_is_read_alike_and_fast(tmp_path: Path) -> None:
    write_story(str(tmp_path), 200)
    assert all(assert_agrees(model, item) for model, item in _items(tmp_path))


_ODD = [None, True, False, 0, 1, -3, 2.5, "", " ", "x", "yes", "on", "1", "16:00", "24:00", "9:5", "1h30m", "1h 30m",
        "15m", "90min", "m", "1.5h", "abc", "a b", "9abc", "_x", "abc\n", "é", "person", "bool", "int", [], ["a"],
        ["a", 1], [1, 2], [0, 10], [True, 1], [1, 2, 3], {}, {"a": "b"}, {"note": "n"}, {"a": 1}, ("a",)]


def _mutations(model: str, most: int | None = None) -> st.SearchStrategy[Any]:
    table = shape.MODELS[model]
    keys = sorted(table) + ["if_", "extra", "Title", "selectable"]
    value = st.sampled_from(_ODD) | st.text(max_size=6)
    return st.dictionaries(st.sampled_from(keys), value | st.lists(value, max_size=3),
                           max_size=most or len(table) + 1)


@functools.lru_cache(maxsize=None)
def _shipped_items() -> list[tuple[str, Any]]:
    return _items(REPO / "scenes")


def _valid(model: str) -> st.SearchStrategy[Any]:
    """A valid item of `model` from a real story, with keys changed, dropped or added at random."""
    items = [item for m, item in _shipped_items() if m == model]

    @st.composite
    def mutate(draw: st.DrawFn) -> Any:
        item = dict(draw(st.sampled_from(items)))
        changes = draw(_mutations(model, 2))
        for key, new in changes.items():
            if draw(st.booleans()) and key in item:
                del item[key]
            else:
                item[key] = new
        return item

    return mutate()


MODELS = ["SceneSpec", "ChoiceSpec", "EventSpec", "GlossarySpec", "VariableSpec", "StoryFile", "HistorySpec",
          "EndingSpec", "HourSpec", "ClockSpec"]


@pytest.mark.parametrize("model", MODELS)
@CI
@given(data=st.data())
def test_random_items_are_never_accepted_wrongly(model: str, data: st.DataObject) -> None:
    assert_agrees(model, data.draw(_mutations(model)))


@pytest.mark.parametrize("model", MODELS)
def test_every_single_change_to_real_items_is_judged_alike(model: str) -> None:
    """Each key of a few real items dropped, or set to each odd value in turn (and to a list of it)."""
    items = [item for m, item in _shipped_items() if m == model][:4]
    assert items
    accepted = 0
    for item in items:
        for key in sorted(shape.MODELS[model]) + ["if_", "extra"]:
            accepted += assert_agrees(model, {k: v for k, v in item.items() if k != key})
            for odd in _ODD:
                accepted += assert_agrees(model, {**item, key: odd})
                accepted += assert_agrees(model, {**item, key: [odd]})
    assert accepted  # the comparison was made, not only refusals


@pytest.mark.parametrize("model", MODELS)
@CI
@given(data=st.data())
def test_mutated_real_items_are_never_accepted_wrongly(model: str, data: st.DataObject) -> None:
    assert_agrees(model, data.draw(_valid(model)))


@pytest.mark.slow
@pytest.mark.parametrize("model", MODELS)
@LONG
@given(data=st.data())
def test_random_items_are_never_accepted_wrongly_long(model: str, data: st.DataObject) -> None:
    assert_agrees(model, data.draw(_mutations(model)))


def test_a_valid_story_loads_without_importing_pydantic(tmp_path: Path) -> None:
    import subprocess
    import sys

    write_story(str(tmp_path / "story"), 60)
    code = ("import sys; from game.story import load_story; load_folder(sys.argv[1]); "
            "print(sorted(m for m in ('pydantic', 'game.story.schema') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "story")], capture_output=True, text=True,
                         check=True, cwd=REPO, env=dict(os.environ, PYTHONPATH=str(REPO)))
    assert out.stdout.strip() == "[]"
