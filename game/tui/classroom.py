"""The classroom hook: who is playing, and where their saves go.

`tauride play --classroom ROOT [--class-code CODE]` starts on the title
screen by asking the student's name (and the class code, when one was
set); their saves then live in ROOT/<class>/<student>/ (ROOT/<student>/
without a class). The student's folder is named by
`game.classroom.students` (one folder per student, whatever they type), so
no name can write outside its folder or into another student's.

Served (`tauride serve`), the server has already checked the class code,
the name and the student's PIN before the game starts: the game is told
who is playing (`student`) and does not ask, nor offer "someone else".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..classroom.door import code_matches
from ..classroom.students import claim_folder, settings_file, student
from ..saves import safe_folder_name


@dataclass(frozen=True)
class Classroom:
    root: Path
    """The folder that holds every student's saves (`tauride serve` and `tauride report` read it)."""
    code: str | None = None
    """The class code students must type in the game; None when the teacher set none or the server asked it."""
    group: str | None = None
    """The class's folder name under `root`; None: the class code's (or no class folder without a code)."""
    student: str | None = None
    """Set when the server signed the student in: the game plays as them and never asks."""

    @property
    def class_dir(self) -> Path:
        name = self.group or self.code
        return self.root / safe_folder_name(name) if name else self.root

    @property
    def class_name(self) -> str | None:
        """What saves record as the class (and the title screen shows)."""
        return self.group or self.code

    def folder_for(self, name: str) -> Path:
        return claim_folder(self.class_dir, student(name))

    def settings_for(self, name: str) -> Path:
        """The student's own settings file (served mode): a theme one student picks is theirs alone."""
        return settings_file(self.folder_for(name))

    def code_matches(self, typed: str) -> bool:
        """The same rule as the served door's: case, spaces and hyphens do not matter; constant time."""
        return self.code is None or code_matches(self.code, typed)


def check_student(raw: str) -> str:
    """The name as typed (tidied), if it can identify a student; ValueError with a reason otherwise."""
    return student(raw).name


_ABSOLUTE_PATH = re.compile(r"(?<![\w.~])(?:[A-Za-z]:)?[/\\](?:[^\s/\\'\":]+[/\\])+(?=[^\s/\\'\":]*)")
"""The folders of an absolute path (POSIX or Windows), up to its last part."""


def without_paths(text: str) -> str:
    """A message with the laptop's folders taken out (`/home/t/saves/9B/anna-…/autosave.json` → `…/autosave.json`).

    Served, a message reaches a student's browser: the file it names is enough for them
    and their teacher (who has the server's log); where the laptop keeps it is not theirs.
    """
    return _ABSOLUTE_PATH.sub("…/", text)
