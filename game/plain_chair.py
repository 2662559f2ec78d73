"""Plain mode's chair question: which point of view to play, for a story folder of several.

Asked once, before the content note, only when a person is at the keyboard
(stdin is a terminal), no `--chair` was given and a new game starts. Piped
input (scripts, golden transcripts, a screen reader's batch) is never asked:
it plays the folder's own chair unless it passes `--chair`, so a script
replays exactly as before. Numbers are read as plain mode reads every line
(`game.plain_input`).
"""

from __future__ import annotations

from typing import Sequence, TextIO

from .plain_input import read_lines
from .story.model import Chair

TRIES = 3
"""After this many unusable answers the folder's own chair is played (and the player told so)."""


def ask_chair(chairs: Sequence[Chair], inp: TextIO, out: TextIO) -> str | None:
    """The id of the chair the player picks by number (Enter: the first); None when the input ended."""
    out.write("This story can be played from more than one chair:\n")
    for number, chair in enumerate(chairs, 1):
        out.write(f"  {number}. {chair.title}\n")
    lines = read_lines(inp)
    for _ in range(TRIES):
        out.write(f"Which chair? (1-{len(chairs)}, Enter for 1) ")
        out.flush()
        line = next(lines, None)
        if line is None:
            out.write("\n")
            return None
        answer = line.text.strip()
        if not answer:
            return chairs[0].id
        if answer.isascii() and answer.isdigit() and 1 <= int(answer) <= len(chairs):
            return chairs[int(answer) - 1].id
        out.write(f"Type a number from 1 to {len(chairs)}.\n")
    out.write(f"Playing the first chair: {chairs[0].title}.\n")
    return chairs[0].id
