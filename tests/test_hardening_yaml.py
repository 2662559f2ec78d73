"""Plain YAML values a writer may type are text, never a refused 'tag'.

PyYAML's YAML 1.1 resolver tags `1917-07-04` as a timestamp and `=` as a
"value"; the loader used to refuse those as foreign tags, so a history note
or a glossary entry with a plain date failed to load with a confusing
message. Only explicitly written tags are refused.
"""

from __future__ import annotations

import pytest

from game.story.yamlsrc import read_yaml
from game.story_folder import load_folder


@pytest.mark.parametrize(
    "value",
    ["1917-07-04", "1917-07-04 16:00:00", "=", "<<", "2001-12-14t21:59:43.10-05:00", "0o17", ".inf", "1e3", "0x1F"],
)
def test_plain_value_is_text(value: str) -> None:
    src = read_yaml("x.yaml", f"note: {value}\n")
    assert src.problems == []
    assert src.data == {"note": value}


def test_a_date_in_a_glossary_entry_loads(make_story) -> None:
    from tests.conftest import MINI_MANIFEST, MINI_SCENES

    manifest = MINI_MANIFEST.replace("text: The great hall.", "text: 1917-07-04")
    story = load_folder(str(make_story({"story.yaml": manifest, "16.yaml": MINI_SCENES})))
    assert story.glossary["hall"].text == "1917-07-04"


def test_explicit_tags_are_still_refused_with_a_place() -> None:
    src = read_yaml("x.yaml", "a: 1\nb: !!timestamp 1917-07-04\n")
    assert [str(p) for p in src.problems] == [
        "x.yaml:2:4: the tag '!!timestamp' is not allowed; scene files hold plain data only"
    ]


def test_merge_key_is_refused_but_merge_text_is_not() -> None:
    src = read_yaml("x.yaml", "base: {a: 1}\nother:\n  <<: {a: 1}\n  b: <<\n")
    assert [str(p) for p in src.problems] == ["x.yaml:3:3: merge keys ('<<') are not supported; write the keys out"]
    assert src.data["other"] == {"b": "<<"}


def test_scalars_keep_the_documented_small_schema() -> None:
    src = read_yaml("x.yaml", "a: [true, False, null, ~, 12, -3, 1_000, 2.5, '7', 16:00, yes, on, +1]\n")
    assert src.data["a"] == [True, False, None, None, 12, -3, 1000, 2.5, "7", "16:00", "yes", "on", "+1"]
