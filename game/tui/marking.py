"""Glossary names in scene text, turned into Markdown links the player can select.

The spans come from `game.views.terms` (the rules of what counts as a
mention live there); this module only writes them into the Markdown as
`[words](gloss:ENTRY)` links, which the Markdown widget underlines and
reports when clicked. Only the first mention of each entry in a text is
marked, as a book's margin note would be.
"""

from __future__ import annotations

from ..views.terms import TermFinder, TermSpan

SCHEME = "gloss:"


def first_mentions(spans: list[TermSpan]) -> list[TermSpan]:
    seen: set[str] = set()
    out = []
    for span in spans:
        if span.entry not in seen:
            seen.add(span.entry)
            out.append(span)
    return out


def _inside_markup(text: str, start: int, end: int) -> bool:
    """A mention already inside a Markdown link or code, which a second link would break."""
    before = text[:start]
    if before.count("`") % 2:
        return True
    opened = before.rfind("[")
    return opened > before.rfind("]") or text[end:end + 2] == "](" or before.endswith("](")


def mark_terms(finder: TermFinder, text: str) -> tuple[str, list[TermSpan]]:
    """The text with first mentions linked, and the spans that were marked (in order)."""
    spans = [s for s in first_mentions(finder.find(text)) if not _inside_markup(text, s.start, s.end)]
    out = text
    for span in reversed(spans):
        words = out[span.start:span.end].replace("[", "").replace("]", "")
        out = f"{out[:span.start]}[{words}]({SCHEME}{span.entry}){out[span.end:]}"
    return out, spans


def entry_of(href: str) -> str | None:
    """The glossary id a link points at, or None for any other link."""
    return href[len(SCHEME):] if href.startswith(SCHEME) else None


def reveal_points(text: str) -> list[int]:
    """Offsets where typed reveal may pause: after words, never inside a link's markup."""
    points = []
    depth = 0
    for i, ch in enumerate(text):
        if ch == "[":
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
        elif ch in " \n" and not depth:
            points.append(i)
    points.append(len(text))
    return points
