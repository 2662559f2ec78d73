"""The debrief, after an ending: the player's decisions beside what the historical actors did.

Each decision made where history records what was done, marked "as
history" or "not as history" in words, the first departure called out, then
the ending's own note. Written as Markdown so it reads the same in a narrow
terminal and to a screen reader.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Markdown, Static

from ...story.model import Story
from ...views import Debrief, debrief
from ...views.notes import make_note, note_markdown
from .base import StateScreen


def debrief_markdown(story: Story, d: Debrief) -> str:
    parts: list[str] = []
    if d.ending is not None:
        e = d.ending
        parts += [f"## The ending: {e.title}", ""]
        parts += ["**This is the ending history took.**" if e.historical else "**History ended otherwise.**", ""]
        parts += [note_markdown(make_note(e.history, e.sources)), ""]
    parts += ["## Your decisions beside history", ""]
    if not d.rows:
        parts += ["*You made no decision where the record says what was done.*", ""]
    else:
        parts += [f"You did as history did in **{d.followed} of {len(d.rows)}** decisions.", ""]
    for k, row in enumerate(d.rows):
        if row.followed:
            verdict = "✓ as history"
        elif k == d.left_history:
            verdict = "✗ **here you left history**"
        else:
            verdict = "✗ not as history"
        parts += [f"### {k + 1}. {row.clock_text} · {row.title} — {verdict}", ""]
        parts += [f"- **You:** {row.chosen.text}"]
        parts += [f"- **History:** {' / '.join(c.text for c in row.historical)}"]
        if row.note or row.sources:
            note = note_markdown(make_note(row.note or "", row.sources, row.invention))
            parts += [""] + [f"> {line}" if line else ">" for line in note.splitlines()]
        parts += [""]
    return "\n".join(parts)


class DebriefScreen(StateScreen):
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("t", "timeline", "Timeline"),
        Binding("j", "journal", "Journal"),
    ]

    def compose(self) -> ComposeResult:
        story = self.tauride.story
        yield Static(f"Debrief — {story.title}", classes="screen-title", markup=False)
        with VerticalScroll(id="debrief-scroll"):
            yield Markdown(debrief_markdown(story, debrief(story, self.state)), id="debrief-text", open_links=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#debrief-scroll").focus()

    def action_back(self) -> None:
        self.dismiss(None)

    def action_timeline(self) -> None:
        self.tauride.open_timeline(self.state)

    def action_journal(self) -> None:
        self.tauride.open_journal(self.state)
