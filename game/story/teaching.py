"""The classroom parts of a story: the content note, the chapters and the source packet.

Built by the loader from the checked files, with errors at their places:
a document id given twice, a note naming a document that does not exist,
a prompt's `[doc:ID]` that names no document, a chapter starting at a scene
that does not exist. Whether a chapter's scene lies on the historical path
needs the engine, so `game.views.chapters` checks that (and `tauride
validate` reports it).

Prompts name documents as `[doc:ID]`; the loader writes the document's
label in its place ('Document 3 (Lenin, "Three Crises")'), so every shell
that shows a prompt shows the same words, and a student can find the page.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping

from .model import Chapter, ContentNote, Document
from .problems import did_you_mean

if TYPE_CHECKING:
    from .file_shape import Parsed
    from .yamlsrc import SourceFile

Report = Callable[["SourceFile", tuple[Any, ...], str], None]
"""The loader's `error`: a message at a place in a file."""

DOC_REF = re.compile(r"\[doc:\s*([^\]\s]*)\s*\]")
"""How a prompt names a document: `[doc:lenin_three_crises]`."""


def documents(parsed: Iterable[Parsed], error: Report) -> dict[str, Document]:
    """Every file's `documents:`, numbered in the order the files list them; duplicates are errors."""
    out: dict[str, Document] = {}
    for p in parsed:
        for i, d in enumerate(p.spec.documents if p.spec else ()):
            if d.id in out:
                error(p.src, ("documents", i, "id"), f"duplicate document id '{d.id}'")
                continue
            out[d.id] = Document(d.id, len(out) + 1, d.title.strip(), d.author.strip(), d.date.strip(), d.text.strip(),
                                 d.citation.strip(), d.translation, d.paraphrase, d.context)
    return out


def check_documents(src: SourceFile, loc: tuple[Any, ...], ids: Iterable[str], docs: Mapping[str, Document],
                    error: Report) -> tuple[str, ...]:
    """A note's `documents:` list, each id checked against the packet."""
    out = []
    for k, doc_id in enumerate(ids):
        if doc_id not in docs:
            error(src, loc + (k,), f"document '{doc_id}' is not in any file's documents:.{did_you_mean(doc_id, docs)}")
        else:
            out.append(doc_id)
    return tuple(out)


def prompts(src: SourceFile, loc: tuple[Any, ...], items: Iterable[str], docs: Mapping[str, Document],
            error: Report) -> tuple[str, ...]:
    """Discussion prompts with each `[doc:ID]` written out as the document's label."""
    out = []
    for k, text in enumerate(items):
        def label(m: re.Match[str], k: int = k) -> str:
            doc = docs.get(m.group(1))
            if doc is None:
                error(src, loc + (k,), f"prompt names document '{m.group(1)}', which is not in any file's "
                                       f"documents:.{did_you_mean(m.group(1), docs)}")
                return m.group(0)
            return doc.label

        out.append(DOC_REF.sub(label, text))
    return tuple(out)


def content_note(spec: Any) -> ContentNote | None:
    note = spec.content_note
    return ContentNote(note.age, " ".join(note.text.split())) if note is not None else None


def chapters(src: SourceFile, spec: Any, known_scenes: set[str], error: Report) -> tuple[Chapter, ...]:
    """story.yaml's `chapters:`, numbered from 1; each must start at a scene (once)."""
    out = []
    seen: set[str] = set()
    for i, c in enumerate(spec.chapters):
        if c.start not in known_scenes:
            error(src, ("chapters", i, "start"),
                  f"chapter {i + 1} starts at '{c.start}', which is not a scene.{did_you_mean(c.start, known_scenes)}")
        elif c.start in seen:
            error(src, ("chapters", i, "start"), f"chapter {i + 1} starts at '{c.start}', as an earlier chapter does")
        seen.add(c.start)
        out.append(Chapter(i + 1, c.title.strip(), c.start, c.so_far.strip()))
    return tuple(out)
