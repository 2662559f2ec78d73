"""The timeline: the day as history had it, beside the player's afternoon.

One line per moment on the story clock; where the two paths part is marked
"paths part here", where the player stands "you are here" — in words, so
the marks survive any theme.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Static

from ...views import Timeline, TimelineRow, timeline
from .base import StateScreen


def _cell(row: TimelineRow | None, *, history: bool = False) -> Text:
    """A row of either path. On history's, a choice shows only where the record has one (`historical`):
    the connecting steps between are the game's own way on, not something history did (plain mode's rule,
    `plain_text.timeline_groups`), and shown as history's they read as a choice the player left."""
    if row is None:
        return Text("—", style="dim")
    if history and not row.historical and not row.ending:
        return Text(row.title, style="dim")
    out = Text(row.title, style="bold")
    if row.choice is not None:
        out.append(f"\n→ {row.choice.text}")
    if row.ending:
        out.append(f"\nThe end: {row.ending}", style="italic")
    return out


def timeline_table(t: Timeline) -> Table:
    table = Table(expand=True, show_lines=True, box=None, pad_edge=False)
    table.add_column("Time", width=5, no_wrap=True)
    table.add_column("History", ratio=1)
    table.add_column("You", ratio=1)
    here = t.player[t.here] if t.player else None
    parted = next((p for p in t.player if p.step == t.diverged), None)  # by step: a chapter's steps are not listed
    for line in t.side_by_side():
        you = _cell(line.player)
        if line.player is not None and line.player is parted:
            you.append("\n✱ paths part here", style="bold")
        if line.player is not None and line.player is here:
            you.append("\n◀ you are here", style="bold reverse")
        table.add_row(line.clock_text, _cell(line.history, history=True), you)
    return table


class TimelineScreen(StateScreen):
    BINDINGS = [Binding("escape", "back", "Back")]

    def compose(self) -> ComposeResult:
        t = timeline(self.tauride.story, self.state)
        yield Static("Timeline — history beside your day", classes="screen-title")
        if t.diverged is None:
            sub = "So far you have done as history did."
        else:
            sub = "Your day parted from history at the mark ✱."
        if t.stopped:
            sub += f" (The historical path stops short: {t.stopped}.)"
        yield Static(sub, classes="screen-sub", markup=False)
        with VerticalScroll(id="timeline-scroll"):
            yield Static(timeline_table(t), id="timeline-table")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#timeline-scroll").focus()

    def action_back(self) -> None:
        self.dismiss(None)
