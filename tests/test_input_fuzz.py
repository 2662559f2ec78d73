"""Fuzzers: the YAML reader, the loader and the expression language never answer with a traceback.

- Property tests (hypothesis) over the reader: any text is read or refused
  with places; any plain data written as YAML (plainly, or with every value
  tagged as `canonical` YAML writes it) reads back exactly; a value given a
  core tag is read as that tag says or refused in place; huge numbers, deep
  nesting and aliases are bounded.
- A property over effects: `+=` and `-=` stay within ±MAX_INT or raise
  ExprRuntimeError, like every other sum.
- A bounded, seeded mutation fuzz of the shipped story (`story_fuzz.py`):
  its files' text and YAML structure broken at random, each result loaded.

CI runs a bounded number of examples and rounds (well under a minute on
this machine's two cores); the `slow` variants run many more. A failing
fuzz round prints the seed that replays it.
"""

from __future__ import annotations

import copy
import math
import os
import re
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from game.story import StoryError
from game.story import expr as ex
from game.story.yamlsrc import MAX_DEPTH, read_yaml
from tests.conftest import MINI_MANIFEST, MINI_SCENES, SCENES
from tests.story_fuzz import fuzz
from tests.story_input import load_named

_QUIET = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
CI = settings(max_examples=200, deadline=None, suppress_health_check=_QUIET)
LONG = settings(max_examples=5000, deadline=None, suppress_health_check=_QUIET)
_DUMPER: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
"""libyaml's writer: the pure-Python one would be most of these tests' time."""
FUZZ_ROUNDS = 40
"""Rounds of the shipped-story mutation fuzz in CI (about 0.15 s each on an idle machine)."""
FUZZ_ROUNDS_SLOW = 3000

_PLACE = re.compile(r"^x\.yaml:(\d+):(\d+): \S")

# ---------------------------------------------------------------- the reader


def assert_placed(src: Any, text: str) -> None:
    lines = text.count("\n") + 2
    for p in src.problems:
        m = _PLACE.match(str(p))
        assert m, f"no place in {p}"
        assert 1 <= int(m[1]) <= lines and int(m[2]) >= 1, str(p)


@CI
@given(text=st.text(max_size=300))
def test_any_text_is_read_or_refused_with_places(text: str) -> None:
    src = read_yaml("x.yaml", text)
    assert_placed(src, text)
    assert src.problems or src.data is not None


keys = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=8)
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**30), 10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x85\u2028\u2029\ufeff"),
            max_size=20),
)
plain_data = st.recursive(scalars, lambda kids: st.one_of(st.lists(kids, max_size=4),
                                                          st.dictionaries(keys, kids, max_size=4)),
                          max_leaves=25)


def same(a: Any, b: Any) -> bool:
    """Equal, and of the same types all the way down (True is not 1, 1.0 is not 1)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    return bool(a == b)


@CI
@given(data=plain_data, canonical=st.booleans())
def test_plain_data_written_as_yaml_reads_back_exactly(data: Any, canonical: bool) -> None:
    """`canonical` YAML tags every value (`!!int "12"`, `!!str "yes"`, `!!null ""`): tags are honoured exactly."""
    text = yaml.dump({"v": data}, Dumper=_DUMPER, allow_unicode=True, canonical=canonical)
    src = read_yaml("x.yaml", text)
    assume(not any("too long" in p.message for p in src.problems))  # a float of over 100 digits
    assert src.problems == [], (text, [str(p) for p in src.problems])
    assert same(src.data, {"v": data}), (text, src.data)


_CORE = {"!!str": str, "!!int": int, "!!float": float, "!!bool": bool, "!!null": type(None)}


@CI
@given(tag=st.sampled_from(sorted(_CORE) + ["!!map", "!!seq", "!", "!!python/object:os.system", "!x"]),
       value=st.one_of(st.sampled_from(["12", "-3", "2.5", "true", "false", "~", "null", "", "x", "16:00", "yes",
                                        "'7'", "9" * 200, ".inf", "[1]", "{a: 1}"]),
                       st.text(alphabet="abc019.-_ ", max_size=6)))
def test_a_tagged_value_is_read_as_its_tag_says_or_refused_in_place(tag: str, value: str) -> None:
    text = f"a: 1\nb: {tag} {value}\n"
    src = read_yaml("x.yaml", text)
    assert_placed(src, text)
    if src.problems:
        assert src.data is None or src.data.get("b") is None
        assert all(p.line == 2 for p in src.problems), [str(p) for p in src.problems]
        return
    got = src.data["b"]
    if tag in _CORE:
        assert type(got) is _CORE[tag], (text, got)
    elif tag == "!!map":
        assert isinstance(got, dict)
    elif tag == "!!seq":
        assert isinstance(got, list)


@CI
@given(depth=st.integers(1, 400), kind=st.sampled_from(["[", "{a: ", "- "]), alias=st.booleans())
def test_deep_nesting_and_aliases_are_bounded(depth: int, kind: str, alias: bool) -> None:
    if kind == "- ":
        text = "".join("  " * i + "- \n" for i in range(depth)) + "  " * depth + "x\n"
    else:
        close = "]" if kind == "[" else "}"
        text = "v: &a " + kind * depth + "1" + close * depth + "\n" + ("w: [*a, *a, *a]\n" if alias else "")
    src = read_yaml("x.yaml", text)
    assert_placed(src, text)
    # The deepest value sits under the top mapping and `depth` levels (a block list has no top mapping);
    # an alias repeats its anchor's depth under `w: [` (two levels).
    deepest = depth if kind == "- " else depth + 1
    if alias and kind != "- ":
        deepest = max(deepest, depth + 2)
    if deepest <= MAX_DEPTH:
        assert src.problems == []
    else:
        assert src.problems and any("nested more than" in p.message or "maximum nesting depth" in p.message
                                    for p in src.problems)


@CI
@given(digits=st.integers(90, 20_000), sign=st.sampled_from(["", "-"]), where=st.sampled_from(["value", "list", "tagged"]))
def test_a_number_of_any_length_is_read_or_refused_in_place(digits: int, sign: str, where: str) -> None:
    number = sign + "7" * digits
    text = {"value": f"a: {number}\n", "list": f"a: [1, {number}]\n", "tagged": f"a: !!int {number}\n"}[where]
    src = read_yaml("x.yaml", text)
    assert_placed(src, text)
    if len(number) <= 100:
        assert src.problems == [] and str(number) in repr(src.data)
    else:
        assert [p.message.split(";")[0] for p in src.problems] == [
            f"a number of {len(number):,} characters is too long (at most 100)"]


# ---------------------------------------------------------------- the loader, any value anywhere


def _places(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(data, dict):
        for k, v in data.items():
            out += _places(v, prefix + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += _places(v, prefix + (i,))
    return out


_MINI = {"story.yaml": read_yaml("story.yaml", MINI_MANIFEST).data, "16.yaml": read_yaml("16.yaml", MINI_SCENES).data}
_MINI_PLACES = [(name, place) for name, data in _MINI.items() for place in _places(data)]


@settings(CI, max_examples=100)
@given(where=st.sampled_from(_MINI_PLACES), value=plain_data, rename=st.booleans())
def test_any_value_at_any_place_of_a_story_loads_or_is_placed(tmp_path_factory: Any, where: Any, value: Any,
                                                              rename: bool) -> None:
    """The shape the loader meets is anything YAML can hold: `type: [int]`, `choices: {}`, `default: ~`…"""
    name, place = where
    data = copy.deepcopy(_MINI)
    parent = data[name]
    for step in place[:-1]:
        parent = parent[step]
    if rename and isinstance(parent, dict):
        parent[str(value)[:12] or "x"] = parent.pop(place[-1])
    else:
        parent[place[-1]] = value
    folder = _mini_folder(tmp_path_factory)
    contents = {n: yaml.dump(d, Dumper=_DUMPER, allow_unicode=True).encode() for n, d in data.items()}
    try:
        load_named(folder, contents)
    except StoryError as err:
        assert err.problems
        for p in err.problems:
            assert re.match(r"^.+?:\d+:\d+: \S", str(p)) and p.line >= 1 and p.col >= 1, str(p)


_FOLDER: dict[str, str] = {}


def _mini_folder(factory: Any) -> str:
    """One folder with the mini story's file names (the loader lists it; the contents are handed over)."""
    if "mini" not in _FOLDER:
        folder = factory.mktemp("mini")
        for n in _MINI:
            (folder / n).write_text("{}\n")
        _FOLDER["mini"] = str(folder)
    return _FOLDER["mini"]


# ---------------------------------------------------------------- compound assignment


@CI
@given(old=st.integers(-ex.MAX_INT, ex.MAX_INT), value=st.integers(-ex.MAX_INT, ex.MAX_INT),
       op=st.sampled_from(["+=", "-=", "="]))
def test_compound_assignment_is_bounded_or_refused(old: int, value: int, op: str) -> None:
    try:
        new = ex.assign(op, old, value)
    except ex.ExprRuntimeError as err:
        assert op != "=" and "out of bounds" in str(err)
        exact = old + value if op == "+=" else old - value
        assert abs(exact) > ex.MAX_INT
        return
    assert -ex.MAX_INT <= int(new) <= ex.MAX_INT


# ---------------------------------------------------------------- the shipped story, mutated


def _report(findings: list[Any]) -> str:
    return "\n\n".join(str(f)[:3000] for f in findings[:3])


def test_the_shipped_story_mutated_loads_or_is_placed() -> None:
    """Seeded: the same rounds every run, so a failure replays (`story_fuzz.run_round(folder, texts, seed)`)."""
    findings = fuzz(str(SCENES), range(FUZZ_ROUNDS))
    assert not findings, _report(findings)


@pytest.mark.slow
def test_the_shipped_story_mutated_many_times_loads_or_is_placed() -> None:
    start = int(os.environ.get("TAURIDE_FUZZ_SEED", "1000"))
    findings = fuzz(str(SCENES), range(start, start + FUZZ_ROUNDS_SLOW))
    assert not findings, _report(findings)


@pytest.mark.slow
@LONG
@given(data=plain_data, canonical=st.booleans())
def test_much_plain_data_reads_back_exactly(data: Any, canonical: bool) -> None:
    test_plain_data_written_as_yaml_reads_back_exactly.hypothesis.inner_test(data, canonical)  # type: ignore[attr-defined]


@pytest.mark.slow
@LONG
@given(where=st.sampled_from(_MINI_PLACES), value=plain_data, rename=st.booleans())
def test_many_values_at_any_place_load_or_are_placed(tmp_path_factory: Any, where: Any, value: Any, rename: bool) -> None:
    test_any_value_at_any_place_of_a_story_loads_or_is_placed.hypothesis.inner_test(  # type: ignore[attr-defined]
        tmp_path_factory, where, value, rename)


@pytest.mark.slow
@LONG
@given(text=st.text(max_size=2000))
def test_much_text_is_read_or_refused_with_places(text: str) -> None:
    test_any_text_is_read_or_refused_with_places.hypothesis.inner_test(text)  # type: ignore[attr-defined]
