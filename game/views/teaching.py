"""What a class is told beside the story: the content note, the meters, the endings, the documents.

Each is one function here so the Textual game, plain mode, the class screen
and the transcripts say the same words.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Protocol

from ..story.model import Chapter, ContentNote, Document, Story, Variable


def content_note_text(note: ContentNote) -> str:
    """The note as one paragraph, heading first: 'Content note · for ages 15+. …'."""
    return f"{note.heading}. {note.text}"


@dataclass(frozen=True)
class Opening:
    """What every shell shows before a new game: the content note, and a chapter's story so far."""

    TITLE = "Before you begin"
    """Its heading, in every shell that gives it one (a class's projected screen says "we")."""

    note: ContentNote | None
    chapter: Chapter | None = None

    @property
    def empty(self) -> bool:
        return self.note is None and self.chapter is None

    def markdown(self) -> str:
        parts = []
        if self.note is not None:
            parts += [f"**{self.note.heading}.** {self.note.text}"]
        if self.chapter is not None:
            parts += [f"**Chapter {self.chapter.number}: {self.chapter.title}.** The story so far: {self.chapter.so_far}"]
        return "\n\n".join(parts)

    def lines(self) -> list[str]:
        out = [content_note_text(self.note), ""] if self.note is not None else []
        if self.chapter is not None:
            out += [f"Chapter {self.chapter.number}: {self.chapter.title}.", f"The story so far: {self.chapter.so_far}", ""]
        return out


def opening(story: Story, chapter: Chapter | None = None) -> Opening:
    return Opening(story.content_note, chapter)


@dataclass(frozen=True)
class Meter:
    """A variable the player sees, with what it measures, for a key or a help line."""

    name: str
    label: str
    value: Any
    range: tuple[int, int] | None
    meaning: str
    """The writer's description: what it measures and whether high is good."""


def meters(story: Story, values: Mapping[str, Any]) -> list[Meter]:
    """The shown variables, in the order declared, each with its description."""
    return [Meter(v.name, v.display_name, values.get(v.name, v.default), v.range, _meaning(v))
            for v in story.variables.values() if v.shown]


def _meaning(v: Variable) -> str:
    return (v.description or "").strip() or "The writer has not said what this measures."


def meter_value(m: Meter) -> str:
    if isinstance(m.value, bool):
        return "yes" if m.value else "no"
    return f"{m.value} of {m.range[1]}" if m.range is not None else str(m.value)


class _Judged(Protocol):
    """An ending as the model or a view holds it: all the verdict needs is whether it is history's."""

    @property
    def historical(self) -> bool: ...


def ending_verdict(ending: _Judged) -> str:
    """Whether an ending is what happened, said in words (never only a colour or a mark)."""
    if ending.historical:
        return "The historical outcome: this is how the day really ended."
    return "A counterfactual ending: history went otherwise (see what really happened)."


PARAPHRASE_NOTE = "Paraphrased or described: only words in quotation marks are the document's own."
"""Said wherever a paraphrase is shown, so no student takes the writer's words for the source's."""


def documents_of(story: Story, ids: Iterable[str]) -> tuple[Document, ...]:
    """The packet's documents a note names, in the note's order."""
    return tuple(story.documents[i] for i in ids if i in story.documents)


def document_markdown(doc: Document, *, heading: str = "###") -> str:
    """A document as a student reads it: label, who and when, the excerpt, then its citation."""
    parts = [f"{heading} {doc.label}", "", f"*{doc.author}, {doc.date}.*"]
    if doc.context:
        parts += ["", doc.context.strip()]
    excerpt = doc.text.strip()
    if doc.paraphrase:
        parts += ["", f"*{PARAPHRASE_NOTE}*", "", excerpt]
    else:
        parts += ["", "> " + excerpt.replace("\n", "\n> ")]
    cite = f"**Source:** {doc.citation}"
    if doc.translation:
        cite += f" Translation: {doc.translation}."
    parts += ["", cite]
    return "\n".join(parts)


def document_lines(doc: Document) -> list[str]:
    """A document as plain lines, for plain mode and screen readers."""
    lines = [f"{doc.label}. {doc.author}, {doc.date}."]
    if doc.context:
        lines.append(doc.context.strip())
    if doc.paraphrase:
        lines.append(PARAPHRASE_NOTE)
    lines += [line for line in doc.text.strip().splitlines()]
    lines.append(f"Source: {doc.citation}" + (f" Translation: {doc.translation}." if doc.translation else ""))
    return lines
