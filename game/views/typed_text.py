"""Text a person typed (a student's name, a reflection answer), made safe to show anywhere.

Names and answers come back from save files, which anyone can edit, and
are shown in terminals (the game, `tauride report`), Markdown and HTML. A
terminal obeys escape sequences: an answer holding `ESC ] 0 ; … BEL` retitles
the teacher's window, `ESC [ 2 J` clears it, and a bidirectional override
makes a name read backwards. So every shell shows this text only after
`clean_line` or `clean_block`, which drop ECMA-48 escape and control
sequences whole (not just their ESC, which would leave `[2J` behind) and
then every remaining control and bidi-control character. Markup (Rich's
`[bold]`, Markdown, HTML) is a separate matter, escaped by each output
where it meets its own markup language. Pure: no terminal library needed.
"""

from __future__ import annotations

import re
import unicodedata

_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves, clearing the screen
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # OSC (window title,
    # links, clipboard), DCS, SOS, PM, APC: a string up to BEL or ST
    r"|\x1b[ -/]*[0-~]"  # any other escape (ESC ( B, ESC 7, ESC c)
)
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""Marks and overrides that reorder how the text around them is shown."""


def _printable(ch: str, keep: str) -> bool:
    return ch in keep or (unicodedata.category(ch) != "Cc" and ch not in _BIDI)


def clean_block(text: str) -> str:
    """Text of several lines (an answer): escape sequences and control characters removed, line breaks kept.

    A carriage return ends a line like a newline does (a pasted Windows
    answer); a tab becomes a space.
    """
    text = _SEQUENCE.sub("", text).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return "".join(ch for ch in text if _printable(ch, "\n"))


def clean_line(text: str) -> str:
    """One line (a name): like `clean_block`, with line breaks and runs of spaces made one space."""
    return " ".join(clean_block(text).split())


def clean_answer(text: str | None) -> str | None:
    """An answer as stored in a save (None when none was given), cleaned by `clean_block`; None if nothing is left."""
    if text is None:
        return None
    cleaned = clean_block(text).strip()
    return cleaned or None


def clean_name(text: object) -> str | None:
    """A name as stored in a save's meta (anything JSON holds), cleaned by `clean_line`; None if nothing is left."""
    if not text:
        return None
    return clean_line(str(text)) or None
