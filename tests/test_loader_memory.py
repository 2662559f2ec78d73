"""What a load holds: no place it was not asked for, no file's data once its items are validated.

A 5,000-scene story's load held a libyaml mark and a path for every value
and key of every file, and every file's data, until the story was built:
140 MiB where `yaml.load` of the same files peaks at 16. The plain reader
now records only where each item of a list starts (what a `Story` keeps for
run-time messages), and the loader lets each file's data go once its items
are models; a message that needs another place, or an item's id, reads that
file again with the same reader. These tests hold the structure (counted,
not timed) and hold every message to what a load that kept everything says.
"""

from __future__ import annotations

import tracemalloc
from pathlib import Path
from typing import Any

import pytest

from game.story import StoryError, load_story, yamlsrc
from game.story import loader as story_loader
from game.story_folder import story_files
from game.tools.generate import write_story
from tests.conftest import MINI_MANIFEST

REPO = Path(__file__).resolve().parent.parent
INVALID = sorted((REPO / "tests" / "cases" / "invalid").glob("*.yaml"))


def _files(folder: Path) -> dict[str, bytes]:
    return {str(Path(p).relative_to(folder)): Path(p).read_bytes() for p in story_files(str(folder))}


def _everything_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    """Load as before: every place recorded on the first read, no file's data let go."""
    real = yamlsrc._read_plain
    monkeypatch.setattr(yamlsrc, "_read_plain", lambda src, text, record=True: real(src, text, True))
    monkeypatch.setattr(yamlsrc.SourceFile, "release", lambda self: None)


def _outcome(files: dict[str, bytes]) -> Any:
    """The problems of a load, or the places the story kept for its scenes, choices and events."""
    try:
        story = load_story(files, folder="s")
    except StoryError as err:
        return [str(p) for p in err.problems]
    return ([str(p) for p in story.warnings],
            {sid: (s.pos, [c.pos for c in s.choices]) for sid, s in story.scenes.items()},
            [e.pos for e in story.events])


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("gen")
    write_story(str(folder), 1000)
    return _files(folder)


def test_a_valid_story_is_read_once_and_keeps_only_its_items_places(generated: dict[str, bytes],
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    reads: list[bool] = []
    sources: list[yamlsrc.SourceFile] = []
    real_plain, real_read = yamlsrc._read_plain, story_loader.read_yaml

    def plain(src: yamlsrc.SourceFile, text: str, record: bool = True) -> bool:
        reads.append(record)
        return real_plain(src, text, record)

    def read(name: str, text: bytes) -> yamlsrc.SourceFile:
        sources.append(real_read(name, text))
        return sources[-1]

    monkeypatch.setattr(yamlsrc, "_read_plain", plain)
    monkeypatch.setattr(story_loader, "read_yaml", read)
    story = load_story(generated, folder="s")
    assert reads == [False] * len(generated), "a valid story was read again for a place"
    for src in sources:
        assert src._data is yamlsrc._AGAIN, f"{src.path}: its data was kept after its items were validated"
        assert all(type(k[-1]) is int for k in src._positions), "a place other than an item's was recorded"
        assert len(src._positions) * 4 < src.values and not src._key_positions and not src._styles
    assert len(story.scenes) > 1000


def test_the_places_a_story_keeps_are_those_a_full_read_gives(generated: dict[str, bytes],
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    shipped = _files(REPO / "scenes")
    light = _outcome(shipped), _outcome(generated)
    _everything_kept(monkeypatch)
    assert light == (_outcome(shipped), _outcome(generated))


@pytest.mark.parametrize("case", INVALID, ids=[c.stem for c in INVALID])
def test_every_problem_reads_as_when_every_place_was_kept(case: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {"story.yaml": MINI_MANIFEST.encode(), "scenes.yaml": case.read_bytes()}
    light = _outcome(files)
    _everything_kept(monkeypatch)
    assert light == _outcome(files)


def test_a_late_problem_in_a_let_go_file_names_its_item_and_place(generated: dict[str, bytes]) -> None:
    """Found while building (after every file's data was let go): the file is read again for the message."""
    name = sorted(n for n in generated if n != "story.yaml")[-1]
    text = generated[name].decode()
    at = text.index("    goto: ")
    end = text.index("\n", at)
    broken = dict(generated, **{name: (text[:at] + "    goto: nowhere_at_all" + text[end:]).encode()})
    with pytest.raises(StoryError) as info:
        load_story(broken, folder="s")
    line = text[:at].count("\n") + 1
    col = at + len("    goto: ") - text.rfind("\n", 0, at)
    (problem,) = [p for p in info.value.problems if "nowhere_at_all" in p.message]
    assert (problem.path, problem.line, problem.col) == (name, line, col)
    assert problem.message.startswith("scene '") and "' choice '" in problem.message  # the ids, read again


def test_a_load_peaks_below_twelve_times_its_yaml(generated: dict[str, bytes]) -> None:
    """Counted in bytes allocated (tracemalloc), not time: it was 25 times the YAML's size before, 8.5 after."""
    size = sum(len(b) for b in generated.values())
    tracemalloc.start()
    try:
        story = load_story(generated, folder="s")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert story.scenes and peak < 12 * size, f"peak {peak / 2**20:.1f} MiB for {size / 2**20:.1f} MiB of YAML"


def test_writing_a_large_story_to_the_cache_holds_its_entry_about_once(generated: dict[str, bytes],
                                                                         tmp_path: Path) -> None:
    """The entry is pickled straight to its file and signed by reading it back: counted in bytes allocated,
    the store of a 1,000-scene story peaks at 1.4 times the entry (2.4 times with the pickle made whole first)."""
    from game.story_cache import StoryCache

    story = load_story(generated, folder="s")
    cache = StoryCache(tmp_path)
    tracemalloc.start()
    try:
        cache.store("k" * 64, story)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    (entry,) = tmp_path.glob("*.story")
    size = entry.stat().st_size
    assert peak < 1.6 * size, f"storing a {size:,}-byte entry peaked at {peak:,} bytes"
    again = cache.fetch("k" * 64)
    assert again is not None and set(again.scenes) == set(story.scenes)
