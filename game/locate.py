"""Where the shipped story lives, wherever Tauride was installed from."""

from __future__ import annotations

import os
from pathlib import Path


def default_story_dir() -> Path:
    """`$TAURIDE_SCENES`, else `scenes/` beside the package (a checkout or editable install), else `./scenes`."""
    env = os.environ.get("TAURIDE_SCENES")
    if env:
        return Path(env)
    beside = Path(__file__).resolve().parent.parent / "scenes"
    if (beside / "story.yaml").exists():
        return beside
    return Path("scenes")
