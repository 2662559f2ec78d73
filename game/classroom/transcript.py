"""A playthrough as a document a student hands in or a teacher prints.

Two renderings of one outline, Markdown and a self-contained HTML page:
the header (who, when, how it ended), the play hour by hour (each scene as
it read, the historical note with its citations, the choice with its class
vote and the reflection answer, the hour's discussion prompts when the hour
is over), the ending, the debrief (each decision against what really
happened), the reflections as a journal, every discussion prompt met, and
the sources in full.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Iterator

from ..story.model import Document, Hour, Scene, Story, format_clock
from .page import esc, hbar, md, md_escape, md_inline, page, text_bar
from ..views import terms_met
from ..views.hours import hour_now
from ..views.teaching import document_markdown, documents_of, ending_verdict
from .playthrough import Playthrough, Step


INVENTED = ' <span class="mark inv">invented</span>'


def duration(minutes: int | float) -> str:
    """'1 h 05 min' / '40 min'."""
    minutes = int(round(minutes))
    h, m = divmod(minutes, 60)
    return f"{h} h {m:02d} min" if h else f"{m} min"


def when(iso: str) -> str:
    """An ISO time stamp as '2026-11-25 16:58 UTC' (as written, if it does not parse)."""
    try:
        t = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if t.tzinfo is not None:
        t = t.astimezone(timezone.utc)
        return t.strftime("%Y-%m-%d %H:%M UTC")
    return t.strftime("%Y-%m-%d %H:%M")


def quote(text: str) -> Iterator[str]:
    """A student's typed text as a Markdown block quote, with Markdown and HTML in it made literal."""
    for line in text.splitlines() or [""]:
        safe = md_escape(line)
        yield f"> {safe}" if safe else ">"


def wall(seconds: float | None) -> str | None:
    if seconds is None:
        return None
    return duration(seconds / 60) if seconds >= 60 else f"{int(seconds)} s"


@dataclass(frozen=True)
class HourBlock:
    """A run of consecutive steps in one hour; `closed` when play moved past the hour."""

    hour: Hour | None
    steps: tuple[Step, ...]
    closed: bool


def hour_blocks(pt: Playthrough) -> list[HourBlock]:
    blocks: list[HourBlock] = []
    run: list[Step] = []
    for step in pt.steps:
        if run and step.hour is not run[-1].hour:
            blocks.append(HourBlock(run[-1].hour, tuple(run), True))
            run = []
        run.append(step)
    if run:
        current = hour_now(pt.story, pt.state)
        blocks.append(HourBlock(run[-1].hour, tuple(run), pt.finished or current is not run[-1].hour))
    return blocks


def cited(pt: Playthrough) -> list[str]:
    """Source keys cited by the notes this playthrough shows, in order of first citation."""
    keys: list[str] = []
    scenes = [s.scene for s in pt.steps] + [pt.scene]
    for scene in scenes:
        if scene.history:
            keys += scene.history.sources
    if pt.ending:
        keys += [ref.key for ref in pt.ending.sources]
    return [k for k in dict.fromkeys(keys) if k in pt.story.sources]


def packet(pt: Playthrough) -> list[Document]:
    """The source packet's documents that the notes this playthrough shows rest on, in packet order."""
    ids = {d for s in [s.scene for s in pt.steps] + [pt.scene] if s.history for d in s.history.documents}
    return [doc for doc in pt.story.documents.values() if doc.id in ids]


def _doc_labels(story: Story, scene: Scene) -> str:
    return "; ".join(d.label for d in documents_of(story, scene.history.documents if scene.history else ()))


def prompts(pt: Playthrough) -> list[tuple[str, str]]:
    """(where, prompt) for every discussion prompt this playthrough met, in order, once each."""
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for block in hour_blocks(pt):
        for step in block.steps:
            for p in step.scene.discussion:
                if p not in seen:
                    seen.add(p)
                    out.append((step.scene.title, p))
        if block.closed and block.hour:
            for p in block.hour.discussion:
                if p not in seen:
                    seen.add(p)
                    out.append((block.hour.title, p))
    return out


def header_facts(pt: Playthrough) -> list[str]:
    facts = []
    if pt.student:
        facts.append(pt.student)
    if pt.class_name:
        facts.append(f"class {pt.class_name}")
    if pt.meta.get("mode") == "class":
        facts.append("played together as a class")
    if pt.meta.get("locked"):
        facts.append("assessed run (no undo)")
    if pt.saved_at:
        facts.append(f"saved {when(pt.saved_at)}")
    played = wall(pt.wall_seconds)
    if played:
        facts.append(f"played for {played}")
    return facts


def status_line(pt: Playthrough) -> str:
    if pt.ending:
        closeness = "as it happened" if pt.ending.historical else "not as it happened"
        return f"Finished at {format_clock(pt.state.clock)}: “{pt.ending.title}” ({closeness})"
    return f"In progress: at “{pt.scene.title}”, {format_clock(pt.state.clock)}"


def score(pt: Playthrough) -> tuple[int, int]:
    """(decisions that followed history, decisions history speaks to) — the game's own debrief."""
    return pt.debrief.followed, len(pt.debrief.rows)


def _place(story: Story, scene: Scene) -> str | None:
    if scene.place and scene.place in story.glossary:
        return story.glossary[scene.place].term
    return None


def _real_choice(step: Step) -> str:
    if step.row is None:
        return "—"
    return "; ".join(c.text for c in step.row.historical)


def _verdict(step: Step) -> str:
    if step.followed:
        return "as history"
    if step.left_history:
        return "left history"
    return "no record"


# ------------------------------------------------------------------ Markdown
def to_markdown(pt: Playthrough) -> str:
    return "\n".join(_md_lines(pt)).rstrip() + "\n"


def _md_lines(pt: Playthrough) -> Iterator[str]:
    story = pt.story
    yield f"# {story.title} — a playthrough"
    yield ""
    facts = header_facts(pt)
    if facts:
        yield "*" + " · ".join(md_escape(f) for f in facts) + "*"
        yield ""
    good, points = score(pt)
    yield f"**{status_line(pt)}**"
    yield ""
    yield (f"{len(pt.steps)} choices · story time {format_clock(pt.start_clock)} → {format_clock(pt.state.clock)} "
           f"({duration(pt.story_minutes)}) · {good} of {points} decisions as history")
    yield ""
    for block in hour_blocks(pt):
        yield f"## {block.hour.title if block.hour else 'Scenes'}"
        yield ""
        if block.hour and block.hour.summary:
            yield f"*{block.hour.summary.strip()}*"
            yield ""
        for step in block.steps:
            yield from _md_step(story, step)
        if block.closed and block.hour and block.hour.discussion:
            yield f"> **For discussion — end of “{block.hour.title}”**"
            for p in block.hour.discussion:
                yield f"> - {p}"
            yield ""
    yield from _md_now(pt)
    yield "## Debrief: your choices against history"
    yield ""
    yield "| # | Time | Scene | Your choice | What really happened | |"
    yield "|---|---|---|---|---|---|"
    for s in pt.steps:
        yield (f"| {s.number} | {format_clock(s.clock)} | {_cell(s.scene.title)} | {_cell(s.choice_text)} | "
               f"{_cell(_real_choice(s))} | {_verdict(s)} |")
    yield ""
    answered = [s for s in pt.steps if s.answer]
    if answered:
        yield "## Reflections"
        yield ""
        for s in answered:
            yield f"**{s.reflect or 'Reflection'}** *(after “{s.choice_text}”, {format_clock(s.clock)})*"
            yield ""
            yield from quote(s.answer or "")
            yield ""
    found = prompts(pt)
    if found:
        yield "## Discussion prompts"
        yield ""
        for where, p in found:
            yield f"- {p} *({where})*"
        yield ""
    met = terms_met(story, pt.state)
    if met:
        yield "## People and places met"
        yield ""
        for g in met:
            inv = " *(invented)*" if g.invention else ""
            yield f"- **{g.term}**{inv} — " + g.text.strip().replace("\n", " ")
        yield ""
    keys = cited(pt)
    if keys:
        yield "## Sources"
        yield ""
        for key in keys:
            yield f"- **[{key}]** {story.sources[key]}"
        yield ""
    docs = packet(pt)
    if docs:
        yield "## Source packet: the documents these notes rest on"
        yield ""
        for doc in docs:
            yield document_markdown(doc)
            yield ""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _md_step(story: Story, step: Step) -> Iterator[str]:
    where = " · ".join(x for x in (format_clock(step.clock), _place(story, step.scene)) if x)
    yield f"### {step.scene.title}"
    yield f"*{where}*"
    yield ""
    yield step.text.strip()
    yield ""
    yield from _md_note(story, step.scene)
    mark = " ✔ *as history*" if step.followed else (" ✘ *left history*" if step.left_history else "")
    yield f"**Chosen:** {step.choice_text}{mark}"
    yield ""
    if step.decision.tally is not None:
        t = step.decision.tally
        yield f"Class vote, {t.total} votes — {step.decision.words}:"
        yield ""
        yield "| Choice | Votes | |"
        yield "|---|---:|---|"
        for cid, n in t.counts:
            flags = (" **← taken**" if cid == step.choice_id else "") + (" *(history)*" if step.is_historical(cid) else "")
            yield f"| {_cell(step.text_of(cid))}{flags} | {n} | {text_bar(t.share(cid), 12)} |"
        yield ""
    if step.answer:
        yield f"*{step.reflect or 'Reflection'}*"
        yield ""
        yield from quote(step.answer)
        yield ""
    if step.event_scene is not None:
        yield f"*Events overtook the choice: the story moved to “{step.event_scene.title}”.*"
        yield ""
    if step.scene.discussion:
        yield "*To discuss:* " + " / ".join(step.scene.discussion)
        yield ""


def _md_note(story: Story, scene: Scene) -> Iterator[str]:
    h = scene.history
    if not h:
        return
    label = "Invented scene" if h.invention else "What really happened"
    yield f"> **{label}.** " + h.note.strip().replace("\n", "\n> ")
    for key in h.sources:
        yield f"> — [{key}] {story.sources.get(key, '')}"
    if h.documents:
        yield f"> — *Documents (in the source packet below):* {_doc_labels(story, scene)}"
    yield ""


def _md_now(pt: Playthrough) -> Iterator[str]:
    scene, story = pt.scene, pt.story
    if pt.ending:
        yield f"## The end: {pt.ending.title}"
        yield ""
        yield f"**{ending_verdict(pt.ending)}**"
    else:
        yield "## Where the playthrough stands"
    yield ""
    place = _place(story, scene)
    yield f"### {scene.title}"
    yield f"*{format_clock(pt.state.clock)}{' · ' + place if place else ''}*"
    yield ""
    yield pt.now.text
    yield ""
    if pt.ending:
        yield pt.ending.epilogue
        yield ""
        yield "> **What really happened.** " + pt.ending.history.replace("\n", "\n> ")
        for ref in pt.ending.sources:
            yield f"> — [{ref.key}] {ref.citation}"
        yield ""
    else:
        yield from _md_note(story, scene)


# ------------------------------------------------------------------ HTML
def to_html(pt: Playthrough) -> str:
    story = pt.story
    out: list[str] = [f"<h1>{esc(story.title)}</h1>", '<p class="sub">A playthrough'
                      + (": " + esc(" · ".join(header_facts(pt))) if header_facts(pt) else "") + "</p>"]
    good, points = score(pt)
    out.append('<div class="stats">'
               f'<div class="stat"><b>{esc(pt.ending.title if pt.ending else "In progress")}</b>'
               f'<span>{"ending · " + ("as it happened" if pt.ending.historical else "not as it happened") if pt.ending else "at " + esc(pt.scene.title)}</span></div>'
               f'<div class="stat"><b>{len(pt.steps)}</b><span>choices made</span></div>'
               f'<div class="stat"><b>{format_clock(pt.start_clock)}–{format_clock(pt.state.clock)}</b>'
               f"<span>story time, {duration(pt.story_minutes)}</span></div>"
               f'<div class="stat"><b>{good} / {points}</b><span>decisions as history</span></div></div>')
    for block in hour_blocks(pt):
        out.append(f"<h2>{esc(block.hour.title if block.hour else 'Scenes')}</h2>")
        if block.hour and block.hour.summary:
            out.append(f'<p class="sub">{md_inline(block.hour.summary.strip())}</p>')
        for step in block.steps:
            out.append(_html_step(story, step))
        if block.closed and block.hour and block.hour.discussion:
            out.append(_html_prompts(f"For discussion — end of “{block.hour.title}”", block.hour.discussion))
    out.append(_html_now(pt))
    out.append("<h2>Debrief: your choices against history</h2><table><thead><tr><th>#</th><th>Time</th>"
               "<th>Scene</th><th>Your choice</th><th>What really happened</th><th></th></tr></thead><tbody>")
    for s in pt.steps:
        v = _verdict(s)
        cls = {"as history": "hist", "left history": "left"}.get(v, "inv")
        out.append(f'<tr><td class="num">{s.number}</td><td class="clock">{format_clock(s.clock)}</td>'
                   f"<td>{esc(s.scene.title)}</td><td>{md_inline(s.choice_text)}</td><td>{md_inline(_real_choice(s))}</td>"
                   f'<td><span class="mark {cls}">{v}</span></td></tr>')
    out.append("</tbody></table>")
    answered = [s for s in pt.steps if s.answer]
    if answered:
        out.append("<h2>Reflections</h2>")
        for s in answered:
            out.append(_html_answer(s))
    found = prompts(pt)
    if found:
        out.append("<h2>Discussion prompts</h2><ul>")
        out += [f'<li>{md_inline(p)} <span class="cite">({esc(where)})</span></li>' for where, p in found]
        out.append("</ul>")
    met = terms_met(story, pt.state)
    if met:
        out.append("<h2>People and places met</h2><table><tbody>" + "".join(
            f"<tr><td><b>{esc(g.term)}</b>{INVENTED if g.invention else ''}</td><td>{md_inline(g.text.strip())}</td></tr>"
            for g in met) + "</tbody></table>")
    keys = cited(pt)
    if keys:
        out.append('<h2>Sources</h2><ol class="sources">')
        out += [f"<li><b>[{esc(k)}]</b> {md_inline(story.sources[k])}</li>" for k in keys]
        out.append("</ol>")
    docs = packet(pt)
    if docs:
        out.append('<h2>Source packet: the documents these notes rest on</h2>')
        out += [f'<section class="document" id="doc-{esc(doc.id)}">{md(document_markdown(doc))}</section>' for doc in docs]
    out.append(f"<footer>Transcript made by Tauride from {esc(pt.source or 'a playthrough')}; "
               "every scene was replayed through the story to produce it.</footer>")
    title = f"{story.title} — " + (pt.student or "a playthrough")
    return page(title, "\n".join(out))


def _html_note(story: Story, scene: Scene) -> str:
    h = scene.history
    if not h:
        return ""
    label = "Invented scene" if h.invention else "What really happened"
    cites = "".join(f'<div class="cite">[{esc(k)}] {md_inline(story.sources.get(k, ""))}</div>' for k in h.sources)
    mark = ' <span class="mark inv">invented</span>' if h.invention else ""
    docs = "".join(f'<div class="cite">Document: <a href="#doc-{esc(d.id)}">{esc(d.label)}</a></div>'
                   for d in documents_of(story, h.documents))
    return f'<div class="note"><h4>{label}{mark}</h4>{md(h.note)}{cites}{docs}</div>'


def _html_prompts(title: str, items: tuple[str, ...] | list[str]) -> str:
    lis = "".join(f"<li>{md_inline(p)}</li>" for p in items)
    return f'<div class="prompts"><h4>{esc(title)}</h4><ul>{lis}</ul></div>'


def _html_answer(step: Step) -> str:
    return (f'<div class="answer"><div class="q">{esc(step.reflect or "Reflection")} '
            f'<span class="cite">(after “{md_inline(step.choice_text)}”, {format_clock(step.clock)})</span></div>'
            f"<blockquote>{esc(step.answer or '')}</blockquote></div>")


def _html_step(story: Story, step: Step) -> str:
    place = _place(story, step.scene)
    parts = [f'<section class="scene"><h3>{esc(step.scene.title)}</h3>'
             f'<div class="clock">{format_clock(step.clock)}{" · " + esc(place) if place else ""}</div>'
             f'<div class="text">{md(step.text)}</div>', _html_note(story, step.scene)]
    cls = "historical" if step.followed else ("left" if step.left_history else "")
    mark = ('<span class="mark hist">as history</span>' if step.followed
            else '<span class="mark left">left history</span>' if step.left_history else "")
    parts.append(f'<div class="choice {cls}"><b>Chosen:</b> {md_inline(step.choice_text)} {mark}')
    if step.decision.tally is not None:
        t = step.decision.tally
        rows = []
        for cid, n in t.counts:
            taken = " <b>← taken</b>" if cid == step.choice_id else ""
            hist = ' <span class="mark hist">history</span>' if step.is_historical(cid) else ""
            rows.append(f"<tr><td>{md_inline(step.text_of(cid))}{taken}{hist}</td><td class='num'>{n}</td>"
                        f"<td>{hbar(t.share(cid), historical=step.is_historical(cid))}</td></tr>")
        parts.append(f'<table><thead><tr><th>Class vote: {t.total} votes, {esc(step.decision.words)}</th>'
                     f'<th class="num">Votes</th><th></th></tr></thead><tbody>{"".join(rows)}</tbody></table>')
    parts.append("</div>")
    if step.answer:
        parts.append(_html_answer(step))
    if step.event_scene is not None:
        parts.append(f'<p class="sub">Events overtook the choice: the story moved to “{esc(step.event_scene.title)}”.</p>')
    if step.scene.discussion:
        parts.append(_html_prompts("To discuss", step.scene.discussion))
    parts.append("</section>")
    return "".join(parts)


def _html_now(pt: Playthrough) -> str:
    story, scene = pt.story, pt.scene
    place = _place(story, scene)
    head = f"<h2>The end: {esc(pt.ending.title)}</h2>" if pt.ending else "<h2>Where the playthrough stands</h2>"
    body = (f'<section class="scene"><h3>{esc(scene.title)}</h3><div class="clock">{format_clock(pt.state.clock)}'
            f'{" · " + esc(place) if place else ""}</div><div class="text">{md(pt.now.text)}</div>')
    if pt.ending:
        cites = "".join(f'<div class="cite">[{esc(r.key)}] {md_inline(r.citation)}</div>' for r in pt.ending.sources)
        body += (f'<div class="ending"><h3>{esc(pt.ending.title)}</h3>'
                 f'<p class="verdict"><strong>{esc(ending_verdict(pt.ending))}</strong></p>{md(pt.ending.epilogue)}'
                 f'<div class="note"><h4>What really happened</h4>{md(pt.ending.history)}{cites}</div></div>')
    else:
        body += _html_note(story, scene)
    return head + body + "</section>"
