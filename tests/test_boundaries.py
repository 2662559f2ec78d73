"""The architecture, enforced: the core never loads a UI library; the schema never drifts.

Twice over: statically, by the import-linter contracts in pyproject.toml
(every import, however late), and at run time, by loading every core module
and every lazily exported name in a fresh interpreter.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CORE = [
    "game.story", "game.story.loader", "game.engine", "game.engine.step", "game.saves", "game.views", "game.settings",
    "game.plain",
]


_LOAD_EVERYTHING = """
import importlib, pkgutil, sys
module = importlib.import_module(sys.argv[1])
# Every submodule, and every lazily exported (PEP 562) name: what `import` alone never loads.
for info in pkgutil.walk_packages(getattr(module, "__path__", []), module.__name__ + "."):
    importlib.import_module(info.name)
for name in getattr(module, "__all__", []):
    getattr(module, name)
bad = sorted(m for m in sys.modules if m.split(".")[0] in ("textual", "rich", "aiohttp", "textual_serve"))
print(",".join(bad))
"""


@pytest.mark.parametrize("module", CORE)
def test_core_modules_do_not_import_textual_or_rich(module: str) -> None:
    out = subprocess.run([sys.executable, "-c", _LOAD_EVERYTHING, module], cwd=REPO, capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "", f"{module} pulled in {out.stdout.strip()}"


def test_the_runtime_check_sees_a_lazily_loaded_module(tmp_path: Path) -> None:
    """The check above loads lazy names: a UI import in a module only `__getattr__` reaches is caught."""
    _copy_game(tmp_path)
    schema = tmp_path / "game" / "story" / "schema.py"
    text = schema.read_text(encoding="utf-8").replace("from __future__ import annotations\n",
                                                       "from __future__ import annotations\nimport rich.console\n", 1)
    schema.write_text(text, encoding="utf-8")
    out = subprocess.run([sys.executable, "-c", _LOAD_EVERYTHING, "game.story"], cwd=tmp_path, capture_output=True,
                         text=True, check=True, env={**os.environ, "PYTHONPATH": str(tmp_path)})
    assert "rich.console" in out.stdout.split(",")


def _copy_game(into: Path) -> None:
    shutil.copytree(REPO / "game", into / "game", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", into / "pyproject.toml")


def test_the_import_contracts_hold() -> None:
    out = subprocess.run(["lint-imports"], cwd=REPO, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout[-3000:]


@pytest.mark.parametrize("module", ["game/story/yamlsrc.py", "game/engine/state.py", "game/views/timeline.py"])
def test_importing_textual_in_a_core_module_breaks_a_contract(module: str, tmp_path: Path) -> None:
    """The static check sees what no runtime test reaches: any import, lazy or not, in any core module."""
    _copy_game(tmp_path)
    path = tmp_path / module
    path.write_text(path.read_text(encoding="utf-8") + "\n\ndef _late() -> None:\n    import textual  # noqa\n",
                    encoding="utf-8")
    out = subprocess.run(["lint-imports", "--no-cache"], cwd=tmp_path, capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(tmp_path)})
    assert out.returncode != 0
    dotted = module.removesuffix(".py").replace("/", ".")
    assert f"{dotted} -> textual" in out.stdout, out.stdout[-2000:]


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
