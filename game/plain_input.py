"""What plain mode reads: lines of bounded length, cleaned of control characters, numbers in ASCII digits.

Plain mode reads from a terminal, a screen reader or a pipe, and whatever
comes in may be echoed back in a message. So a line is read at most
`MAX_LINE` characters at a time (the rest of a longer line is skipped, never
held in memory), control characters and bidirectional overrides are taken
out before anything is printed, and only the digits 0-9 make a number
(`'²'.isdigit()` is true, but `int('²')` fails).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Iterator, TextIO

MAX_LINE = 1000
"""The longest line acted on, in characters: a command, a choice's number or a save name is far shorter."""
SKIP_CHUNK = 64 * 1024
"""How much of an over-long line is read (and dropped) at a time."""
MAX_NUMBER_DIGITS = 6
"""A choice, an undo count or a glossary number longer than this is no number the game can have."""
_BIDI = {"\u061c", "\u200e", "\u200f", *(chr(c) for c in range(0x202A, 0x202F)), *(chr(c) for c in range(0x2066, 0x206A))}
_ASCII_DIGITS = re.compile(r"[0-9]+")


@dataclass(frozen=True)
class Line:
    """One line of input, cleaned; `dropped` says what was taken out, for a message."""

    text: str
    too_long: int = 0
    """The length of a line longer than MAX_LINE (0 otherwise): such a line is not acted on."""
    controls: int = 0
    """How many control characters were taken out of it."""


def read_lines(inp: TextIO, limit: int = MAX_LINE) -> Iterator[Line]:
    """The lines of `inp`, each read at most `limit` characters at a time, cleaned."""
    while True:
        raw = inp.readline(limit + 1)
        if not raw:
            return
        if len(raw) > limit and not raw.endswith("\n"):
            length = len(raw)
            while True:
                chunk = inp.readline(SKIP_CHUNK)
                length += len(chunk)
                if not chunk or chunk.endswith("\n"):
                    length -= chunk.endswith("\n")  # the line's end is not part of it
                    break
            yield Line("", too_long=length)
            continue
        text, removed = clean(raw.rstrip("\r\n"))
        yield Line(text, controls=removed)


def clean(text: str) -> tuple[str, int]:
    """`text` without control characters or bidirectional controls (a tab becomes a space); and how many went."""
    out = []
    removed = 0
    for ch in text:
        if ch == "\t":
            out.append(" ")
        elif unicodedata.category(ch) == "Cc" or ch in _BIDI:
            removed += 1
        else:
            out.append(ch)
    return "".join(out), removed


def number(text: str) -> int | None:
    """The number `text` spells in ASCII digits (at most MAX_NUMBER_DIGITS of them), else None."""
    if not _ASCII_DIGITS.fullmatch(text) or len(text) > MAX_NUMBER_DIGITS:
        return None
    return int(text)


def looks_like_number(text: str) -> bool:
    """Digits of any kind (ASCII, superscript, circled, other scripts), after a sign if any: meant as a number,
    whether or not readable ('-1' is a number no list has, answered as '0' and '99' are, not as a command)."""
    digits = text[1:] if text[:1] in "+-−" else text
    return bool(digits) and all(unicodedata.category(ch) in ("Nd", "No", "Nl") for ch in digits)


def why_not_a_number(text: str) -> str:
    """Why a `looks_like_number` text is refused, in words (the text itself is already clean to print)."""
    if text[:1] in "-−":
        return "lists here are numbered from 1"
    if text[:1] == "+":
        return f"type the number without the '+', as in {text[1:]}"
    if _ASCII_DIGITS.fullmatch(text):
        return f"the number has {len(text)} digits; no list here is that long"
    return f"'{text}' is not written with the digits 0 to 9; type the number with them"
