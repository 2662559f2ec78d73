"""Player settings remembered between runs: theme, text reveal, text width.

One small JSON file, `settings.json`, in `$TAURIDE_CONFIG_DIR` if set, else
the platform's config folder (`~/.config/tauride/` on Linux; `folders.py`). It is written
atomically (a crash leaves the old file or the new, never half of one).
Reading never fails: a missing file gives the defaults; a corrupt or foreign
file, or a value out of range, gives the defaults for what could not be
read, plus a warning naming the file for the shell to show. Settings are a
value (a frozen dataclass) passed to whoever needs them, never a global.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from .saves import write_atomic

SETTINGS_FORMAT = "tauride-settings"
SETTINGS_VERSION = 1
THEMES = ("dark", "light", "high-contrast")
REVEALS = ("instant", "typed")
WIDTH_RANGE = (40, 160)
"""Text width in columns: narrow enough to read, wide enough for a long name."""
MAX_BYTES = 64 * 1024


@dataclass(frozen=True)
class Settings:
    theme: str = "dark"
    """One of THEMES; high-contrast never relies on colour alone (nothing does)."""
    reveal: str = "instant"
    """'instant' shows a scene's text at once; 'typed' reveals it letter by letter (a key skips)."""
    width: int = 72
    """Maximum width of the text column, in terminal columns (clipped to the window)."""

    def with_(self, **changes: Any) -> "Settings":
        """A copy with changes, checked; raises ValueError naming a bad value."""
        new = replace(self, **changes)
        problems = _check(asdict(new))
        if problems:
            raise ValueError("; ".join(problems))
        return new


def settings_path() -> Path:
    """settings.json in the user's config folder (see `game/folders.py`)."""
    from .folders import config_dir

    return config_dir() / "settings.json"


def _check(values: dict[str, Any]) -> list[str]:
    """Problems with each value, as 'key: what is wrong' (empty when all are fine)."""
    out = []
    if values.get("theme") not in THEMES:
        out.append(f"theme: {values.get('theme')!r} is not one of {', '.join(THEMES)}")
    if values.get("reveal") not in REVEALS:
        out.append(f"reveal: {values.get('reveal')!r} is not one of {', '.join(REVEALS)}")
    w = values.get("width")
    if isinstance(w, bool) or not isinstance(w, int) or not WIDTH_RANGE[0] <= w <= WIDTH_RANGE[1]:
        out.append(f"width: {w!r} is not a whole number from {WIDTH_RANGE[0]} to {WIDTH_RANGE[1]}")
    return out


def load_settings(path: Path | None = None) -> tuple[Settings, list[str]]:
    """The saved settings and any warnings; never raises for a bad file."""
    path = path or settings_path()
    defaults = Settings()
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_BYTES + 1)
    except FileNotFoundError:
        return defaults, []
    except OSError as exc:
        return defaults, [f"{path}: cannot read the settings ({exc.strerror or exc}); using the defaults"]
    if len(raw) > MAX_BYTES:
        return defaults, [f"{path}: too large to be Tauride settings; using the defaults"]
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return defaults, [f"{path}: the settings file is corrupt ({exc}); using the defaults"]
    if not isinstance(data, dict) or data.get("format") != SETTINGS_FORMAT:
        return defaults, [f"{path}: not a Tauride settings file; using the defaults"]
    version = data.get("version")
    if not isinstance(version, int) or version > SETTINGS_VERSION:
        return defaults, [f"{path}: settings version {version!r} is newer than this Tauride reads; using the defaults"]
    values = asdict(defaults)
    warnings = []
    for f in fields(Settings):
        if f.name not in data:
            continue
        trial = dict(values, **{f.name: data[f.name]})
        bad = [p for p in _check(trial) if p.startswith(f.name + ":")]
        if bad:
            warnings.append(f"{path}: {bad[0]}; using {values[f.name]!r}")
        else:
            values[f.name] = data[f.name]
    return Settings(**values), warnings


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    """Write the settings atomically; raises OSError if the folder cannot be written."""
    path = path or settings_path()
    data = {"format": SETTINGS_FORMAT, "version": SETTINGS_VERSION, **asdict(settings)}
    write_atomic(path, json.dumps(data, indent=1) + "\n")
    return path
