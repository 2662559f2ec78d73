"""Constants of the scene format that the loader needs before (or without) reading any YAML.

Kept apart from `schema.py` (pydantic models) and `yamlsrc.py` (PyYAML) so
that loading a story from the cache imports neither.
"""

from __future__ import annotations

ID_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]*$"
MANIFEST_KEYS = ("title", "id", "start", "clock")
"""Keys story.yaml must have and other files must not."""
MAX_FILE_BYTES = 8 * 1024 * 1024
"""A scene file larger than this is refused before parsing (a 5,000-scene story is ~5 MB in all)."""
