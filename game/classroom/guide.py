"""A teacher's sheet, generated from the story files themselves.

A writer's new story gets a classroom sheet for free, and the sheet can
never drift from the story: hours and scenes with reading time from word
counts, the route the real actors took, the decision points with their
historical choice, the endings, the people and places met, every
discussion prompt, and the sources.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterator

from ..story.model import GlossaryEntry, Hour, Scene, Story, format_clock
from ..views.reading import count_words
from .guide_lesson import chapters_html, chapters_md, content_note_html, content_note_md, packet_html, packet_md
from .page import esc, md, md_inline, page
from .transcript import duration

WORDS_PER_MINUTE = 180
"""A steady reading pace for school students reading on a screen (adults read 200–250)."""

ENDING_MARK = ' <span class="mark inv">ending</span>'
INVENTED_MARK = ' <span class="mark inv">invented</span>'
words = count_words
"""Words a reader meets in story text (one count for the whole project: `game.views.reading`)."""


def scene_words(scene: Scene) -> int:
    n = words(scene.text_source) + sum(words(c.text_source) for c in scene.choices)
    if scene.ending:
        n += words(scene.ending.epilogue)
    return n


def reading_minutes(n_words: int) -> float:
    return n_words / WORDS_PER_MINUTE


def reading(n_words: int) -> str:
    """Reading time for a word count, rounded up to whole minutes ('under 1 min' for a few lines)."""
    minutes = reading_minutes(n_words)
    return "under 1 min" if minutes < 1 else duration(math.ceil(minutes))


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


def historical_route(story: Story) -> list[Scene]:
    """The scenes met by always taking the historical choice (the first choice where none is marked).

    Read from the files, not played: conditions are not checked, so this is
    the route as the writer marked it. Stops at an ending or a scene seen twice.
    """
    route: list[Scene] = []
    seen: set[str] = set()
    sid = story.start
    while sid in story.scenes and sid not in seen:
        scene = story.scenes[sid]
        route.append(scene)
        seen.add(sid)
        if scene.ending or not scene.choices:
            break
        pick = next((c for c in scene.choices if c.historical), scene.choices[0])
        sid = pick.goto
    return route


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
    total = sum(scene_words(s) for s in story.scenes.values())
    route = historical_route(story)
    return total, route, sum(scene_words(s) for s in route)


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
    yield (f"Story clock {format_clock(story.clock_start)}–{format_clock(story.clock_end)} · {len(story.hours)} hours · "
           f"{len(story.scenes)} scenes · {len(points)} decision points · {len(story.endings)} endings · "
           f"{total:,} words (about {reading(total)} to read everything)")
    yield ""
    yield (f"The historical route — always taking what the real actors did — passes {len(route)} scenes and "
           f"{sum(1 for s in route if s.choices)} decisions: about {route_words:,} words, "
           f"{reading(route_words)} of reading at {WORDS_PER_MINUTE} words a minute.")
    yield ""
    yield from chapters_md(story)
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
        if s.history:
            yield ""
            label = "Invented scene. " if s.history.invention else ""
            yield "> " + label + s.history.note.strip().replace("\n", "\n> ") + _keys(s.history.sources)
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
    total, route, route_words = _totals(story)
    points = decision_points(story)
    from .guide_sheet import SHEET_CSS, sheet_html

    # page 1: the one-page sheet (guide_sheet); from page 2, the appendix: everything in full
    o = [sheet_html(story, content_note_html(story)),
         '<div class="appendix">',
         f"<h1 class=\"appendix-title\">{esc(story.title)}: appendix</h1><p class=\"sub\">Teacher's guide"
         + (f" · by {esc(story.author)}" if story.author else "") + "</p>"]
    if story.description:
        o.append(md(story.description))
    o.append(content_note_html(story))
    o.append('<div class="stats">' + "".join(f'<div class="stat"><b>{esc(v)}</b><span>{esc(k)}</span></div>' for k, v in (
        ("story clock", f"{format_clock(story.clock_start)}–{format_clock(story.clock_end)}"),
        ("scenes in " + str(len(story.hours)) + " hours", str(len(story.scenes))),
        ("decision points", str(len(points))),
        ("reading, historical route", reading(route_words)),
    )) + "</div>")
    o.append(f'<p class="sub">The historical route passes {len(route)} scenes and {sum(1 for s in route if s.choices)} '
             f"decisions ({route_words:,} words); the whole story is {total:,} words, about "
             f"{reading(total)} to read everything, at {WORDS_PER_MINUTE} words a minute.</p>")
    o.append(chapters_html(story))
    o.append("<h2>Hours and scenes</h2><table><thead><tr><th>Hour</th><th style=width:45%>Scenes</th><th class=num>Words</th>"
             "<th class=num>Reading</th></tr></thead><tbody>")
    for info in hours(story):
        scenes = "<br>".join(
            esc(s.title) + (ENDING_MARK if s.ending else "") + (INVENTED_MARK if s.history and s.history.invention else "")
            + f' <span class="cite">{esc(" · ".join(x for x in (_when(s), _place(story, s)) if x))}</span>'
            for s in info.scenes)
        summary = f'<div class="cite">{md_inline(info.hour.summary.strip())}</div>' if info.hour.summary else ""
        o.append(f"<tr><td><b>{esc(info.hour.title)}</b>{summary}</td><td>{scenes}</td><td class=num>{info.words:,}</td>"
                 f"<td class=num>{reading(info.words)}</td></tr>")
    o.append("</tbody></table><h2>Decision points</h2>")
    for s in points:
        hour = story.hour_of(s.id)
        items = "".join(
            f"<li>{md_inline(c.text)}"
            + (' <span class="mark hist">what really happened</span>' if c.historical else "")
            + (f'<div class="cite">Reflection asked: {esc(c.reflect)}</div>' if c.reflect else "") + "</li>"
            for c in options(s))
        label = "Invented scene" if s.history and s.history.invention else "What really happened"
        note = (f'<div class="note"><h4>{label}</h4>{md(s.history.note)}'
                f'<div class="cite">{esc(_keys(s.history.sources))}</div></div>') if s.history else ""
        o.append(f"<h3>{esc(s.title)}</h3><div class=\"clock\">{esc(' · '.join(x for x in (_when(s), hour.title if hour else '') if x))}</div>"
                 f"<ul>{items}</ul>{note}")
    o.append("<h2>Endings</h2><table><tbody>")
    for s in story.endings:
        e = s.ending
        assert e is not None
        mark = '<span class="mark hist">close to history</span>' if e.historical else '<span class="mark inv">not what happened</span>'
        o.append(f"<tr><td><b>{esc(e.title)}</b><br>{mark}</td><td>{md(e.history)}<div class=cite>{esc(_keys(e.sources))}</div></td></tr>")
    o.append("</tbody></table>")
    if story.glossary:
        o.append("<h2>People and places</h2>")
        for label, entries in glossary_groups(story):
            o.append(f"<h3>{esc(label)}</h3><table class=\"gloss\"><tbody>" + "".join(
                f"<tr><td><b>{esc(g.term)}</b>{INVENTED_MARK if g.invention else ''}</td>"
                f"<td>{md_inline(g.text.strip())} <span class=cite>{esc(_keys(g.sources))}</span></td></tr>"
                for g in entries) + "</tbody></table>")
    prompts = all_prompts(story)
    if prompts:
        o.append("<h2>Discussion prompts</h2>")
        for hour, found in prompts:
            o.append(f'<div class="prompts"><h4>{esc(hour.title)}</h4><ul>' + "".join(
                f'<li>{md_inline(p)} <span class="cite">({esc(where)})</span></li>' for where, p in found) + "</ul></div>")
    o.append(packet_html(story))
    if story.sources:
        o.append('<h2>Sources</h2><ol class="sources">' + "".join(
            f"<li><b>[{esc(k)}]</b> {md_inline(v)}</li>" for k, v in story.sources.items()) + "</ol>")
    o.append(f"<footer>Generated by Tauride from the story files in {esc(story.root or 'the story folder')}.</footer>")
    o.append("</div>")
    return page(f"{story.title} — teacher's sheet", "\n".join(o)).replace("</style>", SHEET_CSS + "</style>", 1)
