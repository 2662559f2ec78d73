"""The journal: the whole playthrough so far — each scene as it read then, and the choice made.

Scrollable; `/` searches (a phrase, any case), Enter or n jumps to the next
match and N to the previous. A matching entry is marked in words ("match 2
of 5"), not by colour alone.
"""

from __future__ import annotations

from rich.markdown import Markdown as RichMarkdown
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Footer, Input, Static

from ...engine import State
from ...views import JournalEntry, journal, journal_problem, search
from ..text import duration
from .base import StateScreen


def entry_heading(entry: JournalEntry) -> str:
    where = f" · {entry.place_name}" if entry.place_name else ""
    return f"{entry.clock_text}{where} — {entry.title}"


def entry_markdown(entry: JournalEntry) -> str:
    """The entry's text and what the player did there (the heading is drawn apart, in the theme's colours)."""
    parts = [entry.text]
    if entry.choice is not None:
        took = f" *(took {duration(entry.cost)})*" if entry.cost else ""
        parts += ["", f"**You chose:** {entry.choice.text}{took}"]
        if entry.answer:
            parts += ["", f"**Your answer:** {entry.answer}"]
        if entry.event:
            parts += ["", "*Then events overtook you.*"]
    elif entry.ending:
        parts += ["", f"**The end:** {entry.ending}"]
    else:
        parts += ["", "**You are here.**"]
    return "\n".join(parts)


class JournalScreen(StateScreen):
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("slash", "search", "Search"),
        Binding("n", "next_hit(1)", "Next match"),
        Binding("N", "next_hit(-1)", "Previous match"),
        Binding("home", "ends(0)", "First entry", show=False),
        Binding("end", "ends(1)", "Latest entry", show=False),
    ]

    def __init__(self, state: State) -> None:
        super().__init__(state)
        self.entries: list[JournalEntry] = []
        self.hit_entries: list[int] = []
        """Indices of entries with a match, in reading order."""
        self.current = -1
        """Position in `hit_entries` of the match on show; -1 before the first jump."""
        self.counts: dict[int, int] = {}
        """Matches per entry index."""

    def compose(self) -> ComposeResult:
        story = self.tauride.story
        self.entries = journal(story, self.state)
        yield Static(f"Journal — {story.title}", classes="screen-title", markup=False)
        yield Input(placeholder="Search the journal: type, then Enter", id="journal-search")
        yield Static("", id="journal-found", classes="screen-sub")
        with VerticalScroll(id="journal-scroll"):
            problem = journal_problem(story, self.state)
            if problem:
                yield Static(f"Note: {problem}", classes="screen-sub", markup=False)
            for i, entry in enumerate(self.entries):
                with Vertical(classes="journal-entry", id=f"entry-{i}"):
                    yield Static("", classes="entry-mark")
                    yield Static(entry_heading(entry), classes="entry-heading", markup=False)
                    # Rich's Markdown in a Static: one widget per entry, where Textual's Markdown
                    # widget builds a widget per block and made a long journal slow to open
                    yield Static(RichMarkdown(entry_markdown(entry), hyperlinks=False), classes="entry-text")
        yield Footer()

    def on_mount(self) -> None:
        scroll = self.query_one("#journal-scroll", VerticalScroll)
        scroll.focus()
        self.call_after_refresh(scroll.scroll_end, animate=False)

    def action_back(self) -> None:
        self.dismiss(None)

    def action_search(self) -> None:
        self.query_one(Input).focus()

    def action_ends(self, end: int) -> None:
        scroll = self.query_one("#journal-scroll", VerticalScroll)
        (scroll.scroll_end if end else scroll.scroll_home)(animate=False)

    def on_input_changed(self, event: Input.Changed) -> None:
        self.find(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#journal-scroll").focus()
        if self.hit_entries:
            self.current = -1
            self.action_next_hit(1)

    def find(self, query: str) -> None:
        hits = search(self.entries, query)
        counts: dict[int, int] = {}
        for hit in hits:
            counts[hit.index] = counts.get(hit.index, 0) + 1
        self.counts = counts
        self.hit_entries = sorted(counts)
        self.current = -1
        for i in range(len(self.entries)):
            self._mark(i, current=False)
        found = self.query_one("#journal-found", Static)
        if not query.strip():
            found.update("")
        elif not hits:
            found.update(f"No match for “{query.strip()}”.")
        else:
            found.update(f"{len(hits)} match{'es' if len(hits) > 1 else ''} in {len(counts)} "
                         f"entr{'ies' if len(counts) > 1 else 'y'}. Enter, n: next   N: previous")

    def action_next_hit(self, direction: int) -> None:
        if not self.hit_entries:
            return
        if self.current >= 0:
            self._mark(self.hit_entries[self.current], current=False)
        self.current = (self.current + direction) % len(self.hit_entries)
        index = self.hit_entries[self.current]
        self._mark(index, current=True)
        self.query_one("#journal-scroll", VerticalScroll).scroll_to_widget(
            self.query_one(f"#entry-{index}"), animate=False, top=True
        )

    def _mark(self, index: int, current: bool) -> None:
        box = self.query_one(f"#entry-{index}")
        n = self.counts.get(index, 0)
        box.set_class(n > 0, "-hit")
        box.set_class(current, "-current")
        label = f"◆ match ({n})" if n else ""
        if current:
            label = f"▶ {label} — {self.current + 1} of {len(self.hit_entries)}"
        box.query_one(".entry-mark", Static).update(label)
