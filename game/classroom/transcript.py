"""A playthrough as a document a student hands in or a teacher prints.

One document, written as Markdown and rendered to a self-contained HTML
page by markdown-it (so the two can never disagree):
the header (who, when, how it ended), the play hour by hour (each scene as
it read, the historical note with its citations, the choice with its class
vote and the reflection answer, the hour's discussion prompts when the hour
is over), the ending, the debrief (each decision against what really
happened), the reflections as a journal, every discussion prompt met, and
the sources in full.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Iterator

from .. import engine
from ..story.model import Document, Hour, Scene, Story, format_clock
from ..views import terms_met
from ..views.hours import hour_now
from ..views.notes import ending_note, note_markdown, scene_note
from ..views.teaching import document_markdown, ending_verdict
from ..words import count
from .page import document, md_escape, text_bar
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
        return f"Finished at {format_clock(pt.state.clock)}: “{engine.ending_title(pt.story, pt.state)}” ({closeness})"
    return f"In progress: at “{engine.scene_title(pt.story, pt.state)}”, {format_clock(pt.state.clock)}"


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
        yield f"Class vote, {count(t.total, 'vote')} — {step.decision.words}:"
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


def _quoted(markdown: str) -> Iterator[str]:
    """Markdown as a block quote, line by line."""
    for line in markdown.splitlines():
        yield f"> {line}" if line else ">"


def _md_note(story: Story, scene: Scene) -> Iterator[str]:
    note = scene_note(story, scene.history)
    if note is None:
        return
    yield from _quoted(note_markdown(note, documents_below=True))
    yield ""


def _md_now(pt: Playthrough) -> Iterator[str]:
    scene, story = pt.scene, pt.story
    if pt.ending:
        yield f"## The end: {engine.ending_title(story, pt.state)}"
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
        yield from _quoted(note_markdown(ending_note(story, story.scenes[pt.ending.scene].ending)))  # type: ignore[arg-type]
        yield ""
    else:
        yield from _md_note(story, scene)


# ------------------------------------------------------------------ HTML
def to_html(pt: Playthrough) -> str:
    """The same document as `to_markdown`, rendered by markdown-it into one self-contained page."""
    title = f"{pt.story.title} — " + (pt.student or "a playthrough")
    return document(title, to_markdown(pt))
