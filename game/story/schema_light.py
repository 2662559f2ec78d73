"""Constants of the scene format that the loader needs before (or without) reading any YAML.

Kept apart from `schema.py` (pydantic models) and `yamlsrc.py` (PyYAML) so
that a shell reading a story folder (`game/story_folder.py`) imports neither.
"""

from __future__ import annotations

ID_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]*$"
TIME_PATTERN = r"^([01]?[0-9]|2[0-3]):[0-5][0-9]$"
DURATION_PATTERN = r"^([0-9]+h)?\s*([0-9]+m(in)?)?$"
STORY_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
MANIFEST_KEYS = ("title", "id", "start", "clock")
"""Keys story.yaml must have and other files must not."""
MAX_FILE_BYTES = 8 * 1024 * 1024
"""A scene file larger than this is refused before parsing (a 5,000-scene story is ~5 MB in all)."""
