"""The guide's classroom sections: the content note, the chapters with their minutes, the source packet.

Kept apart from `guide.py` (the sheet's story figures) because these come
from the classroom parts of the story (`story.yaml`'s `content_note` and
`chapters`, the `documents:` files) and from `game.views.chapters`, which
plays the historical path to time each chapter. Written as Markdown only:
the guide's HTML page is that Markdown rendered (`guide.to_html`).
"""

from __future__ import annotations

from typing import Iterator

from ..story.model import Story
from ..views.chapters import ChapterError, ChapterPlan, chapter_plans
from ..views.reading import READ_ALOUD_WPM
from ..views.teaching import content_note_text, document_markdown


def _plans(story: Story) -> tuple[list[ChapterPlan], str | None]:
    """The chapters' plans, or none and why (a chapter the historical path does not reach)."""
    if not story.chapters:
        return [], None
    try:
        return chapter_plans(story), None
    except ChapterError as err:
        return [], str(err)


def content_note_md(story: Story) -> Iterator[str]:
    if story.content_note:
        yield f"> **{content_note_text(story.content_note)}**"
        yield ""


def chapters_md(story: Story) -> Iterator[str]:
    plans, problem = _plans(story)
    if not plans and not problem:
        return
    yield "## Chapters: lesson-sized parts"
    yield ""
    if problem:
        yield f"*The chapters cannot be timed: {problem}.*"
        yield ""
        return
    yield (f"Each chapter starts where the historical path reaches its hour, in the state that path has there "
           f"(`tauride class --chapter N`). Minutes are for reading aloud along the historical path at "
           f"{READ_ALOUD_WPM} words a minute: the scene text, the choices read out and the ending's epilogue. "
           "Votes and discussion come on top.")
    yield ""
    yield "| Chapter | Story time | Scenes | Votes | Words | Read aloud |"
    yield "|---|---|---:|---:|---:|---:|"
    for p in plans:
        yield (f"| {p.chapter.number}. {p.chapter.title} | {p.span} | {p.scenes} | {p.decisions} | {p.words:,} | "
               f"{p.minutes} min |")
    yield ""
    for p in plans:
        yield f"- **Chapter {p.chapter.number}, the story so far:** {p.chapter.so_far}"
    yield ""


def packet_md(story: Story) -> Iterator[str]:
    if not story.documents:
        return
    yield "## Source packet for students"
    yield ""
    yield ("Short primary documents, each with its full citation. The notes that rest on a document name it, "
           "and the discussion prompts call each one by its number.")
    yield ""
    for doc in story.documents.values():
        yield document_markdown(doc)
        yield ""
