"""Stories that must fail to load, one rule per file (tests/cases/invalid/<rule>.yaml).

Each case is one scene file, loaded beside the mini story's manifest. Its
`# expect: LINE:COL: message` comments give the errors that must be reported,
word for word, at exactly that line and column; a case passes only if they are
exactly the errors reported for the file (none missing, none extra, each once).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from game.story import Severity, StoryError
from game.story_folder import load_folder
from tests.conftest import MINI_MANIFEST

CASES = sorted((Path(__file__).parent / "cases" / "invalid").glob("*.yaml"))


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_invalid_story_reports_each_error_with_its_position(case: Path, make_story) -> None:
    text = case.read_text(encoding="utf-8")
    expected = re.findall(r"^# expect: (.+)$", text, re.M)
    assert expected, f"{case.name} has no '# expect:' line"
    folder = make_story({"story.yaml": MINI_MANIFEST, "scenes.yaml": text})
    with pytest.raises(StoryError) as info:
        load_folder(str(folder))
    reported = [f"{p.line}:{p.col}: {p.message}".replace(f"{folder}{os.sep}", "") for p in info.value.problems
                if p.path.endswith("scenes.yaml") and p.severity is Severity.ERROR]
    assert sorted(reported) == sorted(expected), "reported:\n" + "\n".join(reported)


def test_a_misspelt_key_is_one_error_not_two(make_story) -> None:
    """'titel' is unknown *and* leaves 'title' missing; the writer needs to hear only about the typo."""
    folder = make_story({"story.yaml": MINI_MANIFEST, "scenes.yaml": (
        "scenes:\n  - id: a\n    titel: A\n    text: x\n    ending: {title: E, epilogue: e, history: h}\n")})
    with pytest.raises(StoryError) as info:
        load_folder(str(folder))
    assert [f"{p.line}:{p.col}: {p.message}" for p in info.value.problems] == [
        "3:5: unknown key 'titel' in scene 'a'. Did you mean 'title'? Expected one of: "
        "id, title, text, time, advance, place, effects, history, discussion, choices, ending, witness, terms"
    ]


def test_references_to_a_broken_scene_are_not_errors_too(make_story) -> None:
    """A scene with a reported shape error still exists: visited() and chosen() of it must not pile on."""
    folder = make_story({"story.yaml": MINI_MANIFEST, "scenes.yaml": (
        "scenes:\n"
        "  - id: a\n    title: A\n    text: '{if visited(b) > 0 or chosen(b.go)}x{/if}'\n"
        "    choices: [{id: go, text: Go, goto: b}]\n"
        "  - id: b\n    title: B\n    text: y\n    cost: 5m\n"
        "    choices: [{id: go, text: Go, goto: a}]\n")})
    with pytest.raises(StoryError) as info:
        load_folder(str(folder))
    assert [p.message for p in info.value.problems] == [
        "unknown key 'cost' in scene 'b'. Expected one of: "
        "id, title, text, time, advance, place, effects, history, discussion, choices, ending, witness, terms"
    ]


def the_one_error(make_story, manifest: str, text: str) -> str:  # type: ignore[no-untyped-def]
    """The message of the one error a story with `manifest` and one ending scene of `text` gets."""
    folder = make_story({"story.yaml": manifest, "scenes.yaml": "scenes:\n  - id: a\n    title: A\n"
                         f"    text: {text}\n    ending: {{title: E, epilogue: e, history: h}}\n"})
    with pytest.raises(StoryError) as info:
        load_folder(str(folder))
    (problem,) = [p for p in info.value.problems if p.severity is Severity.ERROR]
    return problem.message


def test_a_value_of_a_wrong_form_is_one_error_naming_every_form_it_may_take(make_story) -> None:
    """A variable's default may be a number, text or true/false; 2.5 failed each, and was three errors at one
    place. It is one, in the format's words (pydantic's name its classes and Python's types)."""
    manifest = MINI_MANIFEST.replace("resolve: {type: int, default: 2,", "resolve: {type: int, default: 2.5,")
    assert the_one_error(make_story, manifest, "x") == ("'default' in variable 'resolve': expected a whole number, true or false (not yes/no, "
                               "on/off, 1/0 or text in quotes), or text, found 2.5")


def test_a_type_written_for_a_declaration_is_one_error_not_one_at_every_use(make_story) -> None:
    """`secret: bool` is wrong (a declaration is a mapping), but meant as a boolean: its uses are not also told
    'secret' is undeclared."""
    manifest = MINI_MANIFEST.replace("secret: {type: bool, default: false}", "secret: bool")
    assert the_one_error(make_story, manifest, "'{if secret}s{/if}'") == "variable 'secret': expected keys with their values (a mapping), found 'bool'"
