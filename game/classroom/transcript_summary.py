"""The transcript's summary, for printing: choices, reflections, debrief — two A4 pages at most.

The full transcript keeps every scene's text and note, which runs to a
dozen pages on paper. A teacher marking a stack of them wants the
decisions: one table row per choice (the clock, the scene, what the student
chose, what history did, whether they kept to it, a class vote's count),
every reflection with its question, the ending, and the exit question.
The same `Playthrough` and helpers as the full transcript, a tighter print
style sheet; tests/test_classroom_print.py prints it with Chromium and
counts the pages with `pdfinfo`.
"""

from __future__ import annotations

from ..exit_question import answered
from ..story.model import format_clock
from .page import esc, md_inline, page
from .playthrough import Playthrough
from .transcript import _real_choice, _verdict, header_facts, score, status_line

SUMMARY_CSS = """
@page { size: A4; margin: 12mm 12mm; }
@media print {
  body { font-size: 9.5pt; line-height: 1.3; }
  h1 { font-size: 15pt; }
  h2 { font-size: 11pt; margin: .8rem 0 .3rem; }
  table { font-size: 8.5pt; margin: .3rem 0; }
  th, td { padding: .12rem .3rem; }
  .answer { padding: .25rem .5rem; margin: .3rem 0; }
  /* the shared sheet keeps a table on one page; this one is long, so only its rows are kept whole */
  table { break-inside: auto; }
  tr { break-inside: avoid; }
}
table.steps td:nth-child(1) { white-space: nowrap; }
"""


def to_summary_html(pt: Playthrough) -> str:
    followed, points = score(pt)
    who = pt.student or "A playthrough"
    rows = []
    for step in pt.steps:
        vote = ""
        if step.decision.tally is not None:
            t = step.decision.tally
            vote = f"{t.votes(step.choice_id)}/{t.total} ({esc(step.decision.label)})"
        rows.append(f"<tr><td>{esc(format_clock(step.clock))}</td><td>{md_inline(step.entry.title)}</td>"
                    f"<td>{md_inline(step.choice_text)}</td><td>{esc(_real_choice(step))}</td>"
                    f"<td>{esc(_verdict(step))}</td><td>{vote}</td></tr>")
    answers = [f'<div class="answer"><div class="q">{esc(s.reflect or "")}</div><blockquote>{esc(s.answer)}'
               "</blockquote></div>" for s in pt.steps if s.answer]
    exit_q = answered(pt.meta)
    if exit_q is not None:
        answers.append(f'<div class="answer"><div class="q">Exit question: {esc(exit_q[0])}</div><blockquote>'
                       f'{esc(exit_q[1] or "(not answered)")}</blockquote></div>')
    ending = ""
    if pt.ending:
        ending = (f"<h2>Ending: {esc(pt.ending.title)}</h2>\n<p>"
                  + ("The ending history took." if pt.ending.historical else "Not the ending history took.") + "</p>")
    body = (f"<h1>{esc(pt.story.title)}: {esc(who)}</h1>\n"
            f'<p class="sub">{esc(" · ".join(header_facts(pt)))}</p>\n'
            f"<p>{esc(status_line(pt))}. {followed} of {points} decisions as history.</p>\n"
            "<h2>Choices</h2>\n<table class=\"steps\"><thead><tr><th>Time</th><th>Scene</th><th>Chosen</th>"
            "<th>What history did</th><th>Kept to it?</th><th>Vote</th></tr></thead><tbody>\n"
            + "\n".join(rows) + "\n</tbody></table>\n"
            + (f"<h2>Reflections ({len(answers)})</h2>\n" + "\n".join(answers) if answers else "")
            + ending
            + '\n<p class="cite">The full transcript, with every scene and its sources: '
              "tauride transcript SAVE -o FILE.html</p>")
    return page(f"{who} · {pt.story.title} (summary)", body).replace("</style>", SUMMARY_CSS + "</style>", 1)
