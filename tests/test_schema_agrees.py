"""The JSON Schema editors use (`tauride schema`) accepts exactly the shapes the loader accepts.

Checked with a real validator (`jsonschema`) in the draft the schema declares:
every valid story file passes, every shape-invalid case fails, and a table
of edge cases (one item or a list, booleans, ranges, bare true/false
conditions) gets the same answer from both.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from game.story.file_shape import check_file
from game.story.loader import read_yaml
from game.story.problems import Problem
from game.story.schema import JSON_SCHEMA_DRAFT, json_schema
from game.tools.new import scaffold

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json_schema()
VALIDATOR_CLASS = jsonschema.validators.validator_for(SCHEMA)
VALIDATOR = VALIDATOR_CLASS(SCHEMA, format_checker=VALIDATOR_CLASS.FORMAT_CHECKER)


def loader_shape_problems(name: str, text: bytes) -> list[Problem] | None:
    """The loader's shape problems for a file (None when it is not even YAML the loader reads)."""
    src = read_yaml(name, text)
    if src.problems or src.data is None:
        return None
    problems: list[Problem] = []
    check_file(src, True, problems)
    # Which keys story.yaml must have is a rule of the file's role, not of its shape: one schema serves every file.
    return [p for p in problems if not p.message.startswith("story.yaml is missing")]


def schema_errors(name: str, text: bytes) -> list[str]:
    data = read_yaml(name, text).data
    return [e.message for e in VALIDATOR.iter_errors(data)]


def test_the_schema_declares_the_draft_it_is_written_in() -> None:
    assert SCHEMA["$schema"] == JSON_SCHEMA_DRAFT == jsonschema.Draft202012Validator.META_SCHEMA["$id"]
    assert VALIDATOR_CLASS is jsonschema.Draft202012Validator
    VALIDATOR_CLASS.check_schema(SCHEMA)


def _valid_story_files(tmp: Path) -> list[Path]:
    scaffold(tmp / "new-story", "A new story")
    scaffold(tmp / "new-history", "A new history", history=True)
    files = sorted((ROOT / "scenes").glob("*.yaml")) + sorted(tmp.rglob("*.yaml"))
    files += sorted(p for p in (ROOT / "tests").rglob("*.yaml") if "cases" not in p.parts and "hostile" not in p.parts)
    return files


def test_every_valid_story_file_passes_the_schema(tmp_path: Path) -> None:
    files = _valid_story_files(tmp_path)
    assert len(files) >= 12
    for path in files:
        text = path.read_bytes()
        assert loader_shape_problems(path.name, text) == [], path
        assert schema_errors(path.name, text) == [], path


INVALID = sorted((ROOT / "tests" / "cases" / "invalid").glob("*.yaml"))


@pytest.mark.parametrize("case", INVALID, ids=lambda p: p.stem)
def test_each_invalid_case_gets_the_same_answer_from_the_schema(case: Path) -> None:
    """A case whose shape the loader refuses fails the schema; a case wrong only in meaning passes it."""
    text = case.read_bytes()
    problems = loader_shape_problems(case.name, text)
    if problems is None:
        pytest.skip("not YAML the loader reads: no schema applies")
    assert bool(problems) == bool(schema_errors(case.name, text)), (problems, schema_errors(case.name, text))


def test_some_invalid_cases_are_shape_invalid() -> None:
    shape_invalid = [c.stem for c in INVALID if loader_shape_problems(c.name, c.read_bytes())]
    assert {"missing-required-key", "unknown-key-suggests-a-name", "bad-time-format"} <= set(shape_invalid)


def _story(choice: dict[str, Any] | None = None, variable: dict[str, Any] | None = None,
           event: dict[str, Any] | None = None) -> bytes:
    c = {"id": "go", "text": "Go", "goto": "b", **(choice or {})}
    data: dict[str, Any] = {
        "variables": {"n": {"type": "int", "default": 0, **(variable or {})}},
        "scenes": [{"id": "a", "title": "A", "text": "x", "choices": [c]},
                   {"id": "b", "title": "B", "text": "y", "ending": {"title": "E", "epilogue": "e", "history": "h"}}],
    }
    if event is not None:
        data["events"] = [{"id": "e", "goto": "b", **event}]
    return yaml.safe_dump(data).encode()


EDGE_CASES: list[tuple[str, bytes, bool]] = [
    ("effects as one string", _story({"effects": "n += 1"}), True),
    ("effects as a list", _story({"effects": ["n += 1", "n -= 1"]}), True),
    ("effects as a number", _story({"effects": 3}), False),
    ("effects as a list holding a number", _story({"effects": [3]}), False),
    ("once: true", _story({"once": True}), True),
    ("once: 'yes' (text)", _story({"once": "yes"}), False),
    ("once: 1", _story({"once": 1}), False),
    ("once: 'off'", _story({"once": "off"}), False),
    ("if: false as a boolean", _story({"if": False}), True),
    ("if: true as a boolean", _story({"if": True}), True),
    ("if: as an expression", _story({"if": "n > 1"}), True),
    ("if: a number", _story({"if": 3}), False),
    ("selectable_if: false as a boolean", _story({"selectable_if": False, "locked": "No."}), True),
    ("event when: true as a boolean", _story(event={"when": True}), True),
    ("event once: 'no' (text)", _story(event={"when": "n > 1", "once": "no"}), False),
    ("range of two whole numbers", _story(variable={"range": [0, 3]}), True),
    ("range of one number", _story(variable={"range": [0]}), False),
    ("range of three numbers", _story(variable={"range": [0, 1, 2]}), False),
    ("range with text", _story(variable={"range": ["0", "3"]}), False),
    ("range with true", _story(variable={"range": [True, 3]}), False),
    ("range with a fraction", _story(variable={"range": [0.5, 3]}), False),
    ("clamp: true", _story(variable={"range": [0, 3], "clamp": True}), True),
    ("clamp: 'yes'", _story(variable={"range": [0, 3], "clamp": "yes"}), False),
    ("shown: 0", _story(variable={"shown": 0}), False),
    ("an unknown key", _story({"colour": "red"}), False),
    ("a misspelt choice id", _story({"id": "2go"}), False),
    ("a cost that is not a duration", _story({"cost": "soon"}), False),
    ("a cost in hours and minutes", _story({"cost": "1h30m"}), True),
]


@pytest.mark.parametrize("label,text,valid", EDGE_CASES, ids=[c[0] for c in EDGE_CASES])
def test_edge_cases_agree_both_ways(label: str, text: bytes, valid: bool) -> None:
    problems = loader_shape_problems("story.yaml", text)
    assert problems is not None
    assert (problems == []) is valid, problems
    assert (schema_errors("story.yaml", text) == []) is valid, schema_errors("story.yaml", text)
