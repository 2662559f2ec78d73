"""`tauride new DIR`: a starter story that validates strictly, walks clean and plays at once."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from game.cli import main
from game.story_folder import load_folder
from game.tools.walker import random_walk

REPO = Path(__file__).resolve().parent.parent


def test_new_story_is_valid_and_plays_at_once(tmp_path, capsys):
    folder = tmp_path / "my-first-story"
    assert main(["new", str(folder)]) == 0
    assert "tauride play --scenes" in capsys.readouterr().out
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["09-letter.yaml", "10-clerk.yaml", "glossary.yaml", "schema.json", "story.yaml"]
    for name in names:
        if name.endswith(".yaml"):
            assert (folder / name).read_text().startswith("# yaml-language-server: $schema=schema.json\n")
    story = load_folder(str(folder))
    assert story.title == "My First Story" and story.id == "my_first_story"
    assert [h.title for h in story.hours if h.scenes] == ["Nine o'clock", "Ten o'clock"]
    assert {s.id for s in story.endings} == {"told", "alone"} and story.glossary and story.events
    # fiction by default: no history at all, and strict validation passes with no warnings
    assert not story.history
    for name in names:
        if name.endswith(".yaml") and name != "story.yaml":
            text = (folder / name).read_text()
            assert "history" not in text and "historical" not in text and "invention" not in text, name
    assert main(["validate", "--strict", str(folder)]) == 0
    assert "0 warning(s)" in capsys.readouterr().out
    # the walker finds nothing wrong and reaches everything, the event included
    report = random_walk(story, 500)
    assert not report.findings and not report.unreached_scenes and not report.untaken_choices
    assert report.events["noon_bell"] > 0


def test_new_story_plays_to_an_ending_in_plain_mode(tmp_path):
    folder = tmp_path / "letters"
    assert main(["new", str(folder), "--title", "The Letter: a test"]) == 0
    assert load_folder(str(folder)).title == "The Letter: a test"
    done = subprocess.run(
        [sys.executable, "-m", "game", "play", "--plain", "--scenes", str(folder), "--save-dir", str(tmp_path / "s")],
        input="1\n1\n", capture_output=True, text=True, cwd=REPO, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "Scene: The letter" in done.stdout and "Ending: The news is out" in done.stdout


def test_new_refuses_a_folder_with_files(tmp_path, capsys):
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "notes.txt").write_text("mine")
    assert main(["new", str(tmp_path / "taken")]) == 1
    assert "already exists and is not empty" in capsys.readouterr().err
    assert (tmp_path / "taken" / "notes.txt").read_text() == "mine"


def test_the_new_story_holds_no_path_of_the_writers_machine(tmp_path) -> None:
    folder = tmp_path / "deep" / "my-story"
    assert main(["new", str(folder.resolve())]) == 0
    for path in folder.iterdir():
        text = path.read_text(encoding="utf-8")
        assert str(tmp_path) not in text and str(folder) not in text, path.name


def test_the_history_template_is_a_history_story_that_passes_the_history_checks(tmp_path, capsys) -> None:
    folder = tmp_path / "hist"
    assert main(["new", "--history", str(folder)]) == 0
    story = load_folder(str(folder))
    assert story.history and story.sources and story.scenes["the_letter"].history is not None
    capsys.readouterr()
    assert main(["validate", "--strict", str(folder)]) == 0
    assert "0 history problem(s)" in capsys.readouterr().out


@pytest.mark.parametrize("folder, story_id", [("ünïcødé", "unicode"), ("Straße 1917", "strasse_1917"),
                                               ("Łódź", "lodz"), ("My Story!", "my_story"), ("1917", "story_1917")])
def test_the_story_id_keeps_the_letters_of_an_accented_folder_name(folder: str, story_id: str) -> None:
    """'ünïcødé' made 'n_c_d': the accented letters went with their accents."""
    from game.tools.new import slug

    assert slug(folder) == story_id
