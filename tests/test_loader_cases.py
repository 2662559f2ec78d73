"""Stories that must fail to load, one rule per file (tests/cases/invalid/<rule>.yaml).

Each case is one scene file, loaded beside the mini story's manifest. Its
`# expect: LINE:COL: message` comments give the errors that must be reported,
at exactly that line and column; a case passes only if all of them are.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from game.story import StoryError, load_story
from tests.conftest import MINI_MANIFEST

CASES = sorted((Path(__file__).parent / "cases" / "invalid").glob("*.yaml"))


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_invalid_story_reports_each_error_with_its_position(case: Path, make_story) -> None:
    text = case.read_text(encoding="utf-8")
    expected = re.findall(r"^# expect: (.+)$", text, re.M)
    assert expected, f"{case.name} has no '# expect:' line"
    folder = make_story({"story.yaml": MINI_MANIFEST, "scenes.yaml": text})
    with pytest.raises(StoryError) as info:
        load_story(str(folder))
    reported = [f"{p.line}:{p.col}: {p.message}" for p in info.value.problems if p.path.endswith("scenes.yaml")]
    for want in expected:
        assert any(r.startswith(want) for r in reported), f"missing {want!r}; reported:\n" + "\n".join(reported)
