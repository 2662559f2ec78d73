"""Bar charts as inline SVG: no script, no library, nothing fetched; they print and project.

Colour is never the only signal: a bar that stands for what really happened
also carries a "✔ history" label, and every bar has its number beside it.
"""

from __future__ import annotations

from dataclasses import dataclass

from .page import esc

HIST = "#2f7a4f"
PLAIN = "#5b6f8c"
GREY = "#9a9388"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    shown: str
    """The value as printed beside the bar ("12 · 40%")."""
    historical: bool = False
    faded: bool = False
    """Drawn in grey (e.g. an ending nobody reached)."""


def _wrap(text: str, width: int) -> list[str]:
    words, lines, line = text.split(), [], ""
    for w in words:
        if line and len(line) + 1 + len(w) > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    if line:
        lines.append(line)
    return lines[:3] or [""]


def bar_chart(bars: list[Bar], *, title: str, width: int = 900, label_chars: int = 34) -> str:
    """A horizontal bar chart sized to its rows; labels wrap onto up to three lines."""
    label_w = int(label_chars * 7.2)
    bar_x = label_w + 16
    notes = [b.shown + (" ✔ history" if b.historical else "") for b in bars]
    bar_max = width - bar_x - 16 - int(7.6 * max((len(n) for n in notes), default=8))
    top = max((b.value for b in bars), default=0) or 1
    rows = []
    y = 8
    for b in bars:
        lines = _wrap(b.label, label_chars)
        h = max(26, 16 * len(lines) + 8)
        colour = GREY if b.faded else HIST if b.historical else PLAIN
        length = max(2.0, bar_max * b.value / top) if b.value else 0.0
        text = "".join(
            f'<tspan x="{label_w}" dy="{0 if i == 0 else 16}">{esc(line)}</tspan>' for i, line in enumerate(lines)
        )
        ty = y + h / 2 - 8 * (len(lines) - 1) + 5
        rows.append(f'<text x="{label_w}" y="{ty:.1f}" text-anchor="end" font-size="13" fill="#1d1b19">{text}</text>')
        if length:
            rows.append(f'<rect x="{bar_x}" y="{y + h / 2 - 9:.1f}" width="{length:.1f}" height="18" rx="2" fill="{colour}"/>')
        note = esc(b.shown + (" ✔ history" if b.historical else ""))
        weight = ' font-weight="600"' if b.historical else ""
        rows.append(f'<text x="{bar_x + length + 8:.1f}" y="{y + h / 2 + 5:.1f}" font-size="13" fill="#1d1b19"{weight}>{note}</text>')
        y += h + 6
    height = y + 4
    return (f'<figure><svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" style="max-width:100%;height:auto"><title>{esc(title)}</title>'
            + "".join(rows) + "</svg></figure>")
