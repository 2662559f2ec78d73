"""A history note with its sources: one view, one wording, that every shell renders.

The play screen's pop-up, the facilitator's notes in group play, plain
mode, transcripts and the teacher's guide all show a scene's (or an
ending's) note on what really happened. They take a `NoteView` from here
and render `note_markdown` (the TUI as Markdown, the HTML pages through
markdown-it) or `note_lines` (plain text), so the heading, the invention
warning and the way sources are cited read the same everywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..story.model import Document, Ending, History, Story
from .refs import SourceRef, sources_of
from .teaching import document_lines, document_markdown, documents_of

NO_NOTE = "The writer left no historical note for this scene."
"""What a shell says when a scene has no note."""
INVENTED_LEAD = "This scene did not happen as written; the note says what did."
"""Said before the note of a scene the writer marked invented."""


@dataclass(frozen=True)
class NoteView:
    """What really happened at a scene or an ending, with its sources spelt out."""

    heading: str
    """'What really happened', or 'Invented scene' when the writer marked the scene invented."""
    invention: bool
    text: str
    """The note itself, in the story's Markdown, stripped."""
    sources: tuple[SourceRef, ...]
    """Each key as cited, with the full citation from story.yaml (empty if not listed there)."""
    documents: tuple[Document, ...] = ()
    """The source packet's documents the note rests on, in the note's order."""


def make_note(text: str, sources: tuple[SourceRef, ...], invention: bool = False,
              documents: tuple[Document, ...] = ()) -> NoteView:
    """A note from its parts (the debrief's rows and ending carry them already resolved)."""
    heading = "Invented scene" if invention else "What really happened"
    return NoteView(heading, invention, text.strip(), sources, documents)


def scene_note(story: Story, history: History | None) -> NoteView | None:
    """A scene's note, or None when the writer left none."""
    if history is None:
        return None
    return make_note(history.note, sources_of(story, history.sources), history.invention,
                     documents_of(story, history.documents))


def ending_note(story: Story, ending: Ending) -> NoteView:
    """What really happened, beside an ending."""
    return make_note(ending.history, sources_of(story, ending.sources))


def anchor(heading: str) -> str:
    """The id a rendered page gives a heading (and a link to it): lower case, words joined by '-'."""
    return "-".join(re.findall(r"\w+", heading.lower()))


def _citation(ref: SourceRef) -> str:
    return f"[{ref.key}] {ref.citation or '(not listed in the story)'}"


def note_markdown(note: NoteView | None, *, documents_below: bool = False) -> str:
    """The note as Markdown: a bold heading, the invention warning, the text, a list of sources, its documents.

    `documents_below`: a document that prints the source packet in full at
    its end (a transcript) names the note's documents here instead of
    repeating them.
    """
    if note is None:
        return f"*{NO_NOTE}*"
    lead = f" {INVENTED_LEAD}" if note.invention else ""
    parts = [f"**{note.heading}.**{lead}", "", note.text]
    if note.sources:
        parts += ["", "Sources:", ""] + [f"- {_citation(ref)}" for ref in note.sources]
    if note.documents and documents_below:
        parts += ["", "*Documents (in the source packet below):* "
                  + "; ".join(f"[{d.label}](#{anchor(d.label)})" for d in note.documents)]
    elif note.documents:
        parts += ["", "---", "", "**Documents this note rests on** (from the source packet):"]
        for doc in note.documents:
            parts += ["", document_markdown(doc, heading="####")]
    return "\n".join(parts)


def note_lines(note: NoteView | None) -> list[str]:
    """The note as plain lines (plain mode reads them out): the same words as `note_markdown`, unmarked by the caller."""
    if note is None:
        return [NO_NOTE]
    lead = f" {INVENTED_LEAD}" if note.invention else ""
    lines = [f"{note.heading}.{lead} {note.text}", *source_lines(note.sources)]
    if note.documents:
        lines.append(f"Documents this note rests on: {len(note.documents)}.")
        for doc in note.documents:
            lines += document_lines(doc)
    return lines


def source_lines(sources: tuple[SourceRef, ...]) -> list[str]:
    """'Sources:' and one line per source, as plain text (notes and glossary entries alike)."""
    return ["Sources:"] + [f"  {_citation(ref)}" for ref in sources] if sources else []
