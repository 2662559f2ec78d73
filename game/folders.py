"""The user's folders for Tauride: settings, the story cache, saves — one lookup for all three.

platformdirs knows each platform's convention (XDG on Linux, honouring
`$XDG_CONFIG_HOME`, `$XDG_CACHE_HOME`, `$XDG_DATA_HOME`; Library folders on
macOS; AppData on Windows). A `TAURIDE_*_DIR` variable wins over it, so a
classroom machine or a test can point any of them elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path

APP = "tauride"
"""The folder name under each platform location."""


def _chosen(variable: str) -> Path | None:
    value = os.environ.get(variable)
    return Path(value) if value else None


def config_dir() -> Path:
    """Where settings.json lives: `$TAURIDE_CONFIG_DIR`, else the platform's config folder."""
    import platformdirs

    return _chosen("TAURIDE_CONFIG_DIR") or Path(platformdirs.user_config_dir(APP, appauthor=False))


def cache_dir() -> Path:
    """Where validated stories are cached: `$TAURIDE_CACHE_DIR`, else the platform's cache folder."""
    import platformdirs

    return _chosen("TAURIDE_CACHE_DIR") or Path(platformdirs.user_cache_dir(APP, appauthor=False))


def data_dir() -> Path:
    """Where the player's own files (saves) live when there is no source checkout: the platform's data folder."""
    import platformdirs

    return Path(platformdirs.user_data_dir(APP, appauthor=False))
