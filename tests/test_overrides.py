"""`--set NAME=VALUE`: typed, and within the variable's range, or a message naming what is allowed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from game.overrides import parse_overrides
from game.story_folder import load_folder

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def story():
    return load_folder(str(REPO / "scenes"))


def test_values_in_range_are_typed(story) -> None:
    assert parse_overrides(story, ["resolve=0", "street_temper = 10"]) == {"resolve": 0, "street_temper": 10}


@pytest.mark.parametrize("item, message", [
    ("resolve=-1", "tauride: --set resolve: -1 is outside its range 0 to 10"),
    ("street_temper=11", "tauride: --set street_temper: 11 is outside its range 0 to 10"),
    ("resolve=three", "tauride: --set resolve: expected a whole number, got 'three'"),
    ("nerve=1", "tauride: --set nerve: no such variable"),
    ("resolve", "tauride: --set takes NAME=VALUE, got 'resolve'"),
])
def test_a_bad_value_is_refused_with_what_is_allowed(story, item: str, message: str) -> None:
    with pytest.raises(SystemExit) as err:
        parse_overrides(story, [item])
    assert str(err.value).startswith(message)


def test_the_command_line_refuses_a_value_below_the_range(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "game", "play", "--plain", "--save-dir", str(tmp_path),
                           "--set", "resolve=-5"], cwd=REPO, input="", capture_output=True, text=True, timeout=120)
    assert done.returncode != 0 and "-5 is outside its range 0 to 10" in done.stderr
    assert "Traceback" not in done.stderr
