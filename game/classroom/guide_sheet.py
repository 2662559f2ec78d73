"""The guide's first page: a one-page sheet a teacher prints and keeps on the desk.

The content note, the chapters (each with its story time, the scene it
starts at and its minutes read aloud), and every decision point with the
choice history made — on one A4 page; everything else in the guide follows
as the appendix, from a new page. tests/test_classroom_print.py prints the
guide with Chromium and checks that the sheet's page holds it all (the
appendix begins on page 2).
"""

from __future__ import annotations

from ..story.model import Story, format_clock
from .guide import decision_points, options
from .guide_lesson import _plans
from .page import esc, md_inline

SHEET_CSS = """
.sheet h2 { font-size: 1.05rem; margin: .7rem 0 .25rem; }
.sheet table { font-size: .85rem; margin: .2rem 0 .4rem; }
.sheet th, .sheet td { padding: .15rem .35rem; }
.sheet .content-note { font-size: .85rem; margin: .3rem 0; padding: .3rem .6rem; }
.sheet ol.points { font-size: .82rem; margin: .2rem 0; padding-left: 1.3rem; columns: 2; column-gap: 1.5rem; }
.sheet ol.points li { break-inside: avoid; margin: 0 0 .15rem; }
.appendix-title { margin-top: 2rem; }
@media print {
  .sheet { font-size: 9pt; line-height: 1.25; }
  .sheet h1 { font-size: 15pt; }
  .appendix { break-before: page; }
}
"""


def sheet_html(story: Story, content_note: str) -> str:
    """The sheet (inside `<section class="sheet">`); `content_note` is the guide's own note block."""
    out = [f'<section class="sheet" aria-label="One-page sheet"><h1>{esc(story.title)}</h1>'
           f'<p class="sub">Teacher\'s sheet · {format_clock(story.clock_start)}–{format_clock(story.clock_end)} · '
           "the appendix follows from page 2</p>", content_note]
    plans, problem = _plans(story)
    if plans:
        out.append("<h2>Chapters: one per lesson</h2><table><thead><tr><th>Chapter</th><th>Story time</th>"
                   "<th>Starts at</th><th class=num>Votes</th><th class=num>Read aloud</th></tr></thead><tbody>")
        for p in plans:
            start = story.scenes[p.chapter.start].title if p.chapter.start in story.scenes else p.chapter.start
            out.append(f"<tr><td><b>{p.chapter.number}. {esc(p.chapter.title)}</b></td><td>{esc(p.span)}</td>"
                       f"<td>{esc(start)} <span class=cite>(--chapter {p.chapter.number})</span></td>"
                       f"<td class=num>{p.decisions}</td><td class=num>{p.minutes} min</td></tr>")
        out.append("</tbody></table>")
    elif problem:
        out.append(f'<p class="sub">The chapters cannot be timed: {esc(problem)}.</p>')
    points = decision_points(story)
    if points:
        out.append(f"<h2>Decision points ({len(points)}) and what history did</h2><ol class=\"points\">")
        for s in points:
            real = "; ".join(md_inline(o.text) for o in options(s) if o.historical)
            when = format_clock(s.time) if s.time is not None else ""
            out.append(f"<li><b>{esc(when)} {esc(s.title)}</b> — {real}</li>")
        out.append("</ol>")
    out.append("</section>")
    return "".join(out)
