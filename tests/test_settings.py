"""Player settings: remembered between runs, and never a crash on a bad file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from game.settings import Settings, load_settings, save_settings, settings_path


@pytest.fixture(autouse=True)
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "config"
    monkeypatch.setenv("TAURIDE_CONFIG_DIR", str(folder))
    return folder


def test_defaults_when_there_is_no_file() -> None:
    assert load_settings() == (Settings(theme="dark", reveal="instant", width=72), [])


def test_settings_survive_a_round_trip(config_dir: Path) -> None:
    path = save_settings(Settings().with_(theme="high-contrast", reveal="typed", width=60))
    assert path == config_dir / "settings.json"
    assert json.loads(path.read_text()) == {
        "format": "tauride-settings", "version": 1, "theme": "high-contrast", "reveal": "typed", "width": 60}
    assert load_settings() == (Settings("high-contrast", "typed", 60), [])
    assert [p.name for p in config_dir.iterdir()] == ["settings.json"]  # no temporary file left behind


def test_the_xdg_folder_when_no_tauride_folder_is_set(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("TAURIDE_CONFIG_DIR")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert settings_path() == tmp_path / "xdg" / "tauride" / "settings.json"
    monkeypatch.delenv("XDG_CONFIG_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert settings_path() == tmp_path / "home" / ".config" / "tauride" / "settings.json"


def test_with_refuses_a_bad_value() -> None:
    with pytest.raises(ValueError, match=r"theme: 'sepia' is not one of dark, light, high-contrast"):
        Settings().with_(theme="sepia")
    with pytest.raises(ValueError, match=r"width: 10 is not a whole number from 40 to 160"):
        Settings().with_(width=10)


@pytest.mark.parametrize("content, warning", [
    (b"{not json", "the settings file is corrupt"),
    (b"\xff\xfe", "the settings file is corrupt"),
    (b'{"theme": "light"}', "not a Tauride settings file"),
    (b'["tauride-settings"]', "not a Tauride settings file"),
    (b'{"format": "tauride-settings", "version": 99, "theme": "light"}', "settings version 99 is newer"),
])
def test_a_corrupt_or_foreign_file_gives_defaults_and_a_warning(config_dir: Path, content: bytes, warning: str) -> None:
    config_dir.mkdir()
    (config_dir / "settings.json").write_bytes(content)
    settings, warnings = load_settings()
    assert settings == Settings()
    [message] = warnings
    assert message.startswith(str(config_dir / "settings.json") + ": ")
    assert warning in message and message.endswith("using the defaults")


def test_one_bad_value_keeps_the_good_ones(config_dir: Path) -> None:
    config_dir.mkdir()
    (config_dir / "settings.json").write_text(json.dumps(
        {"format": "tauride-settings", "version": 1, "theme": "light", "reveal": "slow", "width": True, "extra": 1}))
    settings, warnings = load_settings()
    assert settings == Settings(theme="light")
    assert [w.split(": ", 1)[1] for w in warnings] == [
        "reveal: 'slow' is not one of instant, typed; using 'instant'",
        "width: True is not a whole number from 40 to 160; using 72",
    ]


def test_an_unreadable_path_is_a_warning_not_a_crash(config_dir: Path) -> None:
    (config_dir / "settings.json").mkdir(parents=True)  # a folder where the file should be
    settings, [warning] = load_settings()
    assert settings == Settings() and "cannot read the settings" in warning
