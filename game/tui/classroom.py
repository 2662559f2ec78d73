"""The classroom hook: who is playing, and where their saves go.

`tauride play --classroom ROOT [--class-code CODE]` starts on the title
screen by asking the student's name (and the class code, when one was
set); their saves then live in ROOT/<class>/<student>/ (ROOT/<student>/
without a code), each part made safe by `game.saves.safe_folder_name`, so
no name can write outside its folder.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from pathlib import Path

from ..saves import safe_folder_name
from ..views.typed_text import clean_line


@dataclass(frozen=True)
class Classroom:
    root: Path
    """The folder that holds every student's saves (`tauride serve` and `tauride report` read it)."""
    code: str | None = None
    """The class code students must type; None when the teacher set none."""

    def folder_for(self, student: str) -> Path:
        base = self.root / safe_folder_name(self.code) if self.code else self.root
        return base / safe_folder_name(student)

    def code_matches(self, typed: str) -> bool:
        """Case and surrounding spaces do not matter; compared in constant time."""
        if self.code is None:
            return True
        return hmac.compare_digest(typed.strip().casefold().encode(), self.code.strip().casefold().encode())


def check_student(raw: str) -> str:
    """The name as typed (trimmed), if it makes a folder; ValueError with a reason otherwise."""
    name = clean_line(raw)  # no escape sequence or control character reaches a save, a report or a terminal
    safe_folder_name(name)
    return name
