"""The story cache: an unchanged story loads from it; anything else never does.

Each test points TAURIDE_CACHE_DIR at its own folder (the user's cache, as
a shell makes it), edits, corrupts or plants cache entries the way a crash,
a stray editor or another user could, and checks what a load then returns.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from game import story_cache
from game.engine import scene_text
from game.story import StoryError
from game.story_cache import StoryCache
from game.story_folder import load_folder
from game.tools.walker import walk_states
from tests.conftest import MINI_MANIFEST, MINI_SCENES


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("TAURIDE_CACHE_DIR", str(folder))
    monkeypatch.delenv("TAURIDE_NO_CACHE", raising=False)
    return folder


def load_story(folder: str, *, cache: bool = True):
    """Load as a shell does: through the user's cache (unless `cache=False`)."""
    return load_folder(folder, StoryCache.default() if cache else None)


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.story"))


def test_second_load_comes_from_the_cache(make_story, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = str(make_story())
    first = load_story(folder)
    assert len(entries(cache_dir)) == 1
    # Prove the second load does not read YAML: make the YAML reader fail.
    monkeypatch.setattr("game.story.loader.read_yaml", lambda *a, **k: pytest.fail("read YAML on a cached load"))
    again = load_story(folder)
    assert again is not first
    assert set(again.scenes) == set(first.scenes)
    assert again.warnings == first.warnings


def _walks(story, n: int = 40) -> list[tuple]:
    out = []
    for seed in range(n):
        states = list(walk_states(story, seed, max_steps=30))
        out.append((tuple(scene_text(story, s) for s in states), states[-1].to_json()))
    return out


def test_a_cached_story_plays_exactly_like_a_fresh_one(make_story, cache_dir: Path) -> None:
    folder = str(make_story())
    fresh = load_story(folder, cache=False)
    load_story(folder)
    cached = load_story(folder)
    assert _walks(cached) == _walks(fresh)


def test_an_edit_is_never_served_stale(make_story, cache_dir: Path) -> None:
    folder = make_story()
    assert load_story(str(folder)).scene("b").title == "The session"
    scenes = folder / "16.yaml"
    scenes.write_text(scenes.read_text().replace("The session", "The night session"))
    assert load_story(str(folder)).scene("b").title == "The night session"


def test_an_added_file_is_seen(make_story, cache_dir: Path) -> None:
    folder = make_story()
    load_story(str(folder))
    (folder / "17.yaml").write_text("scenes:\n  - {id: extra, title: Extra, text: x, choices: [{id: go, text: Go, goto: fin}]}\n")
    assert "extra" in load_story(str(folder)).scenes


def test_a_broken_story_is_never_cached(make_story, cache_dir: Path) -> None:
    folder = make_story({"story.yaml": MINI_MANIFEST, "16.yaml": MINI_SCENES.replace("goto: fin", "goto: nowhere")})
    for _ in range(2):
        with pytest.raises(StoryError):
            load_story(str(folder))
    assert entries(cache_dir) == []


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda b: b[: len(b) // 2], id="truncated"),
        pytest.param(lambda b: b"", id="empty"),
        pytest.param(lambda b: b[:-10] + bytes(10), id="zeroed-tail"),
        pytest.param(lambda b: b.replace(b"The session", b"The sessioX"), id="edited-payload"),
        pytest.param(lambda b: b"garbage" * 100, id="garbage"),
    ],
)
def test_a_damaged_entry_is_ignored_and_rewritten(make_story, cache_dir: Path, damage) -> None:
    folder = str(make_story())
    load_story(folder)
    (entry,) = entries(cache_dir)
    entry.write_bytes(damage(entry.read_bytes()))
    story = load_story(folder)
    assert story.scene("b").title == "The session"
    assert load_story(folder).scene("b").title == "The session"


class _Boom:
    def __reduce__(self):
        return (Path.touch, (Path(os.environ["BOOM_PATH"]),))


def test_a_planted_pickle_without_the_key_runs_no_code(make_story, cache_dir: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    folder = str(make_story())
    load_story(folder)
    (entry,) = entries(cache_dir)
    boom = tmp_path / "boom"
    monkeypatch.setenv("BOOM_PATH", str(boom))
    blob = entry.read_bytes()
    head = len(story_cache.FORMAT) + 32
    entry.write_bytes(blob[:head] + pickle.dumps(_Boom()))  # right format, wrong signature
    story = load_story(folder)
    assert not boom.exists()
    assert story.scene("b").title == "The session"


def test_a_key_others_can_read_disables_the_cache(make_story, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = str(make_story())
    load_story(folder)
    os.chmod(cache_dir / "key", 0o644)
    monkeypatch.setattr("game.story.loader.read_yaml", lambda *a, **k: pytest.fail("sentinel"))
    with pytest.raises(pytest.fail.Exception, match="sentinel"):
        load_story(folder)  # not served from a cache whose key is not private


def test_cache_off_without_a_cache_and_by_environment(make_story, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = str(make_story())
    load_story(folder, cache=False)
    assert not cache_dir.exists()
    monkeypatch.setenv("TAURIDE_NO_CACHE", "1")
    load_story(folder)
    assert not cache_dir.exists()


def test_an_unwritable_cache_never_fails_a_load(make_story, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("TAURIDE_CACHE_DIR", str(blocker / "cache"))
    monkeypatch.delenv("TAURIDE_NO_CACHE", raising=False)
    assert load_story(str(make_story())).id == "mini"


def test_the_cache_keeps_a_bounded_number_of_entries(make_story, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(story_cache, "MAX_ENTRIES", 3)
    for i in range(6):
        load_story(str(make_story(name=f"s{i}")))
    assert len(entries(cache_dir)) == 3


def test_a_cached_load_imports_neither_pydantic_nor_yaml(make_story, cache_dir: Path) -> None:
    """The point of the cache at start-up: the heavy readers are not even imported."""
    import subprocess
    import sys

    folder = str(make_story())
    load_story(folder)
    code = ("import sys; from game.locate import open_story; open_story(sys.argv[1]); "
            "print(sorted(m for m in ('pydantic', 'yaml', 'game.story.schema') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code, folder], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parent.parent, env={**os.environ, "TAURIDE_CACHE_DIR": str(cache_dir)})
    assert out.stdout.strip() == "[]"


# ---------------------------------------------------------------- the stat record (a start that reads no file)


def stat_records(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.stat"))


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the cache see the test's files as changed long ago (their times are just now otherwise)."""
    import time

    later = time.time_ns() + 3600 * 1_000_000_000
    monkeypatch.setattr(story_cache.time, "time_ns", lambda: later)


def test_a_settled_story_loads_by_its_stats_reading_no_file(make_story, cache_dir: Path, settled,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    folder = str(make_story())
    first = load_story(folder)
    assert len(stat_records(cache_dir)) == 1
    monkeypatch.setattr("game.story_folder.read_capped", lambda *a: pytest.fail("read a story file"))
    again = load_story(folder)
    assert set(again.scenes) == set(first.scenes)
    assert again.scene("b").title == "The session"


def test_files_changed_just_now_get_no_stat_record(make_story, cache_dir: Path) -> None:
    """Within a timestamp tick an edit could leave every stat equal: such files are always read."""
    folder = make_story()
    load_story(str(folder))
    load_story(str(folder))
    assert stat_records(cache_dir) == []
    scenes = folder / "16.yaml"
    before = scenes.stat()
    scenes.write_text(scenes.read_text().replace("The session", "The sessioX"))  # same size, same tick
    os.utime(scenes, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert load_story(str(folder)).scene("b").title == "The sessioX"


def test_an_edit_that_keeps_size_and_modification_time_is_seen(make_story, cache_dir: Path, settled) -> None:
    """An editor or `cp -p` can restore the modification time; the change time still moves on."""
    import time

    folder = make_story()
    load_story(str(folder))
    assert load_story(str(folder)).scene("b").title == "The session"
    assert len(stat_records(cache_dir)) == 1
    time.sleep(0.05)  # past the file system's timestamp tick (the real margin is SETTLED_NS)
    scenes = folder / "16.yaml"
    before = scenes.stat()
    scenes.write_text(scenes.read_text().replace("The session", "The sessioX"))
    os.utime(scenes, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert scenes.stat().st_size == before.st_size and scenes.stat().st_mtime_ns == before.st_mtime_ns
    assert load_story(str(folder)).scene("b").title == "The sessioX"


def test_a_file_replaced_by_rename_is_seen(make_story, cache_dir: Path, settled) -> None:
    folder = make_story()
    load_story(str(folder))
    scenes = folder / "16.yaml"
    before = scenes.stat()
    fresh = folder / "new.tmp"
    fresh.write_text(scenes.read_text().replace("The session", "The sessioX"))
    os.utime(fresh, ns=(before.st_atime_ns, before.st_mtime_ns))
    os.replace(fresh, scenes)
    assert load_story(str(folder)).scene("b").title == "The sessioX"


def test_a_stat_record_pointing_elsewhere_is_ignored(make_story, cache_dir: Path, settled) -> None:
    """A record whose content key was swapped (by anyone without the cache's key) serves nothing."""
    one = str(make_story(name="one"))
    two = str(make_story({"story.yaml": MINI_MANIFEST, "16.yaml": MINI_SCENES.replace("The session", "Other one")},
                         name="two"))
    load_story(one)
    (record,) = stat_records(cache_dir)
    load_story(two)
    (other,) = [r for r in stat_records(cache_dir) if r != record]
    head = len(story_cache.STAT_FORMAT) + 32
    record.write_bytes(record.read_bytes()[:head] + other.read_bytes()[head:])
    assert load_story(one).scene("b").title == "The session"
    record.write_bytes(b"garbage")
    assert load_story(one).scene("b").title == "The session"


def test_a_cached_story_is_complete_in_memory(make_story, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing is read after the load: the entry may go, and every scene is still there."""
    folder = str(make_story())
    fresh = load_story(folder)
    cached = load_story(folder)
    (entry,) = entries(cache_dir)
    entry.unlink()  # as another process pruning the cache would
    monkeypatch.setattr("game.story.loader.read_yaml", lambda *a, **k: pytest.fail("read YAML for a scene"))
    assert [cached.scenes[s].title for s in cached.scenes] == [fresh.scenes[s].title for s in fresh.scenes]
