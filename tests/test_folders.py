"""The user's folders come from one lookup (platformdirs), each overridable by a TAURIDE_*_DIR variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.folders import cache_dir, config_dir, data_dir
from game.saves import default_save_dir
from game.story_cache import StoryCache


def test_xdg_folders_on_linux(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("TAURIDE_CONFIG_DIR", "TAURIDE_CACHE_DIR", "TAURIDE_NO_CACHE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert config_dir() == tmp_path / "config" / "tauride"
    assert cache_dir() == tmp_path / "cache" / "tauride"
    assert data_dir() == tmp_path / "data" / "tauride"
    cache = StoryCache.default()
    assert cache is not None and cache.folder == tmp_path / "cache" / "tauride"


def test_tauride_variables_win(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TAURIDE_CONFIG_DIR", str(tmp_path / "c"))
    monkeypatch.setenv("TAURIDE_CACHE_DIR", str(tmp_path / "k"))
    monkeypatch.setenv("TAURIDE_SAVE_DIR", str(tmp_path / "s"))
    assert (config_dir(), cache_dir(), default_save_dir()) == (tmp_path / "c", tmp_path / "k", tmp_path / "s")
    monkeypatch.setenv("TAURIDE_NO_CACHE", "1")
    assert StoryCache.default() is None


def test_the_tests_own_cache_and_settings_folders_are_not_the_users(tmp_path: Path) -> None:
    """conftest.py points the cache and settings at the session's own folders: a command run in-process
    (here `tauride validate`, which caches the story) writes there, never into the user's folders."""
    from conftest import STAND_INS, written_to_user_folders

    from game.cli import main

    cache = StoryCache.default()
    assert cache is not None
    assert not str(cache.folder).startswith(str(Path.home()))
    assert all(not str(config_dir()).startswith(str(folder)) for folder in STAND_INS.values())
    assert main(["validate", str(Path(__file__).resolve().parent.parent / "scenes")]) == 0
    assert any(cache.folder.glob("*.story")) and written_to_user_folders() == []


def test_a_test_writing_to_the_user_folders_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """The guard every test runs under (conftest's `_user_folders_untouched`) sees a write there."""
    from conftest import written_to_user_folders

    monkeypatch.delenv("TAURIDE_CACHE_DIR")  # as a test that bypassed the setting would: the platform folder
    cache = StoryCache.default()
    assert cache is not None
    cache.folder.mkdir(parents=True)
    (cache.folder / "x.story").write_bytes(b"")
    assert written_to_user_folders() == [str(cache.folder / "x.story")]
    (cache.folder / "x.story").unlink()
    cache.folder.rmdir()
