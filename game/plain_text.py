"""The views as plain lines of text: for plain mode, and for anything else that
wants them linear (a transcript, a log).

Written for screen readers: every line says what it is ("You chose:",
"History:"), every list is numbered, nothing depends on colour, layout or
box drawing, and punctuation is the ordinary kind a voice reads smoothly.
Pure functions from views to lists of lines; no I/O.
"""

from __future__ import annotations

import re
import textwrap
from functools import lru_cache
from typing import TYPE_CHECKING

from .story.model import GlossaryEntry, Story
from .views import Debrief, JournalEntry, SourceRef, Timeline, Vote
from .views.notes import make_note, note_lines, source_lines


def minutes(n: int) -> str:
    return f"{n} minute{'s' if n != 1 else ''}" if n < 60 or n % 60 else f"{n // 60} hour{'s' if n != 60 else ''}"


def sentence(text: str) -> str:
    """End a line with a full stop unless it already ends a sentence."""
    text = text.strip()
    core = text.rstrip("\"'”’»")
    return text if not text or (core and core[-1] in ".!?…:;") else text + "."


def votes_line(votes: tuple[Vote, ...]) -> str:
    return "The class voted: " + "; ".join(
        f"{v.choice.text}: {v.count} vote{'s' if v.count != 1 else ''}" for v in votes) + "."


def sources_lines(sources: tuple[SourceRef, ...]) -> list[str]:
    """'Sources:' and one line per source, unmarked (the wording is `game.views.notes`')."""
    return [unmark(line) for line in source_lines(sources)]


if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token


@lru_cache(maxsize=1)
def _parser() -> "MarkdownIt":
    """CommonMark with tables and strikethrough: the parser and rules the full-screen game renders scenes with
    (`game/tui/widgets/scene_text.py`), so plain mode reads the same Markdown the same way."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def unmark(text: str, width: int | None = None) -> str:
    """Markdown as plain words, read by a CommonMark parser: no marks a voice would read out.

    Emphasis, code and link marks go and escapes are undone (`\\*` is `*`);
    a paragraph's lines join as the Markdown means them (a single line break
    in the file is a space), wrapped to `width` when given (a terminal) and
    one line each when not (piped, for a screen reader or a file). A block
    quote is indented, not marked with `>`; list items keep their number or
    get a dash; a thematic break is a blank line.
    """
    if not text.strip():
        return ""
    if "\n" not in text.strip():  # one line (a source, a label): its own indentation is layout, not Markdown
        lead = text[: len(text) - len(text.lstrip())]
        return lead + "\n\n".join(b for b in _blocks(_parser().parse(text.strip()), width) if b)
    blocks = _blocks(_parser().parse(text), width)
    return "\n\n".join(b for b in blocks if b)


def _inline(token: "Token") -> str:
    """The words of an inline token: text, code and line breaks kept, every mark dropped."""
    out: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline", "html_inline"):
            out.append(child.content)
        elif child.type == "softbreak":
            out.append(" ")
        elif child.type == "hardbreak":
            out.append("\n")
        elif child.type == "image":
            out.append(child.content or str(child.attrs.get("alt") or ""))
    return "".join(out)


_LEAD = re.compile(r" *(?:(?:\d+[.)]|[-*•]) +)?")
"""A line's indent and list marker ("  3. "): what a folded line's later lines hang under."""


def fold(text: str, width: int | None) -> str:
    """Lines longer than `width` broken between words, hanging under their indent and list marker;
    shorter lines as they are.

    Plain mode's own sentences (a question, a notice, a list's line) are written as one line; the
    terminal cut the long ones mid-word. Scene text comes already wrapped (`unmark`), so folding it
    changes nothing; piped output (`width` None) is left one line a paragraph.
    """
    if width is None or len(text) <= width:
        return text
    out: list[str] = []
    for line in text.split("\n"):
        if len(line) <= width:
            out.append(line)
            continue
        found = _LEAD.match(line)  # (it matches every line, if only the empty string)
        lead = found.group(0) if found else ""
        hang = " " * len(lead)
        out.append(_wrap(line[len(lead):], width, hang, lead) if len(hang) + 10 < width else line)
    return "\n".join(out)


def _wrap(text: str, width: int | None, indent: str = "", first: str | None = None) -> str:
    lead = indent if first is None else first
    lines = text.split("\n")
    if width is None or width <= len(indent) + 10:
        return "\n".join((lead if i == 0 else indent) + line for i, line in enumerate(lines))
    out: list[str] = []
    for i, line in enumerate(lines):
        out.extend(textwrap.wrap(line, width, initial_indent=lead if i == 0 else indent, subsequent_indent=indent,
                                 break_long_words=False, break_on_hyphens=False) or [lead if i == 0 else indent])
    return "\n".join(out)


def _blocks(tokens: "list[Token]", width: int | None) -> list[str]:
    """Each block of the document as plain text: paragraphs, headings, items, quotes, code."""
    out: list[str] = []
    quote = 0
    numbers: list[int | None] = []
    item_lead: str | None = None
    tight = False
    """The paragraph being read is hidden: an item of a tight list, which goes on the next line, not after a gap."""
    joined = False
    """The last block is an item of a tight list, so the next such item joins it."""
    for tok in tokens:
        indent = "    " * quote + "  " * max(0, len(numbers) - 1)
        if tok.type in ("bullet_list_open", "ordered_list_open", "blockquote_open"):
            joined = joined and len(numbers) > 0  # a new list or quote starts apart; a nested one stays with its item
        if tok.type == "blockquote_open":
            quote += 1
        elif tok.type == "blockquote_close":
            quote -= 1
        elif tok.type == "bullet_list_open":
            numbers.append(None)
        elif tok.type == "ordered_list_open":
            numbers.append(int(tok.attrs.get("start") or 1))
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            numbers.pop()
        elif tok.type == "list_item_open":
            n = numbers[-1]
            item_lead = indent + ("- " if n is None else f"{n}. ")
            if n is not None:
                numbers[-1] = n + 1
        elif tok.type == "paragraph_open":
            tight = tok.hidden
        elif tok.type == "inline":
            words = _inline(tok)
            if item_lead is not None:
                text = _wrap(words, width, indent + " " * (len(item_lead) - len(indent)), item_lead)
                item_lead = None
            else:
                text = _wrap(words, width, indent + ("  " * bool(numbers)))
            if tight and joined and out:
                out[-1] += "\n" + text
            else:
                out.append(text)
            joined = tight
        elif tok.type in ("fence", "code_block"):
            out.append("\n".join(indent + line for line in tok.content.rstrip("\n").split("\n")))
        elif tok.type == "html_block":
            out.append(tok.content.strip())
    return out


def journal_lines(story: Story, entries: list[JournalEntry], numbers: list[int] | None = None) -> list[str]:
    """Entries in full, each headed 'Entry N'; `numbers` gives each entry's number (default 1, 2, 3 …)."""
    out: list[str] = []
    for k, e in enumerate(entries):
        n = numbers[k] if numbers else k + 1
        where = f", {e.place_name}" if e.place_name else ""
        out.append(f"Entry {n}. {e.clock_text}{where}. {sentence(e.title)}{' You are here.' if e.current else ''}")
        out.append(unmark(e.text))
        if e.choice is not None:
            cost = f" (took {minutes(e.cost)})" if e.cost else ""
            out.append(f"You chose: {sentence(e.choice.text + cost)}")
        if e.votes:
            out.append(votes_line(e.votes))
        if e.reflect and e.answer is not None:
            out.append(f"Asked: {sentence(e.reflect)} Answered: {sentence(e.answer)}")
        if e.event is not None:
            out.append(f"Events overtook your choice: the story went on to {sentence(_event_scene_title(story, e.event))}")
        if e.ending:
            out.append(f"Ending: {sentence(e.ending)}")
        out.append("")
    return out


def _event_scene_title(story: Story, event_id: str) -> str:
    for ev in story.events:
        if ev.id == event_id and ev.goto in story.scenes:
            return story.scenes[ev.goto].title
    return "another scene"


def debrief_lines(d: Debrief) -> list[str]:
    """The debrief as numbered decisions."""
    out = ["Debrief: your decisions beside what the historical actors did."]
    if not d.rows:
        out.append("None of your decisions was one that history records.")
    else:
        out.append(f"You did what history did in {d.followed} of {len(d.rows)} decisions.")
        if d.left_history is None:
            out.append("You never left history's path.")
        else:
            r = d.rows[d.left_history]
            out.append(f"You first left history at {r.clock_text}, in {sentence(r.title)}")
    out.append("")
    for n, r in enumerate(d.rows, 1):
        out.append(f"Decision {n}. {r.clock_text}, {sentence(r.title)}")
        out.append(f"You chose: {sentence(r.chosen.text)}")
        hist = " or ".join(h.text for h in r.historical)
        verdict = "The same as history." if r.followed else "Not what history did."
        if d.left_history is not None and d.rows[d.left_history] is r:
            verdict += " Here you left history's path."
        out.append(f"History: {sentence(hist)} {verdict}")
        if r.votes:
            out.append(votes_line(r.votes))
        if r.answer is not None:
            out.append(f"Your answer: {sentence(r.answer)}")
        if r.note:
            out += [unmark(line) for line in note_lines(make_note(r.note, r.sources, r.invention))]
        else:
            out += sources_lines(r.sources)
        out.append("")
    if d.ending is not None:
        e = d.ending
        out.append(f"Your ending: {sentence(e.title)} "
                   + ("This is how the day really ended." if e.historical else "This is not how the day really ended."))
        out += [unmark(line) for line in note_lines(make_note(e.history, e.sources))]
    return out


TIMELINE_INTRO = "Timeline: the day as history records it, beside your afternoon. Times are story clock."


def timeline_groups(t: Timeline) -> tuple[list[tuple[str, list[str]]], list[str]]:
    """Time by time what history records ("History: …") and what you did ("You: …"), then what is said
    after the times: the words of `timeline_lines`, grouped for a page that heads each time (the reading mode).

    History's connecting steps, where the record says nothing, are left out;
    the notes themselves are left to `history` and the debrief.
    """
    groups: list[tuple[str, list[str]]] = []
    last = None
    for ln in t.side_by_side():
        said: list[str] = []
        h = ln.history
        if h is not None:
            if h.ending:
                said.append(f"History: {sentence(h.title)} Ending: {sentence(h.ending)}")
            elif h.historical and h.choice:
                said.append(f"History: {sentence(h.title)} What was done: {sentence(h.choice.text)}")
            elif h.note and not h.invention:
                said.append(f"History: {sentence(h.title)}")
        p = ln.player
        if p is not None:
            did = f" You chose: {sentence(p.choice.text)}" if p.choice else ""
            end = f" Ending: {sentence(p.ending)}" if p.ending else ""
            marks = ""
            if p.step == t.diverged:
                marks += " Here you left history's path."
            elif p.historical is False:
                marks += " History did otherwise."
            if p.step == t.here:
                marks += " You are here."
            said.append(f"You: {sentence(p.title)}{did}{end}{marks}")
        if not said:
            continue
        if ln.clock != last:  # one heading per time; steps at the same time follow in order
            groups.append((ln.clock_text, []))
            last = ln.clock
        groups[-1][1].extend(said)
    after = []
    if t.stopped:
        after.append(f"History's path ends early: {sentence(t.stopped)}")
    if t.diverged is None:
        after.append("So far you are on history's path.")
    return groups, after


def timeline_lines(t: Timeline) -> list[str]:
    """Time by time: what history records ("History:") and what you did ("You:"), as plain mode says it."""
    groups, after = timeline_groups(t)
    out = [TIMELINE_INTRO]
    for clock, said in groups:
        out.append(f"{clock}:")
        out += [f"  {line}" for line in said]
    return out + after


def glossary_list_lines(entries: list[GlossaryEntry]) -> list[str]:
    if not entries:
        return ["Glossary: no terms met yet."]
    out = [f"Glossary: {len(entries)} term{'s' if len(entries) != 1 else ''} met so far."]
    out += [f"  {n}. {g.term} ({g.kind})" for n, g in enumerate(entries, 1)]
    out.append("Type glossary and a number or a name to read an entry.")
    return out


def glossary_entry_lines(story: Story, g: GlossaryEntry) -> list[str]:
    out = [f"{g.term} ({g.kind}{', invented for the story' if g.invention else ''}).", unmark(g.text)]
    out += sources_lines(tuple(SourceRef(k, story.sources.get(k, "")) for k in g.sources))
    return out

