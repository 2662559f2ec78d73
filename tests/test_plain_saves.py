"""Plain mode never loses a game, and answers bad input and story faults with words, not tracebacks.

The real program (`python -m game play --plain`) with lines on stdin, as a
screen-reader user or a script meets it. No `--seed` unless a test needs
it: a new game draws a fresh one, as it does for a player.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from wire_story import FILES

REPO = Path(__file__).resolve().parent.parent


def run(story: Path, saves: Path, text: str | bytes, *extra: str) -> subprocess.CompletedProcess[str]:
    data = text.encode("utf-8") if isinstance(text, str) else text
    proc = subprocess.run(
        [sys.executable, "-m", "game", "play", "--plain", "--scenes", str(story), "--save-dir", str(saves), *extra],
        cwd=REPO, input=data, capture_output=True, timeout=60,
    )
    out = subprocess.CompletedProcess(proc.args, proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8"))
    assert "Traceback" not in out.stderr and "Traceback" not in out.stdout, out.stderr + out.stdout
    return out


@pytest.fixture
def story(make_story) -> Path:
    return make_story(FILES)


def autosave(saves: Path) -> dict:
    return json.loads((saves / "autosave.json").read_text())


def test_a_second_run_offers_the_first_game_and_never_overwrites_it(story: Path, tmp_path: Path) -> None:
    saves = tmp_path / "saves"
    first = run(story, saves, "1\n1\n1\nquit\n")
    assert first.returncode == 0 and len(autosave(saves)["state"]["log"]) == 3
    before = (saves / "autosave.json").read_bytes()

    second = run(story, saves, "quit\n")  # the repro: a new run, then quit at once
    assert second.returncode == 0
    assert "Your last game is waiting: 17:15, The gate, after 3 choices. Type continue to go on with it." in second.stdout
    assert "No choice made, so nothing to save; the autosave is as it was." in second.stdout
    assert (saves / "autosave.json").read_bytes() == before  # no autosave for a game with no choice made

    third = run(story, saves, "")  # end of input, no choice: the same
    assert (saves / "autosave.json").read_bytes() == before and third.returncode == 0

    cont = run(story, saves, "continue\njournal\n")
    assert "Loaded 'autosave'." in cont.stdout and "Scene: The gate" in cont.stdout
    assert (saves / "autosave.json").read_bytes() != before or len(autosave(saves)["state"]["log"]) == 3

    loaded = run(story, saves, "look\n", "--load", "autosave")
    assert "Your last game is waiting" not in loaded.stdout and "Scene: The gate" in loaded.stdout


def test_a_new_game_keeps_the_unfinished_one_as_an_earlier_game_at_its_first_choice(story: Path, tmp_path: Path) -> None:
    saves = tmp_path / "saves"
    run(story, saves, "1\n1\n")
    old = autosave(saves)
    new = run(story, saves, "2\nsaves\n")
    assert "Your first choice in it keeps the last game as the save 'earlier game'." in new.stdout
    assert "Your earlier game is kept as the save 'earlier game'." in new.stdout
    kept = json.loads((saves / "earlier game.json").read_text())
    assert kept["state"] == old["state"] and kept["saved_at"] == old["saved_at"]  # moved whole, not rewritten
    assert [e["choice"] for e in autosave(saves)["state"]["log"]] == ["read"]
    assert "earlier game: 16:45, The session, after 2 choices." in new.stdout
    # and again: the second game is kept under the next name, the first stays
    run(story, saves, "1\n")
    assert (saves / "earlier game.json").exists() and (saves / "earlier game 2.json").exists()


def test_a_finished_game_is_kept_and_listed_and_a_new_game_leaves_it(story: Path, tmp_path: Path) -> None:
    saves = tmp_path / "saves"
    done = run(story, saves, "2\n2\n", "--seed", "5")  # read aloud, go home: an ending
    assert "This playthrough is kept as the save 'finished - Asleep - " in done.stdout
    finished = [p for p in saves.glob("finished - Asleep - *.json")]
    assert len(finished) == 1
    raw = finished[0].read_bytes()
    later = run(story, saves, "1\nsaves\n")
    assert "Below is a new game; the last one ended, and is kept among the saves." in later.stdout
    assert f"{finished[0].stem}: finished game, kept as it ended: " in later.stdout
    review = run(story, saves, f"load {finished[0].stem}\nsave {finished[0].stem}\n")
    assert "A finished game, for review: the save stays as it ended." in review.stdout
    assert "is a finished game, kept as it ended; save under another name" in review.stdout
    assert finished[0].read_bytes() == raw


@pytest.mark.parametrize("damage", ['{"format": "tauride-save", "vers', "[" * 100_000, '{"version": 1e999}'],
                         ids=["cut off", "deep nesting", "1e999"])
def test_a_damaged_autosave_never_stops_plain_mode(story: Path, tmp_path: Path, damage: str) -> None:
    saves = tmp_path / "saves"
    saves.mkdir()
    (saves / "autosave.json").write_text(damage)
    out = run(story, saves, "1\nquit\n")
    assert out.returncode == 0
    assert "The autosave cannot be read: " in out.stdout and "Scene: The wire" in out.stdout
    assert "Your earlier game is kept as the save 'unreadable autosave'." in out.stdout
    assert (saves / "unreadable autosave.json").read_text() == damage


DIVIDE = {
    "story.yaml": """\
title: Divide
id: divide
start: a
clock: {start: "16:00", end: "20:00"}
variables:
  n: {type: int, default: 1, range: [0, 5]}
""",
    "16.yaml": """\
hour: {title: Four}
scenes:
  - id: a
    title: Counting
    text: There are {10 / n} of them.
    choices:
      - {id: zero, text: Count none, goto: b, effects: [n = 0]}
      - {id: split, text: Split them, goto: a, effects: [n = 10 / (n - 1)]}
      - {id: end, text: Stop, goto: fin}
  - id: b
    title: None left
    text: Each has {10 / n}.
    choices:
      - {id: back, text: Back, goto: fin}
  - id: fin
    title: End
    text: Done.
    ending: {title: Done, epilogue: Over., history: None.}
""",
}


def test_a_division_by_zero_in_the_story_is_a_message_and_the_game_goes_on(make_story, tmp_path: Path) -> None:
    story = make_story(DIVIDE, name="divide")
    saves = tmp_path / "saves"
    out = run(story, saves, "2\n1\nundo\nlook\n")
    assert out.returncode == 0
    assert "That choice cannot be taken: " in out.stdout and "division by zero" in out.stdout
    assert "nothing has changed" in out.stdout
    # choice 1 leads to a scene whose text divides by n = 0: said, and the choices still offered
    assert "This scene's text cannot be shown: " in out.stdout and "  1. Back" in out.stdout
    assert "Took back 1 choice." in out.stdout
    # the autosave was written in that scene: loading it later shows the message again, no crash
    run(story, saves, "1\n", "--seed", "3")  # into scene b again, autosaved there
    again = run(story, saves, "look\n1\n", "--load", "autosave")
    assert again.returncode == 0 and again.stderr == ""
    assert again.stdout.count("This scene's text cannot be shown: ") == 2 and "Ending: Done." in again.stdout


def test_undo_over_a_log_that_no_longer_fits_the_story_is_a_message(story: Path, make_story, tmp_path: Path) -> None:
    saves = tmp_path / "saves"
    run(story, saves, "1\n1\n1\n")  # keep, sit, sit: the 17:00 event brings the sailors to the gate
    # the writer edits the story: keeping the wire now leads to the gate, so step 2 (in the session) no longer fits
    marker = "{id: keep, text: Keep it secret, goto: hall"
    changed = {name: text.replace(marker, "{id: keep, text: Keep it secret, goto: gate") for name, text in FILES.items()}
    assert changed != FILES
    edited = make_story(changed, name="edited")
    out = run(edited, saves, "undo\nlook\n", "--load", "autosave")
    assert out.returncode == 0
    assert ("Cannot undo: the choices made no longer fit the story, which has changed since (step 2: expected to be "
            "in scene 'hall', but the story led to 'gate'). The game is as it was") in out.stdout
    assert out.stdout.count("Scene: The gate") == 2  # shown at the start, and by look after the refusal


def test_numbers_in_other_digits_are_refused_politely(story: Path, tmp_path: Path) -> None:
    out = run(story, tmp_path / "saves", "²\n①\n٣\nundo ²\nglossary ①\n" + "9" * 900 + "\n1\n")
    assert out.returncode == 0
    assert "There is no such choice: '²' is not written with the digits 0 to 9; type the number with them." in out.stdout
    assert "'①' is not written with the digits 0 to 9" in out.stdout and "'٣' is not written" in out.stdout
    assert "Undo takes a number of choices, for example: undo 2 ('²' is not written with the digits 0 to 9" in out.stdout
    assert "'①' is not written with the digits 0 to 9; type the number with them: 2 met so far." in out.stdout
    assert "There is no such choice: the number has 900 digits; no list here is that long." in out.stdout
    assert "Scene: The session" in out.stdout  # and '1' still chooses


def test_control_characters_are_never_echoed_and_a_huge_line_is_bounded(story: Path, tmp_path: Path) -> None:
    evil = "\x1b]0;pwned\x07\x1b[2J\x9b31m\u202egnp.exe\x00"
    huge = b"x" * (100 * 1024 * 1024)
    out = run(story, tmp_path / "saves", (evil + "\nsave " + evil + "x\n").encode() + huge + b"\n1\n")
    assert out.returncode == 0
    for ch in "\x1b\x07\x9b\u202e\x00":
        assert ch not in out.stdout
    assert "(Left out 6 control characters from that line.)" in out.stdout
    assert "']0;pwned[2J31mgnp.exe' is not a command." in out.stdout
    assert f"That line was {100 * 1024 * 1024:,} characters long and was not read: lines of up to 1,000 characters are." in out.stdout
    assert "Scene: The session" in out.stdout
    assert len(out.stdout) < 20_000


def test_two_games_with_the_same_seed_are_still_two_games(story: Path, tmp_path: Path) -> None:
    """`--seed` makes two new games share an origin: the second still keeps the first, whole."""
    saves = tmp_path / "saves"
    run(story, saves, "1\n1\n", "--seed", "4")
    first = autosave(saves)
    out = run(story, saves, "1\n", "--seed", "4")
    assert "Your earlier game is kept as the save 'earlier game'." in out.stdout
    assert json.loads((saves / "earlier game.json").read_text())["state"] == first["state"]
    assert len(autosave(saves)["state"]["log"]) == 1


def test_an_autosave_of_another_story_is_kept_under_that_storys_name(story: Path, tmp_path: Path) -> None:
    """Stories played from one save folder share its autosave: the shipped story's game, met by another
    story, is kept as 'july-days autosave' (not 'unreadable autosave'), and loads there as it was."""
    saves = tmp_path / "saves"
    shipped = REPO / "scenes"
    run(shipped, saves, "1\nquit\n", "--seed", "3")
    before = autosave(saves)
    out = run(story, saves, "1\nquit\n")
    assert "this save belongs to the story 'july-days'" in out.stdout
    assert "kept as the save 'july-days autosave' at your first choice" in out.stdout
    assert json.loads((saves / "july-days autosave.json").read_text()) == before
    back = run(shipped, saves, "load july-days autosave\nquit\n")
    assert "Loaded" in back.stdout or "loaded" in back.stdout, back.stdout[-600:]
