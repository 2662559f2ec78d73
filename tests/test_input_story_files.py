"""Bad story files give positioned problems, never a traceback (issue 11, story files).

Each case is a file a writer (or a careless copy-paste) can produce; before
these fixes each one raised out of `load_story` (ValueError, TypeError) or
failed with "0 error(s)" and no message at all.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from game.story import StoryError
from game.story.yamlsrc import read_yaml
from tests.conftest import MINI_MANIFEST, MINI_SCENES
from tests.story_input import load_dir

HUGE = "9" * 5000


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(StoryError) as info:
        load_dir(str(folder))
    assert info.value.problems, "a story that fails to load must say why"
    return [f"{Path(p.path).name}:{p.line}:{p.col}: {p.message}" for p in info.value.problems]


# ------------------------------------------------------------------ huge integers


@pytest.mark.parametrize("where", ["story.yaml", "16.yaml"])
def test_an_integer_of_5000_digits_is_a_positioned_problem(make_story, where: str) -> None:
    files = {"story.yaml": MINI_MANIFEST, "16.yaml": MINI_SCENES}
    files[where] += f"extra: {HUGE}\n"
    line = files[where].count("\n")
    found = problems_of(make_story(files))
    assert found[0] == (f"{where}:{line}:8: a number of 5,000 characters is too long (at most 100); numbers in a story "
                        "stay within ±1,000,000,000,000. Quote it if it is meant as text")
    assert len(found) == 1  # not also "unknown key 'extra'" for a value already refused… the key is reported once


def test_a_huge_default_is_refused_once_not_also_as_a_wrong_type(make_story) -> None:
    manifest = MINI_MANIFEST.replace("default: 2,", f"default: {HUGE},")
    found = problems_of(make_story({"story.yaml": manifest, "16.yaml": MINI_SCENES}))
    assert len(found) == 1 and found[0].startswith("story.yaml:7:33: a number of 5,000 characters is too long")


def test_a_huge_number_inside_an_anchor_and_alias_is_refused_with_its_place() -> None:
    src = read_yaml("x.yaml", f"a: &n [1, {HUGE}]\nb: *n\n")
    assert [(p.line, p.col) for p in src.problems] == [(1, 11)]


def test_validate_play_and_serve_report_a_huge_integer_and_exit_cleanly(make_story) -> None:
    folder = make_story({"story.yaml": MINI_MANIFEST + f"big: {HUGE}\n", "16.yaml": MINI_SCENES})
    for args in (["validate", str(folder)], ["play", "--plain", "--scenes", str(folder)],
                 ["serve", "--scenes", str(folder), "--port", "0"]):
        run = subprocess.run([sys.executable, "-m", "game", *args], input="quit\n", capture_output=True, text=True,
                             timeout=60)
        out = run.stdout + run.stderr
        assert "Traceback" not in out and run.returncode != 0, out
        assert "story.yaml:13:6: a number of 5,000 characters is too long" in out, out


# ------------------------------------------------------------------ variable types


@pytest.mark.parametrize(("written", "shown"), [("[int]", "['int']"), ("{}", "{}"), ("{a: [b]}", "{'a': ['b']}")])
def test_a_variable_type_that_is_a_list_or_mapping_is_one_positioned_problem(make_story, written: str, shown: str) -> None:
    manifest = MINI_MANIFEST.replace("resolve: {type: int,", f"resolve: {{type: {written},")
    found = problems_of(make_story({"story.yaml": manifest, "16.yaml": MINI_SCENES}))
    # one problem: the uses of `resolve` are not also reported as undeclared (its default says int)
    assert found == [f"story.yaml:7:19: 'type' in variable 'resolve': expected 'int', 'bool' or 'str', found {shown}"]


# ------------------------------------------------------------------ empty manifests


@pytest.mark.parametrize("text", ["~\n", "null\n", "---\n", "--- ~\n", "", "# nothing yet\n"])
def test_a_story_yaml_holding_nothing_says_so(make_story, text: str) -> None:
    found = problems_of(make_story({"story.yaml": text, "16.yaml": MINI_SCENES}))
    assert found == ["story.yaml:1:1: story.yaml is empty; it must give at least title, id, start, clock "
                     "(and usually variables)"]


def test_validate_of_an_empty_story_yaml_prints_the_problem(make_story) -> None:
    folder = make_story({"story.yaml": "~\n", "16.yaml": MINI_SCENES})
    run = subprocess.run([sys.executable, "-m", "game", "validate", str(folder)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 1
    assert "story.yaml:1:1: story.yaml is empty" in run.stdout + run.stderr
    assert "1 error(s)" in run.stdout + run.stderr


def test_a_scene_file_holding_only_null_is_an_empty_file() -> None:
    for text in ("~\n", "null\n", "---\n"):
        src = read_yaml("x.yaml", text)
        assert src.problems == [] and src.data == {}


# ------------------------------------------------------------------ core tags: honoured exactly, or refused


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("!!str 123", "123"),
        ("!!str true", "true"),
        ("!!str", ""),
        ("! 123", "123"),
        ('!!int "7"', 7),
        ("!!int -12", -12),
        ("!!float 2", 2.0),
        ("!!float 2.5", 2.5),
        ("!!bool false", False),
        ("!!null ~", None),
        ("!!null", None),
    ],
)
def test_core_tags_are_honoured_exactly(value: str, expected: object) -> None:
    src = read_yaml("x.yaml", f"a: {value}\n")
    assert src.problems == []
    assert src.data["a"] == expected and type(src.data["a"]) is type(expected)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("!!null x", "the tag '!!null' needs null (~ or nothing), but the value is 'x'"),
        ("!!int 12abc", "the tag '!!int' needs a whole number such as 12, but the value is '12abc'"),
        ("!!int 2.5", "the tag '!!int' needs a whole number such as 12, but the value is '2.5'"),
        ("!!bool yes", "the tag '!!bool' needs true or false, but the value is 'yes'"),
        ("!!float .inf", "the tag '!!float' needs a number such as 2.5, but the value is '.inf'"),
        ("!!map x", "the tag '!!map' is for a mapping, not a single value"),
        ("!!seq {a: 1}", "the tag '!!seq' cannot be given to a mapping"),
        ("!!str [1]", "the tag '!!str' cannot be given to a list"),
        (f"!!int {HUGE}", "a number of 5,000 characters is too long"),
    ],
)
def test_core_tags_that_do_not_fit_their_value_are_refused_with_a_place(value: str, message: str) -> None:
    src = read_yaml("x.yaml", f"b: 1\na: {value}\n")
    assert len(src.problems) == 1
    assert str(src.problems[0]).startswith(f"x.yaml:2:4: {message}")
    assert src.data["a"] is None and ("a",) in src.refused


def test_a_tagged_key_other_than_str_is_refused() -> None:
    src = read_yaml("x.yaml", "!!int 1: a\n!!str 2: b\n")
    assert [str(p) for p in src.problems] == [
        "x.yaml:1:1: a key must be a plain word; the tag '!!int' is not allowed on a key"]
    assert src.data == {"2": "b"}


def test_a_refused_tag_on_a_manifest_key_is_reported_once(make_story) -> None:
    manifest = MINI_MANIFEST.replace("title: Mini", "title: !!null x")
    found = problems_of(make_story({"story.yaml": manifest, "16.yaml": MINI_SCENES}))
    assert found == ["story.yaml:1:8: the tag '!!null' needs null (~ or nothing), but the value is 'x'"]


def test_str_tag_makes_a_numeric_title_text(make_story) -> None:
    manifest = MINI_MANIFEST.replace("title: Mini", "title: !!str 1917")
    story = load_dir(str(make_story({"story.yaml": manifest, "16.yaml": MINI_SCENES})))
    assert story.title == "1917"
