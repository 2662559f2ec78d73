"""A deliberately broken copy of the shipped story: every error reported at once, each at its place."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _break(path: Path, old: str, new: str) -> tuple[int, int]:
    """Replace the first `old` with `new`; return the 1-based line and column where it was."""
    text = path.read_text(encoding="utf-8")
    at = text.index(old)
    path.write_text(text[:at] + new + text[at + len(old):], encoding="utf-8")
    line = text.count("\n", 0, at) + 1
    col = at - (text.rfind("\n", 0, at) + 1) + 1
    return line, col


def test_broken_copy_of_july_days_reports_every_error_with_its_position(tmp_path: Path) -> None:
    story = tmp_path / "scenes"
    shutil.copytree(REPO / "scenes", story)
    expected = []

    line, col = _break(story / "17-sailors.yaml", "goto: downpour", "goto: downpuor")
    expected.append(f"17-sailors.yaml:{line}:{col + len('goto: ')}: scene 'after_sailors' choice 'into_rain' goes to 'downpuor', which is not a scene."
                    " Did you mean 'downpour'?")

    line, col = _break(story / "16-telegram.yaml", "\n    title:", "\n    titel:")
    expected.append(f"16-telegram.yaml:{line + 1}:5: unknown key 'titel' in scene")

    line, col = _break(story / "story.yaml", "default: 6", "default: six")
    expected.append(f"story.yaml:{line}:{col + len('default: ')}: variable 'street_temper' is int, but its default is 'six'")

    text = (story / "18-downpour.yaml").read_text(encoding="utf-8")
    marker = "text: |\n"
    at = text.index(marker) + len(marker)
    indent = len(text[at:]) - len(text[at:].lstrip(" "))
    (story / "18-downpour.yaml").write_text(text[:at] + " " * indent + "{if street_temper}Storm.{/if}\n" + text[at:],
                                            encoding="utf-8")
    expected.append(f"18-downpour.yaml:{text.count(chr(10), 0, at) + 1}:{indent + 5}: text: an {{if}} condition must be true/false")

    out = subprocess.run([sys.executable, "-m", "game", "validate", str(story)], cwd=REPO, capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 1
    reported = [line[len(str(story)) + 1:] for line in out.stderr.splitlines() if line.startswith(str(story) + "/")]
    for want in expected:
        assert any(r.startswith(want) for r in reported), f"missing {want!r} in:\n" + "\n".join(reported)
