"""The command line as a writer meets it: `tauride validate`, `tauride schema`, `tauride play --plain`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import MINI_MANIFEST, MINI_SCENES

REPO = Path(__file__).resolve().parent.parent


def tauride(*args: str, stdin: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "game", *args], cwd=REPO, capture_output=True, text=True, input=stdin, timeout=60,
        env=env,
    )


def test_validate_ok_story(make_story) -> None:
    out = tauride("validate", str(make_story()))
    assert out.returncode == 0, out.stderr
    assert "ok — 'Mini', 4 scenes" in out.stdout


def test_validate_prints_every_error_in_every_file_at_once(make_story) -> None:
    broken_scenes = MINI_SCENES.replace("goto: fin}", "goto: fni}").replace("place: hall", "place: hal")
    folder = make_story({
        "story.yaml": MINI_MANIFEST.replace("shown: true}", "shown: true, colour: red}"),
        "16.yaml": broken_scenes,
        "17.yaml": "scenes:\n  - id: x\n    title: X\n    text: '{if resolve}'\n    ending: {title: E, epilogue: e, history: h}\n",
    })
    out = tauride("validate", str(folder))
    assert out.returncode == 1
    lines = [line for line in out.stderr.splitlines() if ".yaml:" in line]
    tails = [line[len(str(folder)) + 1:] for line in lines]
    assert tails == [
        "16.yaml:8:12: place 'hal' is not a glossary id. Did you mean 'hall'?",
        "16.yaml:30:46: scene 'sailors' choice 'go' goes to 'fni', which is not a scene. Did you mean 'fin'?",
        "17.yaml:4:12: text: {if} is never closed with {/if}",
        "story.yaml:7:80: unknown key 'colour' in variable 'resolve'. Expected one of: "
        "type, default, range, clamp, label, shown, description",
    ]
    assert out.stderr.splitlines()[-1].endswith(": 4 error(s), 0 warning(s)")


def test_warnings_pass_unless_strict(make_story) -> None:
    manifest = MINI_MANIFEST.replace("variables:\n", "variables:\n  unused_thing: {type: bool, default: false}\n")
    island = "  - id: island\n    title: I\n    text: i\n    ending: {title: I, epilogue: i, history: i}\nevents:"
    folder = make_story({"story.yaml": manifest, "16.yaml": MINI_SCENES.replace("events:", island)})
    out = tauride("validate", str(folder))
    assert out.returncode == 0, out.stderr
    assert "warning: variable 'unused_thing' is declared but never used" in out.stdout
    assert tauride("validate", "--strict", str(folder)).returncode == 1


def test_schema_command_prints_json_schema() -> None:
    out = tauride("schema")
    schema = json.loads(out.stdout)
    assert schema["title"] == "Tauride story file"
    assert "scenes" in schema["properties"]


def test_plain_mode_plays_to_an_ending_and_autosaves_at_end_of_input(make_story, tmp_path: Path) -> None:
    folder = make_story()
    saves = tmp_path / "saves"
    out = tauride("play", "--plain", "--scenes", str(folder), "--save-dir", str(saves), "--seed", "1", stdin="1\n")
    assert out.returncode == 0, out.stderr
    assert "Time: 16:00. Place: Catherine Hall." in out.stdout and "1. Keep it secret (takes 15 minutes)" in out.stdout
    assert "2. Go home (locked: You have nothing to hide yet)" not in out.stdout  # locked only after 'tell'
    assert (saves / "autosave.json").exists()
    out = tauride("play", "--plain", "--scenes", str(folder), "--save-dir", str(saves), "--load", "autosave", stdin="2\n")
    assert out.returncode == 0, out.stderr
    assert "Ending: The end" in out.stdout and "Over." in out.stdout


def test_load_given_a_files_path_says_the_command_that_plays_it(make_story, tmp_path: Path) -> None:
    folder = make_story()
    saves, handed = tmp_path / "saves", tmp_path / "handed out"
    tauride("play", "--plain", "--scenes", str(folder), "--save-dir", str(saves), "--seed", "1", stdin="1\n")
    handed.mkdir()
    (handed / "anna.json").write_bytes((saves / "autosave.json").read_bytes())
    out = tauride("play", "--plain", "--scenes", str(folder), "--save-dir", str(saves),
                  "--load", str(handed / "anna.json"), stdin="")
    assert out.returncode == 2 and "Traceback" not in out.stderr
    command = f"tauride play --save-dir '{handed}' --load anna"
    assert out.stderr == (f"tauride: --load takes a save's name from the save folder ({saves}), not a file's path. "
                          f"To play {handed / 'anna.json'}: {command}\n")
    out = tauride("play", "--plain", "--scenes", str(folder), "--save-dir", str(handed), "--load", "anna", stdin="2\n")
    assert out.returncode == 0 and "Ending: The end" in out.stdout  # the command it gave plays that game


def test_play_refuses_a_broken_story_with_a_pointer_to_validate(make_story) -> None:
    folder = make_story({"story.yaml": MINI_MANIFEST, "16.yaml": MINI_SCENES.replace("goto: fin}", "goto: fni}")})
    out = tauride("play", "--plain", "--scenes", str(folder))
    assert out.returncode == 1
    assert "run 'tauride validate" in out.stderr


def test_play_leaves_the_collector_on_whichever_way_it_ends(make_story, tmp_path, monkeypatch, capsys) -> None:
    """`tauride play` pauses garbage collection for its start (game/startup.py); plain mode and errors resume it."""
    import gc

    from game.cli import main

    assert gc.isenabled()
    seen: list[bool] = []
    monkeypatch.setattr("game.plain.run_plain", lambda *a, **k: seen.append(gc.isenabled()) or 0)
    assert main(["play", "--plain", "--scenes", str(make_story()), "--save-dir", str(tmp_path / "saves")]) == 0
    assert seen == [True]  # plain mode plays with the collector on
    assert gc.isenabled()
    assert main(["play", "--scenes", str(tmp_path / "nowhere")]) == 1
    assert gc.isenabled()
