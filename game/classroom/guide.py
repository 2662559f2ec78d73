"""A teacher's sheet, generated from the story files themselves.

A writer's new story gets a classroom sheet for free, and the sheet can
never drift from the story: hours and scenes with reading time from word
counts, the route the real actors took, the decision points with their
historical choice, the endings, the people and places met, every
discussion prompt, and the sources. One document: written as Markdown,
rendered to a self-contained HTML page by markdown-it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterator

from ..story.model import GlossaryEntry, Hour, Scene, Story, format_clock
from ..views.notes import note_markdown, scene_note
from ..views.reading import READ_ALOUD_WPM, count_words, read_aloud_minutes, scene_words
from ..views.timeline import historical_route as historical_route  # the one route, re-exported for callers
from ..words import count
from .guide_lesson import chapters_md, content_note_md, packet_md
from .guide_roleplay import roleplay_md
from .page import esc, md, page, render_document
from .transcript import duration

WORDS_PER_MINUTE = 180
"""A steady reading pace for school students reading on a screen (adults read 200–250)."""

words = count_words
"""The one word counter (`game/views/reading.py`), under the name this module's callers know."""


def reading_minutes(n_words: int) -> float:
    return n_words / WORDS_PER_MINUTE


def reading(n_words: int, *, about: bool = False) -> str:
    """Reading time for a word count, rounded up to whole minutes ('under a minute' for a few lines).

    `about`: say that the minutes are a rounded figure ('about 5 min'); a time under a minute is
    said as it is, since 'about under a minute' is not how anyone speaks."""
    minutes = reading_minutes(n_words)
    if minutes < 1:
        return "under a minute"
    return ("about " if about else "") + duration(math.ceil(minutes))


@dataclass(frozen=True)
class HourInfo:
    hour: Hour
    scenes: tuple[Scene, ...]
    words: int


def hours(story: Story) -> list[HourInfo]:
    """The hours in story-clock order (files are often named so that 01-… sorts before 15-…)."""
    out = []
    for h in story.hours:
        scenes = tuple(story.scenes[s] for s in h.scenes if s in story.scenes)
        out.append(HourInfo(h, scenes, sum(scene_words(s) for s in scenes)))
    never = story.clock_end + 24 * 60
    return sorted(out, key=lambda i: min((s.time for s in i.scenes if s.time is not None), default=never))


def decision_points(story: Story) -> list[Scene]:
    """Scenes where history records what was done, in story-clock order."""
    return [s for info in hours(story) for s in info.scenes if any(c.historical for c in s.choices)]


@dataclass(frozen=True)
class Option:
    """A choice as a teacher reads it: choices the writer split by condition but worded alike count once."""

    text: str
    historical: bool
    reflect: str | None


def options(scene: Scene) -> list[Option]:
    merged: dict[str, Option] = {}
    for c in scene.choices:
        old = merged.get(c.text_source)
        merged[c.text_source] = Option(c.text_source, c.historical or bool(old and old.historical),
                                       (old.reflect if old else None) or c.reflect)
    return list(merged.values())


def glossary_groups(story: Story) -> list[tuple[str, list[GlossaryEntry]]]:
    order = {"person": "People", "place": "Places", "body": "Bodies and groups", "term": "Terms"}
    groups: dict[str, list[GlossaryEntry]] = {}
    for entry in story.glossary.values():
        groups.setdefault(entry.kind, []).append(entry)
    out = [(order[k], sorted(groups.pop(k), key=lambda e: e.term)) for k in order if k in groups]
    out += [(k.capitalize(), sorted(v, key=lambda e: e.term)) for k, v in groups.items()]
    return out


def all_prompts(story: Story) -> list[tuple[Hour, list[tuple[str, str]]]]:
    """Per hour: (where, prompt) for its scenes' prompts, then the hour's own (shown at the end of the hour)."""
    out: list[tuple[Hour, list[tuple[str, str]]]] = []
    for info in hours(story):
        items = [(s.title, p) for s in info.scenes for p in s.discussion]
        items += [(f"end of {info.hour.title}", p) for p in info.hour.discussion]
        if items:
            out.append((info.hour, items))
    return out


def _when(scene: Scene) -> str:
    return format_clock(scene.time) if scene.time is not None else ""


def _place(story: Story, scene: Scene) -> str:
    return story.glossary[scene.place].term if scene.place and scene.place in story.glossary else ""


def _totals(story: Story) -> tuple[int, list[Scene], int]:
    """Every word written (all branches), the historical route, and the words read along it (as the chapters
    count them: `views.chapters.words_read`, so the sheet's route and its chapters' table agree)."""
    from ..views.chapters import historical_path_words

    total = sum(scene_words(s) for s in story.scenes.values())
    return total, historical_route(story), historical_path_words(story)


def clock_span(story: Story) -> str:
    """How long the story clock runs, across midnight if its end is earlier in the day: '22 hours'."""
    hours, minutes = divmod((story.clock_end - story.clock_start) % (24 * 60) or 24 * 60, 60)
    if not minutes:
        return count(hours, "hour")
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"


# ------------------------------------------------------------------ Markdown
def to_markdown(story: Story) -> str:
    return "\n".join(_md(story)).rstrip() + "\n"


def _md(story: Story) -> Iterator[str]:
    total, route, route_words = _totals(story)
    points = decision_points(story)
    yield f"# {story.title} — teacher's sheet"
    yield ""
    if story.author:
        yield f"*by {story.author}*"
        yield ""
    if story.description:
        yield story.description.strip()
        yield ""
    yield from content_note_md(story)
    yield (f"Story clock {format_clock(story.clock_start)}–{format_clock(story.clock_end)} ({clock_span(story)}) · "
           f"{count(len(story.hours), 'scene file')} · {len(story.scenes)} scenes · "
           f"{count(len(points), 'decision point')} · {len(story.endings)} endings · "
           f"{total:,} words in all branches ({reading(total, about=True)} to read everything)")
    yield ""
    recorded = sum(1 for s in route if any(c.historical for c in s.choices))
    yield (f"The historical route — always taking what the real actors did — passes {len(route)} scenes and "
           f"{count(sum(1 for s in route if s.choices), 'choice')}, {recorded} of them decisions history records: "
           f"about {route_words:,} words as read (each scene's text as shown, the choices offered, the ending), "
           f"{reading(route_words)} read silently at {WORDS_PER_MINUTE} words a minute, "
           f"{read_aloud_minutes(route_words)} min read aloud at {READ_ALOUD_WPM}.")
    yield ""
    yield from chapters_md(story)
    yield from roleplay_md(story)
    yield "## Hours and scenes"
    yield ""
    yield "| Hour | Scenes | Words | Reading |"
    yield "|---|---:|---:|---:|"
    for info in hours(story):
        yield f"| {info.hour.title} | {len(info.scenes)} | {info.words:,} | {reading(info.words)} |"
    yield ""
    for info in hours(story):
        yield f"### {info.hour.title}"
        yield ""
        if info.hour.summary:
            yield info.hour.summary.strip()
            yield ""
        for s in info.scenes:
            bits = [x for x in (_when(s), _place(story, s)) if x]
            tag = " *(ending)*" if s.ending else (" *(invented)*" if s.history and s.history.invention else "")
            yield f"- **{s.title}**{tag}" + (f" — {' · '.join(bits)}" if bits else "") + f" · {scene_words(s)} words"
        yield ""
    yield "## Decision points"
    yield ""
    for s in points:
        hour = story.hour_of(s.id)
        yield f"### {s.title}" + (f" ({_when(s)})" if _when(s) else "")
        yield ""
        if hour:
            yield f"*{hour.title}*"
            yield ""
        for c in options(s):
            yield f"- {c.text}" + (" — **✔ what really happened**" if c.historical else "")
            if c.reflect:
                yield f"  - *Reflection asked:* {c.reflect}"
        note = scene_note(story, s.history)
        if note is not None:
            yield ""
            yield from (f"> {line}" if line else ">" for line in note_markdown(note).splitlines())
        yield ""
    yield "## Endings"
    yield ""
    for s in story.endings:
        e = s.ending
        assert e is not None
        yield f"- **{e.title}** — {'✔ close to history' if e.historical else 'not what happened'}. " \
              + e.history.strip().replace("\n", " ") + _keys(e.sources)
    yield ""
    if story.glossary:
        yield "## People and places"
        yield ""
        for label, entries in glossary_groups(story):
            yield f"### {label}"
            yield ""
            for g in entries:
                inv = " *(invented)*" if g.invention else ""
                yield f"- **{g.term}**{inv}: " + g.text.strip().replace("\n", " ") + _keys(g.sources)
            yield ""
    prompts = all_prompts(story)
    if prompts:
        yield "## Discussion prompts"
        yield ""
        for hour, items in prompts:
            yield f"### {hour.title}"
            yield ""
            for where, p in items:
                yield f"- {p} *({where})*"
            yield ""
    yield from packet_md(story)
    if story.sources:
        yield "## Sources"
        yield ""
        for key, cite in story.sources.items():
            yield f"- **[{key}]** {cite}"
        yield ""


def _keys(keys: tuple[str, ...]) -> str:
    return (" [" + ", ".join(keys) + "]") if keys else ""


# ------------------------------------------------------------------ HTML
def to_html(story: Story) -> str:
    """Page 1, the one-page sheet for print (`guide_sheet`); from page 2, the appendix: the same guide as
    `to_markdown`, rendered by markdown-it (so the Markdown and the appendix never disagree)."""
    from .guide_sheet import SHEET_CSS, sheet_html

    note = f'<div class="note content-note">{md(chr(10).join(content_note_md(story)))}</div>' if story.content_note else ""
    # The printed guide's page 2 opens the appendix: its title says so, in place of the Markdown's first heading.
    _, rest = to_markdown(story).split("\n", 1)
    appendix = f'<h1 class="appendix-title">{esc(story.title)}: appendix</h1>' + render_document(rest)
    body = sheet_html(story, note) + '<div class="appendix">' + appendix + "</div>"
    return page(f"{story.title} — teacher's sheet", body).replace("</style>", SHEET_CSS + "</style>", 1)
