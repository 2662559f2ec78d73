"""Plain mode as a screen-reader user meets it: the real program, lines in, lines out.

Each test runs `python -m game play --plain` as a subprocess on the small
story in wire_story.py and reads the replies to each command (the text
between one prompt and the next).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from wire_story import FILES

REPO = Path(__file__).resolve().parent.parent
SP = "Sources:\n  [SP] W. S. Woytinsky, Stormy Passage (1961)"


def play(story: Path, saves: Path, *lines: str, seed: int = 4, extra: tuple[str, ...] = ()) -> tuple[int, list[str]]:
    """Run plain mode with these input lines; returns the exit code and the reply to each line.

    replies[0] is what is printed before the first prompt; replies[k] answers line k.
    """
    proc = subprocess.run(
        [sys.executable, "-m", "game", "play", "--plain", "--scenes", str(story), "--save-dir", str(saves),
         "--seed", str(seed), *extra],
        cwd=REPO, input="".join(line + "\n" for line in lines), capture_output=True, text=True, timeout=60,
    )
    assert proc.stderr == ""
    return proc.returncode, proc.stdout.split("> ")


@pytest.fixture
def story(make_story) -> Path:
    return make_story(FILES)


WIRE = """\
Time: 16:00. Place: Tauride Palace.
Scene: The wire

Chkheidze hands you the form. Resolve is 2.

Resolve: 2.
In the glossary: Nikolai Chkheidze.
Choices:
  1. Keep it secret (takes 15 minutes)
  2. Read it aloud (resolve 2)
"""

SESSION = """
Time: {clock}. Place: Catherine Hall.
Scene: The session

The benches roar. Resolve is 2.

Resolve: 2.
Choices:
  1. Sit it out (takes 30 minutes)
  2. Go home
"""

GATE = """
Time: 17:00.
Scene: The gate

Sailors from Kronstadt at the gate of the Tauride.

Resolve: 2.
In the glossary: Kronstadt; Tauride Palace.
Choices:
  1. Go out to them
  2. Hide
"""

JOURNAL = """\
Journal: 4 entries.
Entry 1. 16:00, Tauride Palace. The wire.
Chkheidze hands you the form. Resolve is 2.
You chose: Read it aloud (resolve 2).

Entry 2. 16:00, Catherine Hall. The session.
The benches roar. Resolve is 2.
You chose: Sit it out (took 30 minutes).

Entry 3. 16:30, Catherine Hall. The session.
The benches roar. Resolve is 2.
You chose: Sit it out (took 30 minutes).
Events overtook your choice: the story went on to The gate.

Entry 4. 17:00. The gate. You are here.
Sailors from Kronstadt at the gate of the Tauride.

"""

TIMELINE = """\
Timeline: the day as history records it, beside your afternoon. Times are story clock.
16:00:
  History: The wire. What was done: Keep it secret.
  You: The wire. You chose: Read it aloud (resolve 2). Here you left history's path.
  You: The session. You chose: Sit it out.
16:15:
  History: The session. What was done: Sit it out.
16:30:
  You: The session. You chose: Sit it out.
16:45:
  History: The session. What was done: Sit it out.
17:00:
  You: The gate. You are here.
17:15:
  History: The gate. What was done: Go out to them.
  History: Dawn. Ending: The session holds.
"""

ENDING = f"""
Time: 17:00.
Scene: Home

You sleep.

Ending: Asleep.

You missed it.

A counterfactual ending: history went otherwise (see what really happened).

Debrief: your decisions beside what the historical actors did.
You did what history did in 2 of 4 decisions.
You first left history at 16:00, in The wire.

Decision 1. 16:00, The wire.
You chose: Read it aloud (resolve 2).
History: Keep it secret. Not what history did. Here you left history's path.
What really happened. Chkheidze kept the wire back.
{SP}

Decision 2. 16:00, The session.
You chose: Sit it out.
History: Sit it out. The same as history.
What really happened. The session sat on into the night.
{SP}

Decision 3. 16:30, The session.
You chose: Sit it out.
History: Sit it out. The same as history.
What really happened. The session sat on into the night.
{SP}

Decision 4. 17:00, The gate.
You chose: Hide.
History: Go out to them. Not what history did.
What really happened. The Kronstadt sailors arrived about 5 p.m.
{SP}

Your ending: Asleep. This is not how the day really ended.
What really happened. Nobody of the committee went home.

The story is over. Type new for a new game, or journal, timeline, undo, load NAME, or quit.
"""


def test_a_whole_playthrough_with_every_command(story: Path, tmp_path: Path) -> None:
    saves = tmp_path / "saves"
    commands = [
        "glossary", "glossary the tauride", "glossary 9", "history",      # 1-4: before any choice
        "2", "1", "undo", "save before",                                   # 5-8: choose, undo, save
        "1", "1",                                                          # 9-10: the 17:00 event takes over
        "journal", "journal ROAR", "timeline", "saves",                    # 11-14
        "2", "1", "history",                                               # 15-17: the ending and its debrief
        "load before",                                                     # 18
    ]
    code, replies = play(story, saves, *commands)
    assert code == 0
    assert len(replies) == len(commands) + 2  # the opening, one reply per line, and the end of input
    assert replies[0] == WIRE.replace("Resolve: 2.\n", "Resolve: 2. (Type meters for what they measure.)\n")
    assert replies[1] == (
        "Glossary: 2 terms met so far.\n  1. Tauride Palace (place)\n  2. Nikolai Chkheidze (person)\n"
        "Type glossary and a number or a name to read an entry.\n")
    assert replies[2] == "Tauride Palace (place).\nSeat of the Soviet in 1917.\n"
    assert replies[3] == "There is no term 9 in the list: 2 met so far. Type glossary to list them.\n"
    assert replies[4] == f"What really happened. Chkheidze kept the wire back.\n{SP}\n"
    assert replies[5] == SESSION.format(clock="16:00")
    assert replies[6] == SESSION.format(clock="16:30")
    assert replies[7] == "Took back 1 choice.\n" + SESSION.format(clock="16:00")
    assert replies[8] == f"Saved as 'before', in {saves / 'before.json'}\n"
    assert replies[9] == SESSION.format(clock="16:30")
    assert replies[10] == GATE
    assert replies[11] == JOURNAL
    assert replies[12] == "Journal: 2 entries mention 'ROAR'.\n" + JOURNAL[JOURNAL.index("Entry 2."):JOURNAL.index("Entry 4.")]
    assert replies[13] == TIMELINE
    assert re.fullmatch(
        r"Saves: 2, newest first\.\n"
        r"  1\. before: 16:00, The session, after 1 choice\. Saved \d{4}-\d\d-\d\d \d\d:\d\d UTC\.\n"
        r"  2\. autosave: 17:00, The gate, after 3 choices\. Saved \d{4}-\d\d-\d\d \d\d:\d\d UTC\.\n", replies[14])
    kept = re.fullmatch(r"This playthrough is kept as the save '(finished - Asleep - \d{4}-\d\d-\d\d \d\d\.\d\d)'\. "
                        r"New games never replace it\.\n", replies[15][len(ENDING):])
    assert replies[15].startswith(ENDING) and kept, replies[15]
    assert replies[16] == ("The story is over. Type new for a new game, undo to step back, load NAME, journal, "
                           "timeline, or quit.\n")
    assert replies[17] == "What really happened. Nobody of the committee went home.\n"
    assert replies[18] == "Loaded 'before'.\n" + SESSION.format(clock="16:00")
    assert replies[19] == "\n"
    # End of input saved where the player was: back in the session at 16:00, one choice made.
    autosave = json.loads((saves / "autosave.json").read_text(encoding="utf-8"))
    assert (autosave["state"]["scene"], autosave["state"]["clock"]) == ("hall", 960)
    assert [e["choice"] for e in autosave["state"]["log"]] == ["read"]


def test_the_historical_path_ends_with_a_debrief_that_never_left_history(story: Path, tmp_path: Path) -> None:
    code, replies = play(story, tmp_path / "saves", "1", "1", "1", "1")
    assert code == 0
    ending = replies[4]
    assert "Ending: The session holds.\n\nMorning comes.\n" in ending
    assert "You did what history did in 4 of 4 decisions.\nYou never left history's path.\n" in ending
    assert "Your ending: The session holds. This is how the day really ended.\n" in ending
    assert "Here you left" not in ending


def test_undo_quit_and_mistakes(story: Path, tmp_path: Path) -> None:
    saves = tmp_path / "saves"
    code, replies = play(story, saves, "undo", "1", "undo 5", "undo x", "7", "frobnicate", "load nothing", "save",
                         "-1", "quit", "1")
    assert code == 0
    assert replies[1] == "Nothing to undo: this is where the playthrough began.\n"
    assert replies[3] == "Took back 1 choice.\n\n" + WIRE  # only one choice to take back
    assert replies[4] == "Undo takes a number of choices, for example: undo 2\n"
    assert replies[5] == "There is no choice 7. Choose 1 to 2.\n"
    assert replies[6] == "'frobnicate' is not a command. Type a choice's number, or help.\n"
    assert replies[7] == f"Could not load: {saves / 'nothing.json'}: no such save\n"
    assert replies[8] == "Give a name: save NAME\n"
    assert replies[9] == "There is no such choice: lists here are numbered from 1.\n"  # a number, not a command
    assert replies[10] == "Saved automatically. Goodbye.\n"
    assert len(replies) == 11  # nothing after quit was read
    assert json.loads((saves / "autosave.json").read_text(encoding="utf-8"))["state"]["log"] == []


def test_help_names_every_command(story: Path, tmp_path: Path) -> None:
    _, replies = play(story, tmp_path / "saves", "help")
    for word in ("look", "history", "journal", "timeline", "glossary", "undo", "save NAME", "load NAME", "saves",
                 "new", "help", "quit"):
        assert f"  {word}" in replies[1], word


def test_a_new_game_after_an_ending_or_midway_keeps_the_game_left(story: Path, tmp_path: Path) -> None:
    """`new`, as the title's "New game": the content note (if any) and the start; the game left stays in the
    autosave until the new game's first choice, which keeps it (finished, or as 'earlier game')."""
    saves = tmp_path / "saves"
    code, replies = play(story, saves, "2", "2", "new", "1", "new", "quit")
    assert code == 0
    assert replies[3].startswith("A new game. The last one ended, and is kept among the saves.\n\n" + WIRE[:30])
    finished = sorted(p.name for p in saves.glob("finished*.json"))
    assert len(finished) == 1  # kept at the ending, once
    assert replies[5].startswith("A new game. Your first choice in it keeps the last game as the save 'earlier game'.")
    assert replies[6] == "No choice made, so nothing to save; the autosave is as it was. Goodbye.\n"
    autosave = json.loads((saves / "autosave.json").read_text(encoding="utf-8"))
    assert [e["choice"] for e in autosave["state"]["log"]] == ["keep"]  # the second game, one choice in
    assert not (saves / "earlier game.json").exists()  # the third never made a choice: nothing set aside


def test_loading_a_finished_game_shows_the_debrief_again(story: Path, tmp_path: Path) -> None:
    saves = tmp_path / "saves"
    play(story, saves, "2", "2")
    code, replies = play(story, saves, "journal", extra=("--load", "autosave"))
    assert code == 0
    assert "Ending: Asleep.\n" in replies[0] and "Debrief: your decisions" in replies[0]
    assert replies[1].startswith("Journal: 3 entries.\n")


def test_plain_mode_asks_a_choices_reflection_and_keeps_the_answer(tmp_path: Path) -> None:
    from class_story import write_class_story
    story = write_class_story(tmp_path / "wire")
    saves = tmp_path / "saves"
    rc, replies = play(story, saves, "1", "So nobody panics", "quit")
    assert rc == 0
    assert "Why did you keep the telegram secret?" in replies[1]
    assert "an empty line goes on without" in replies[1]
    assert "Sailors" in replies[2] or "session" in replies[2].lower()
    saved = json.loads((saves / "autosave.json").read_text(encoding="utf-8"))
    assert saved["state"]["log"][0]["answer"] == "So nobody panics"
    rc, replies = play(story, tmp_path / "saves2", "1", "", "quit")  # an empty line skips the question
    saved = json.loads((tmp_path / "saves2" / "autosave.json").read_text(encoding="utf-8"))
    assert saved["state"]["log"][0]["choice"] == "keep" and "answer" not in saved["state"]["log"][0]


@pytest.mark.parametrize("closed", [0, 1])
def test_a_closed_input_or_output_ends_as_an_empty_or_discarded_one_does(story: Path, tmp_path: Path,
                                                                           closed: int) -> None:
    """`tauride play --plain <&-` (or `>&-`): Python gives None for the stream; it reads as `< /dev/null`
    (the game starts, meets the end of its input, and leaves with 0) instead of a traceback on None."""
    import os

    proc = subprocess.run(
        [sys.executable, "-m", "game", "play", "--plain", "--scenes", str(story), "--save-dir", str(tmp_path / "s")],
        cwd=REPO, input=None if closed == 0 else "quit\n", capture_output=closed == 0, timeout=60,
        stderr=subprocess.PIPE if closed == 1 else None, text=True, preexec_fn=lambda: os.close(closed))
    assert proc.returncode == 0 and "Traceback" not in (proc.stderr or "")
    if closed == 0:
        assert "Scene: The wire" in proc.stdout
