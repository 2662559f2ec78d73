"""The architecture, enforced: the core never loads a UI library; the schema never drifts."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CORE = [
    "game.story", "game.story.loader", "game.engine", "game.engine.step", "game.saves", "game.views", "game.settings",
    "game.plain",
]


@pytest.mark.parametrize("module", CORE)
def test_core_modules_do_not_import_textual_or_rich(module: str) -> None:
    code = (
        f"import sys, {module}; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')); "
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"{module} pulled in {out.stdout.strip()}"


def test_shipped_schema_matches_the_models() -> None:
    from game.story.schema import json_schema

    shipped = json.loads((REPO / "scenes" / "schema.json").read_text(encoding="utf-8"))
    assert shipped == json_schema(), "scenes/schema.json is stale: run 'tauride schema -o scenes/schema.json'"


def test_every_scene_file_names_the_schema_for_editors() -> None:
    for path in sorted((REPO / "scenes").glob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=schema.json", f"{path.name} line 1"


def test_the_story_package_exports_what_it_lists() -> None:
    """`game.story` loads its names on first use; the list mypy reads and the table the loader uses agree."""
    import game.story as story

    assert sorted(story.__all__) == sorted(story._WHERE)
    for name in story.__all__:
        assert getattr(story, name) is not None
