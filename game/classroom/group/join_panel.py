"""The projected screen's join panel: the vote's address, the class code spaced out large, and a QR code.

The QR code is drawn with half-block characters (two modules per
character cell, so it stays square in a terminal's 1:2 cells), dark on
light with the quiet zone the standard asks for; phones read it off a
projector. `segno` makes the code; nothing here draws pixels.
"""

from __future__ import annotations

import segno
from textual.widgets import Static

HALF = {(True, True): "█", (True, False): "▀", (False, True): "▄", (False, False): " "}


def qr_lines(text: str, border: int = 2) -> list[str]:
    """`text` as a QR code in half blocks: █ where both stacked modules are light (the terminal's text colour
    on a dark background), so the light quiet zone frames the code as a phone expects."""
    code = segno.make(text, error="l", boost_error=False)
    rows = [[not bool(m) for m in row] for row in code.matrix_iter(scale=1, border=border)]
    if len(rows) % 2:
        rows.append([True] * len(rows[0]))
    return ["".join(HALF[(a, b)] for a, b in zip(top, bottom)) for top, bottom in zip(rows[0::2], rows[1::2])]


def spaced(code: str) -> str:
    """A class code for the back row: `K7M3QX` → `K 7 M   3 Q X`."""
    half = (len(code) + 1) // 2
    return "   ".join(" ".join(part) for part in (code[:half], code[half:]) if part)


class JoinPanel(Static):
    """Where devices go to vote: shown beside the scene; `j` hides it for more room."""

    def __init__(self, url: str, code: str | None, *, id: str | None = None) -> None:
        self.url = url
        self.code = code
        super().__init__(self.text(), id=id)

    def text(self) -> str:
        from rich.markup import escape

        shown = self.url.split("?", 1)[0]
        lines = ["[b]Vote on your phone[/b]", "", *qr_lines(self.url), "", escape(shown)]
        if self.code:
            lines += ["", "Class code", f"[b reverse] {spaced(self.code)} [/]"]
        return "\n".join(lines)

    def set_tally(self, devices: int) -> None:
        self.update(self.text() + f"\n\n{devices} device{'' if devices == 1 else 's'} joined")
