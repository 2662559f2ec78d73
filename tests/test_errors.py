"""One root for every error Tauride raises on purpose: a shell catches `TaurideError` and shows it."""

from __future__ import annotations

import importlib

import pytest

from game.errors import ClassroomError, TaurideError

TREE = [
    ("game.story.problems", "StoryError", TaurideError),
    ("game.story.expr", "ExprError", TaurideError),
    ("game.story.template", "TemplateError", TaurideError),
    ("game.story.problems", "ExprRuntimeError", TaurideError),
    ("game.engine.step", "ChoiceError", TaurideError),
    ("game.engine.step", "RunError", TaurideError),
    ("game.saves", "SaveError", TaurideError),
    ("game.save_json", "SaveFormatError", TaurideError),
    ("game.views.chapters", "ChapterError", TaurideError),
    ("game.tools.replay", "ReplayError", TaurideError),
    ("game.tools.map", "HeatError", TaurideError),
    ("game.output", "OutputError", TaurideError),
    ("game.classroom.common", "CommandError", ClassroomError),
    ("game.classroom.votes", "VoteError", ClassroomError),
    ("game.classroom.students", "PinFileError", ClassroomError),
    ("game.classroom.ballot", "BallotError", ClassroomError),
    ("game.classroom.reader", "ReaderError", ClassroomError),
]


@pytest.mark.parametrize(("module", "name", "parent"), TREE, ids=[name for _, name, _ in TREE])
def test_every_error_descends_from_the_root(module: str, name: str, parent: type) -> None:
    cls = getattr(importlib.import_module(module), name)
    assert issubclass(cls, parent) and issubclass(cls, TaurideError)


def test_the_tree_in_the_docstring_names_every_error() -> None:
    import game.errors

    doc = game.errors.__doc__ or ""
    for module, name, _ in TREE:
        assert f"{name}" in doc and module in doc, name


def test_no_other_exception_class_is_defined_outside_the_tree() -> None:
    """A new public error class must join the tree (private control-flow ones start with '_')."""
    import ast
    from pathlib import Path

    game = Path(__file__).resolve().parent.parent / "game"
    known = {name for _, name, _ in TREE} | {"TaurideError", "ClassroomError"}
    for path in game.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and not node.name.startswith("_") and node.name.endswith("Error"):
                assert node.name in known, f"{path}: {node.name} is not in game/errors.py's tree"


def test_a_load_failure_is_caught_by_the_root(make_story) -> None:
    from game.story_folder import load_folder

    folder = make_story({"story.yaml": "title: x\n"})
    with pytest.raises(TaurideError) as caught:
        load_folder(str(folder))
    assert "story.yaml" in str(caught.value)
