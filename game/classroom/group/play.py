"""The projected screen: the scene, large, the choices, and the class's vote on them.

Without devices the teacher types the show of hands on one line —
`12/10/8`, Tab puts the `/` — and presses Enter; each choice shows its
count as it is typed. With `--live`, students' devices vote and each
choice's count grows on screen; Enter (or `c`) closes the vote. Either way
the most votes carry; a tie, or nobody voting, asks the teacher to pick
among the tied choices; `o` overrules the vote. Letters are screen keys
(the count line takes digits and separators only), so `h`, `m`, `u`, `o`
work while it has the focus.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Input, Markdown, Static

from ... import engine
from ...engine import ChoiceView
from ...story.model import format_clock
from ...tui.widgets.key_bar import KeyBar
from ...views.hours import hour_now
from ...views.teaching import ending_verdict, meter_value, meters
from ...words import count, noun
from ..ballot import Option
from ..votes import Tally, VoteError, check_class_size, decide, parse_counts, tally
from .join_panel import JoinPanel
from .screens import PickChoice, ReflectionPrompt

if TYPE_CHECKING:
    from .app import ClassApp


class CountInput(Input):
    """The one line of counts: digits and separators; Tab puts a `/`; letters go on to the screen's keys.

    Tab is handled here, in the box's own queue of keys, not as a binding:
    a binding runs only when the key has bubbled up to the app, and keys
    typed after it are by then already queued in the box — which is how
    `12 Tab 10 Tab 8`, typed fast, once became 12/108/– (the focus moved
    on after the 8 had gone into the second box).
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(restrict=r"[0-9 /,.\-]*", max_length=60, **kwargs)

    def check_consume_key(self, key: str, character: str | None = None) -> bool:
        # '.' is a separator too (the numeric keypad's): dropped by the box, `5.3.2` was counted as 532 votes
        return key == "tab" or (character is not None and (character.isdigit() or character in " /,.-"))

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "tab":
            event.stop()
            event.prevent_default()
            self.insert_text_at_cursor("/")
            return
        await super()._on_key(event)


class ClassPlayScreen(Screen[None]):
    # In the key line's order, the keys a lesson needs most first: on a projector of 100 columns the line
    # (a `KeyBar`: whole keys, undo and quit kept) was Textual's Footer, cut at "o Overr", hiding c, j, u and q.
    BINDINGS = [
        Binding("c", "close_vote", "Close the vote", priority=True),  # devices' votes (--live) only
        Binding("enter", "decide", "Close the vote", show=False),
        Binding("o", "override", "Overrule", priority=True),
        Binding("h", "history", "History", priority=True),
        Binding("e", "meters", "Meters", priority=True),
        Binding("pageup", "scroll_scene(-1)", "Scroll", key_display="PgUp/PgDn", priority=True),
        Binding("pagedown", "scroll_scene(1)", "Scroll down", show=False, priority=True),
        Binding("d", "prompts", "Discuss", priority=True),
        Binding("m", "path", "Our path", priority=True),
        Binding("j", "join_panel", "How to join", priority=True),  # devices' votes (--live) only
        Binding("u", "undo", "Undo", priority=True),
        Binding("q", "quit", "Quit (saved)", priority=True),
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
        yield Static("", id="where", markup=False)
        yield Static("", id="meters", markup=False)
        with Horizontal(id="stage"):
            with VerticalScroll(id="scene"):
                yield Static("", id="scene-title", markup=False)
                yield Markdown("", id="scene-text")
                yield Vertical(id="votes")
                if self.game.live is None:
                    yield CountInput(placeholder="votes for each choice, in order: 12/10/8 (Tab puts the /)",
                                     id="counts")
                yield Static("", id="tally", markup=False)
            if self.game.live is not None:
                yield JoinPanel(self.game.join_url, self.game.live.code, id="join")
        yield KeyBar()

    async def on_mount(self) -> None:
        await self.redraw()
        if self.game.live is not None:
            self.set_interval(0.5, self.show_live_counts)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "close_vote" and self.game.live is None:
            return False  # typed counts are closed with Enter: a stray 'c' decided with a half-typed line
        if action == "join_panel" and self.game.live is None:
            return False  # no devices, no panel to show
        return True

    # ------------------------------------------------------------ drawing
    async def redraw(self) -> None:
        """Draw the current state from scratch: nothing on screen outlives the state it came from."""
        game = self.game
        story, state = game.story, game.state
        scene = story.scenes[state.scene]
        hour = hour_now(story, state)
        place = story.glossary[scene.place].term if scene.place and scene.place in story.glossary else None
        bits = [format_clock(state.clock), place, engine.hour_title(story, state, hour) if hour else None]
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
                    Static(f"{i}. {c.text}{cost}", classes="choice-text", markup=False),
                    Static("", id=f"n{self.generation}-{i}", classes="count"),
                    classes="choice"))
            else:
                rows.append(Horizontal(
                    Static(f"{i}. [locked] {c.text} — {c.locked_reason or 'not possible now'}", classes="choice-text", markup=False),
                    classes="choice locked"))
        await box.mount_all(rows)
        live = self.game.live
        if live is not None:
            if self.offered:
                live.box.open(engine.scene_title(story, state), [Option(c.id, c.text) for c in self.offered if c.enabled])
            else:
                live.box.clear()
        else:
            entry = self.query_one("#counts", CountInput)
            entry.value = ""
            entry.display = bool(self.offered)
        if scene.ending:
            where = game.save_path()
            self.query_one("#tally", Static).update(
                f"The end. Press h for what really happened. The class's transcript: tauride transcript \"{where}\"")
        elif len(self.enabled_ids()) == 1:
            self.query_one("#tally", Static).update("One way on: Enter goes on. h: what really happened")
            if live is None:
                self.query_one("#counts", CountInput).focus(scroll_visible=False)
        elif live is not None:
            self.show_live_counts()
        else:
            self.query_one("#tally", Static).update(
                "Type the votes for each choice on one line — 12/10/8, Tab puts the / — then Enter. "
                "o: override · h: what really happened")
            self.query_one("#counts", CountInput).focus(scroll_visible=False)
        # The scene opens at its top (its title and first lines), not scrolled down to the votes: focusing the
        # count line does not scroll, and the scroll home waits until the new text has its height.
        scroller = self.query_one("#scene", VerticalScroll)
        scroller.scroll_home(animate=False)
        self.call_after_refresh(scroller.scroll_home, animate=False)
        self.busy = False

    def enabled_ids(self) -> list[str]:
        return [c.id for c in self.offered if c.enabled]

    def counts(self) -> tuple[dict[str, int], bool]:
        """The counts so far by choice id (typed, or from the devices), and whether any vote was given at all.

        Raises VoteError for a line of counts that cannot be read."""
        live = self.game.live
        if live is not None:
            ballot = live.box.current
            counts = ballot.counts() if ballot is not None else {}
            return counts, any(counts.values())
        typed = self.query_one("#counts", CountInput).value
        return parse_counts(typed, self.enabled_ids()), bool(typed.strip())

    def label(self, choice_id: str) -> str:
        return next(c.text for c in self.offered if c.id == choice_id)

    def show_counts(self, t: Tally) -> None:
        """Each choice's count beside it, and the line under the choices."""
        for i, c in enumerate(self.offered, 1):
            if c.enabled:
                for w in self.query(f"#n{self.generation}-{i}"):
                    n = t.votes(c.id)
                    cast(Static, w).update(count(n, "vote"))
        if t.total:
            lead = " and ".join(self.label(x) for x in t.leaders)
            size = self.game.class_size
            of = f" of {size}" if size else ""
            votes = noun(size or t.total, "vote")  # "1 vote so far", but "1 of 30 votes so far"
            more = (" · Enter or c closes the vote" if self.game.live is not None else "")
            self.query_one("#tally", Static).update(
                f"{t.total}{of} {votes} so far · {'tie: ' if t.is_tie else 'ahead: '}{lead}{more}")

    def show_live_counts(self) -> None:
        live = self.game.live
        if live is None or self.busy or len(self.enabled_ids()) < 2 or live.box.current is None:
            return
        t = tally(live.box.current.counts(), self.enabled_ids())
        self.show_counts(t)
        if not t.total:
            self.query_one("#tally", Static).update(
                f"Voting is open on {len(live.box.devices)} joined device{'' if len(live.box.devices) == 1 else 's'}"
                " · Enter or c closes the vote · o: override")
        panel = self.query("#join")
        if panel:
            cast(JoinPanel, panel.first()).set_tally(len(live.box.devices))

    def on_input_changed(self, event: Input.Changed) -> None:
        if self.busy or not self.offered or self.game.live is not None:
            return
        try:
            t = tally(self.counts()[0], self.enabled_ids())
        except (VoteError, ValueError):
            return
        self.show_counts(t)

    # ------------------------------------------------------------ deciding
    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_decide()

    def read_tally(self) -> tuple[Tally, bool] | None:
        """The vote as it stands (the live ballot closed), or None after telling the teacher what to fix."""
        try:
            counts, typed = self.counts()
            t = tally(counts, self.enabled_ids())
            if self.game.live is None:
                check_class_size(t, self.game.class_size)
            elif self.game.live.box.current is not None:
                self.game.live.box.close()
                size = self.game.class_size
                if size is not None and t.total > size:  # devices vote once each: one from outside joined
                    self.notify(f"{count(t.total, 'vote')} from devices, but the class has {count(size, 'student')} "
                                "(--class-size): a device outside the class may have joined. The vote stands.",
                                title="More votes than students", severity="warning", timeout=10)
            return t, typed
        except (VoteError, ValueError) as err:
            self.notify(str(err), title="Check the votes", severity="error")
            return None

    def action_scroll_scene(self, direction: int) -> None:
        """PgUp/PgDn: a long scene on a projector at 80×24 is read a screen at a time, whatever has the focus."""
        scene = self.query_one("#scene", VerticalScroll)
        if direction < 0:
            scene.scroll_page_up(animate=False)
        else:
            scene.scroll_page_down(animate=False)

    def action_close_vote(self) -> None:
        self.action_decide()

    def action_decide(self) -> None:
        if self.busy or not self.offered:
            return
        only = self.enabled_ids()
        if len(only) == 1:  # nothing to vote on: one key goes on
            read = self.read_tally()
            if read is None:
                return
            t, typed = read
            self.busy = True
            self.take(only[0], t if typed else None)
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
                why = f"A tie: {tied} have {count(t.votes(t.leaders[0]), 'vote')} each. The teacher chooses."
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
            if self.game.live is not None:
                self.game.live.box.reopen()
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

    def action_join_panel(self) -> None:
        for panel in self.query("#join"):
            panel.display = not panel.display

    def action_meters(self) -> None:
        self.game.show_meters()

    def action_undo(self) -> None:
        if not self.busy:
            self.game.undo()

    def action_quit(self) -> None:
        self.game.save_and_quit()
