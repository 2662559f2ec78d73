"""The projected screen: the scene, large, and a vote box under each choice.

The teacher types the show of hands into the boxes (Tab between them) and
presses Enter. The most votes carry; a tie, or nobody voting, asks the
teacher to pick among the tied choices; `o` overrules the vote. Letters are
screen keys (the boxes take digits only), so `h`, `m`, `u`, `o` work while
a box has the focus.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, Markdown, Static

from ... import engine
from ...engine import ChoiceView
from ...story.model import format_clock
from ...views.teaching import ending_verdict, meter_value, meters
from ..votes import Tally, VoteError, decide, tally
from .screens import PickChoice, ReflectionPrompt

if TYPE_CHECKING:
    from .app import ClassApp


class CountInput(Input):
    """A vote box: takes digits only, and lets letters through to the screen's keys."""

    def check_consume_key(self, key: str, character: str | None = None) -> bool:
        return character is not None and character.isdigit()


class ClassPlayScreen(Screen[None]):
    BINDINGS = [
        Binding("h", "history", "What really happened", priority=True),
        Binding("m", "path", "Our path", priority=True),
        Binding("d", "prompts", "Discuss", priority=True),
        Binding("e", "meters", "Explain the meters", priority=True),
        Binding("o", "override", "Override the vote", priority=True),
        Binding("u", "undo", "Undo", priority=True),
        Binding("q", "quit", "Save and quit", priority=True),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.offered: list[ChoiceView] = []
        """The choices on screen now, in order (locked ones included)."""
        self.busy = False
        """True from a decision until the next scene is drawn: a second Enter must not choose twice."""
        self.generation = 0
        """Bumped on every redraw, so the vote boxes of a new scene get fresh ids."""

    @property
    def game(self) -> "ClassApp":
        return cast("ClassApp", self.app)

    def compose(self) -> ComposeResult:
        yield Static("", id="where")
        yield Static("", id="meters")
        with VerticalScroll(id="scene"):
            yield Static("", id="scene-title")
            yield Markdown("", id="scene-text")
            yield Vertical(id="votes")
            yield Static("", id="tally")
        yield Footer()

    async def on_mount(self) -> None:
        await self.redraw()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "undo" and self.game.locked:
            return None  # shown greyed: undo is locked for an assessed run
        return True

    # ------------------------------------------------------------ drawing
    async def redraw(self) -> None:
        """Draw the current state from scratch: nothing on screen outlives the state it came from."""
        game = self.game
        story, state = game.story, game.state
        scene = story.scenes[state.scene]
        hour = story.hour_of(scene.id)
        place = story.glossary[scene.place].term if scene.place and scene.place in story.glossary else None
        bits = [format_clock(state.clock), place, engine.hour_title(story, state) if hour else None]
        if game.locked:
            bits.append("assessed run: undo locked")
        self.query_one("#where", Static).update("  ·  ".join(b for b in bits if b))
        shown = meters(story, state.vars)
        self.query_one("#meters", Static).update(
            "  ·  ".join(f"{m.label}: {meter_value(m)}" for m in shown) + ("   (e: what they measure)" if shown else ""))
        self.query_one("#meters", Static).display = bool(shown)
        self.query_one("#scene-title", Static).update(engine.scene_title(story, state))
        text = engine.scene_text(story, state).strip()
        if scene.ending:
            verdict = f"*{ending_verdict(scene.ending)}*\n\n" if story.history else ""
            text += (f"\n\n---\n\n## {engine.ending_title(story, state)}\n\n{verdict}"
                     f"{engine.epilogue(story, state)}")
        await self.query_one("#scene-text", Markdown).update(text)
        box = self.query_one("#votes", Vertical)
        await box.remove_children()
        self.generation += 1
        self.offered = [] if scene.ending else engine.choices(story, state)
        rows = []
        for i, c in enumerate(self.offered, 1):
            cost = f"  ({c.cost} min)" if c.cost else ""
            if c.enabled:
                rows.append(Horizontal(
                    Static(f"{i}. {c.text}{cost}", classes="choice-text"),
                    CountInput(placeholder="votes", type="integer", max_length=6, id=f"v{self.generation}-{i}",
                          classes="count"),
                    classes="choice"))
            else:
                rows.append(Horizontal(
                    Static(f"{i}. [locked] {c.text} — {c.locked_reason or 'not possible now'}", classes="choice-text"),
                    classes="choice locked"))
        await box.mount_all(rows)
        self.query_one("#scene", VerticalScroll).scroll_home(animate=False)
        if scene.ending:
            where = game.save_path()
            self.query_one("#tally", Static).update(
                f"The end. Press h for what really happened. The class's transcript: tauride transcript \"{where}\"")
        else:
            self.query_one("#tally", Static).update(
                "Type the votes for each choice (Tab moves on), then Enter. o: override · h: what really happened")
            first = self.query(Input).first() if self.query(Input) else None
            if first is not None:
                first.focus()
        self.busy = False

    def counts(self) -> tuple[dict[str, int], bool]:
        """The counts typed so far by choice id, and whether any box was filled in at all."""
        counts: dict[str, int] = {}
        typed = False
        for i, c in enumerate(self.offered, 1):
            if not c.enabled:
                continue
            raw = self.query_one(f"#v{self.generation}-{i}", Input).value.strip()
            if raw:
                typed = True
                counts[c.id] = int(raw)
        return counts, typed

    def label(self, choice_id: str) -> str:
        return next(c.text for c in self.offered if c.id == choice_id)

    def on_input_changed(self, event: Input.Changed) -> None:
        if self.busy or not self.offered:
            return
        try:
            t = tally(self.counts()[0], [c.id for c in self.offered if c.enabled])
        except (VoteError, ValueError):
            return
        if t.total:
            lead = " and ".join(self.label(x) for x in t.leaders)
            self.query_one("#tally", Static).update(
                f"{t.total} votes so far · {'tie: ' if t.is_tie else 'ahead: '}{lead}")

    # ------------------------------------------------------------ deciding
    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_decide()

    def read_tally(self) -> tuple[Tally, bool] | None:
        try:
            counts, typed = self.counts()
            return tally(counts, [c.id for c in self.offered if c.enabled]), typed
        except (VoteError, ValueError) as err:
            self.notify(str(err), title="Check the votes", severity="error")
            return None

    def action_decide(self) -> None:
        if self.busy or not self.offered:
            return
        read = self.read_tally()
        if read is None:
            return
        t, typed = read
        try:
            d = decide(t)
        except VoteError:
            if t.total == 0:
                why = "Nobody voted. The teacher chooses."
            else:
                tied = " and ".join(f"“{self.label(cid)}”" for cid in t.leaders)
                why = f"A tie: {tied} have {t.votes(t.leaders[0])} votes each. The teacher chooses."
            self.busy = True
            self.app.push_screen(PickChoice("The teacher decides", why, [(cid, self.label(cid)) for cid in t.leaders]),
                                 lambda cid: self.take(cid, t if typed else None))
            return
        self.busy = True
        self.take(d.choice, t)

    def action_override(self) -> None:
        if self.busy or not self.offered:
            return
        read = self.read_tally()
        if read is None:
            return
        t, typed = read
        enabled = [c for c in self.offered if c.enabled]
        self.busy = True
        self.app.push_screen(
            PickChoice("Override the vote", "The teacher takes this choice for the class, whatever the count.",
                       [(c.id, c.text) for c in enabled]),
            lambda cid: self.take(cid, t if typed else None))

    def take(self, choice_id: str | None, t: Tally | None) -> None:
        """Take the class's choice (None: the teacher went back to the vote), asking its reflection first."""
        if choice_id is None:
            self.busy = False
            return
        votes = t.as_dict() if t is not None else None
        view = next(c for c in self.offered if c.id == choice_id)
        if view.reflect:
            self.app.push_screen(ReflectionPrompt(view.reflect),
                                 lambda answer: self.game.advance(choice_id, votes, answer))
        else:
            self.game.advance(choice_id, votes, None)

    # ------------------------------------------------------------ facilitator keys
    def action_history(self) -> None:
        self.game.show_history()

    def action_path(self) -> None:
        self.game.show_path()

    def action_prompts(self) -> None:
        self.game.show_prompts()

    def action_meters(self) -> None:
        self.game.show_meters()

    def action_undo(self) -> None:
        if not self.busy:
            self.game.undo()

    def action_quit(self) -> None:
        self.game.save_and_quit()
