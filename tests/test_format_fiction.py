"""Stories that are not history: `history: true` in story.yaml turns on what only history owes."""

from __future__ import annotations

import pytest

from game.cli import main
from game.story.problems import StoryError
from game.story_folder import load_folder

MANIFEST = """\
title: The Orchard
id: orchard
start: gate
clock: {start: "08:00", end: "09:00"}
"""

SCENES = """\
scenes:
  - id: gate
    title: The gate
    text: Apples everywhere. Nobody about.
    choices:
      - {id: pick, text: Pick an apple, goto: eat}
      - {id: go, text: Walk on, goto: road}
  - id: eat
    title: Eating
    text: Sweet.
    ending: {title: Sweet, epilogue: You eat the apple.}
  - id: road
    title: The road
    text: Dust.
    ending: {title: Onward, epilogue: You walk on.}
"""


@pytest.fixture
def orchard(make_story):
    return make_story({"story.yaml": MANIFEST, "scenes.yaml": SCENES})


def test_fiction_validates_strictly_with_no_history_notes(orchard, capsys) -> None:
    story = load_folder(str(orchard))
    assert story.history is False
    assert main(["validate", "--strict", str(orchard)]) == 0
    out = capsys.readouterr().out
    assert "0 warning(s)" in out and "history problem" not in out
    assert main(["walk", str(orchard), "-n", "50"]) == 0


def test_a_history_story_must_say_how_close_each_ending_is(make_story) -> None:
    with pytest.raises(StoryError) as err:
        load_folder(str(make_story({"story.yaml": MANIFEST + "history: true\n", "scenes.yaml": SCENES})))
    assert any("ending 'eat' needs 'history:'" in str(p) and "scenes.yaml:" in str(p) for p in err.value.problems)


def test_history_is_declared_in_story_yaml_only(make_story) -> None:
    with pytest.raises(StoryError, match="'history' says what kind of story this is: it belongs in story.yaml"):
        load_folder(str(make_story({"story.yaml": MANIFEST, "scenes.yaml": "history: true\n" + SCENES})))


def test_a_fiction_ending_in_plain_mode_has_no_debrief_or_departure(orchard, tmp_path) -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "game", "play", "--plain", "--scenes", str(orchard), "--save-dir", str(tmp_path / "s")],
        input="1\n", capture_output=True, text=True, timeout=60,
    )
    assert "Ending: Sweet." in done.stdout, done.stdout + done.stderr
    assert "You eat the apple." in done.stdout
    assert "history" not in done.stdout.lower().split("ending: sweet.")[1].split("journal")[0]
