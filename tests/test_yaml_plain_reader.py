"""The plain reader (`yamlsrc._read_plain`) and the full one (`_Builder`) read every file alike.

`read_yaml` tries the tight plain reader first and reads the file again with
`_Builder` at the first thing it does not handle. These tests hold the two
to the same data, positions, key positions and styles on real, generated and
hostile files, check that the plain reader is really what reads a real
story, and that every unusual file falls back and keeps its exact problems.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from game.story import yamlsrc
from game.story.yamlsrc import SourceFile, read_yaml
from game.tools.generate import write_story

REPO = Path(__file__).resolve().parent.parent
_FILES = sorted((REPO / "scenes").glob("*.yaml")) + sorted((REPO / "tests" / "cases" / "invalid").glob("*.yaml")) + \
    sorted((REPO / "tests" / "hostile").glob("*.yaml"))


def _pairs(marks: dict) -> dict:
    return {k: yamlsrc._pair(v) for k, v in marks.items()}


def _summary(src: SourceFile) -> tuple:
    pairs = _pairs
    return (src.data, list(src.positions), pairs(src.positions), pairs(src.key_positions), src.styles,
            [str(p) for p in src.problems], src.refused)


def _full(path: str, text: bytes, monkeypatch: pytest.MonkeyPatch) -> SourceFile:
    with monkeypatch.context() as m:
        m.setattr(yamlsrc, "_read_plain", lambda src, text, record=True: False)
        return read_yaml(path, text)


@pytest.mark.parametrize("path", _FILES, ids=[f"{p.parent.name}/{p.name}" for p in _FILES])
def test_both_readers_read_alike(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = path.read_bytes()
    assert _summary(read_yaml(path.name, raw)) == _summary(_full(path.name, raw, monkeypatch))


def test_a_real_story_is_read_by_the_plain_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    for path in sorted((REPO / "scenes").glob("*.yaml")):
        src = SourceFile(path.name)
        assert yamlsrc._read_plain(src, path.read_text(encoding="utf-8")), path.name
        assert src.data and src.positions and src.key_positions


def test_a_generated_story_reads_alike(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for path in write_story(str(tmp_path), 300):
        raw = Path(path).read_bytes()
        src = SourceFile(path)
        assert yamlsrc._read_plain(src, raw.decode())
        assert _summary(read_yaml(path, raw)) == _summary(_full(path, raw, monkeypatch))


_UNUSUAL = [
    ("anchors-and-aliases", "a: &x {b: 1}\nc: *x\n"),
    ("known-tag", "a: !!str 1\n"),
    ("refused-tag", "a: !custom 1\n"),
    ("repeated-key", "a: 1\na: 2\n"),
    ("merge-key", "<<: {a: 1}\n"),
    ("list-as-key", "? [a]\n: 1\n"),
    ("two-documents", "a: 1\n---\nb: 2\n"),
    ("syntax-error", "a: [1, 2\n"),
    ("nothing", ""),
    ("empty-document", "--- \n...\n"),
    ("deeper-than-allowed", "a:" + " [" * 49 + "]" * 49 + "\n"),
    ("as-deep-as-allowed", "a:" + " [" * 47 + "]" * 47 + "\n"),
    ("empty-list-at-the-deepest-level", "a:" + " [" * 48 + "[]" + "]" * 48 + "\n"),
    ("more-values-than-allowed", "- 1\n" * (yamlsrc.MAX_NODES + 1)),
    ("lone-scalar", "x"),
    ("quoted-and-block", "'quoted': \"text\"\nblock: |\n  line\n"),
]
"""Files the plain reader leaves to the full one, by a short name (the test id: never the text itself)."""


@pytest.mark.parametrize("text", [text for _, text in _UNUSUAL], ids=[name for name, _ in _UNUSUAL])
def test_unusual_files_fall_back_and_read_alike(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _summary(read_yaml("x.yaml", text)) == _summary(_full("x.yaml", text.encode(), monkeypatch))


def test_deep_or_aliased_files_are_left_to_the_full_reader() -> None:
    for text in ("a:" + " [" * 49 + "]" * 49 + "\n", "a: &x 1\nb: *x\n", "a: 1\na: 2\n"):
        assert not yamlsrc._read_plain(SourceFile("x.yaml"), text)
    src = read_yaml("x.yaml", "a:" + " [" * 49 + "]" * 49 + "\n")
    assert [str(p) for p in src.problems] == ["x.yaml:1:100: nested more than 48 levels deep"]
