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
