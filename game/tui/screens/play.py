"""The play screen: clock and place on top, the scene's text, its choices, the situation.

It holds the current `State` and nothing else of the story's logic: a choice
goes to `engine.choose` by id, and everything on screen is re-drawn from the
state that comes back. Choices are switched off from the moment one is taken
until the next scene has been drawn (and, with typed reveal, fully shown),
so a double key press cannot choose twice.
"""

from __future__ import annotations

import sys
import threading
import time
from functools import partial
from typing import TYPE_CHECKING, Any, Mapping, cast

from textual import events, messages
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from ... import engine
from ...engine import State
from ...saves import Autosaved, SaveError
from ...views import journal
from ...words import NOTHING_TO_UNDO, UNDO_LOCKED
from ..marking import entry_of, mark_terms
from ..widgets.choice_list import ChoiceList
from ..widgets.clock_header import ClockHeader
from ..widgets.key_bar import KeyBar
from ..widgets.scene_text import SceneText, TextBlock
from ..widgets.settled import SettledScroll, SettledScrollBar, SettledStatic
from ..widgets.status_panel import StatusPanel
from .base import StyledOnMount

if TYPE_CHECKING:
    from ..app import TaurideApp

event_clock = time.perf_counter if sys.platform == "win32" else time.monotonic
"""The clock Textual stamps events with (`Message.time`)."""


def breakpoint_classes(horizontal: list[tuple[int, str]], vertical: list[tuple[int, str]],
                       width: int, height: int) -> list[str]:
    """The breakpoint classes Textual gives a screen of this size on its first resize.

    Given to the play screen when it is made, so its first styling is already the right one:
    the classes arriving with the first resize restyled the whole screen a second time, after
    its first frame, in every new game (~15 ms). Textual's rule: per axis, the class of the
    largest breakpoint not above the size.
    """
    out = []
    for points, size in ((horizontal, width), (vertical, height)):
        fitting = [(at, name) for at, name in points if size >= at]
        if fitting:
            out.append(max(fitting)[1])
    return out


def prepare_styles(app: App[Any]) -> None:
    """Add the default CSS of a new game's widgets to the app's stylesheet, and parse it, now.

    Textual adds a widget class's default CSS the first time one is mounted, and parses the
    whole stylesheet again before styling it: every class new in the play screen made the first
    scene of a new game wait for that (~10 ms), and the content note's buttons the note (~10 ms:
    a button's CSS is long). Called by the title while the player reads it (and by the fork server's
    warm-up, `parsed_css.warm`); mounting then finds every source already there. Only what mounting
    would add is added.
    """
    from .confirm import ConfirmDialog

    widgets: list[Widget] = [ClockHeader(), Horizontal(), Vertical(), SettledScroll(), SettledStatic(),
                             SceneText(), TextBlock("text", Content("")), ChoiceList(), StatusPanel(), KeyBar(),
                             SettledScrollBar(), *ConfirmDialog.parts()]
    sheet = app.stylesheet
    for widget in widgets:
        for read_from, css, tie_breaker, scope in widget._get_default_css():
            sheet.add_source(css, read_from=read_from, is_default_css=True, tie_breaker=tie_breaker, scope=scope)
    sheet.rules  # noqa: B018  (parses what was added, once)


class PlayScreen(StyledOnMount, Screen[None]):
    """One playthrough in progress."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (80, "-wide")]
    """Under 80 columns the side panel becomes a strip under the choices (only this screen has one:
    elsewhere a breakpoint class would restyle every widget on each resize for nothing)."""
    VERTICAL_BREAKPOINTS = [(0, "-short"), (20, "-tall")]
    """Narrow and short (under 80×20) has no room for the panel strip: the choices come first."""

    BINDINGS = [
        *(Binding(str(n), f"pick({n})", f"Take choice {n}", show=False) for n in range(1, 10)),
        Binding("u", "undo", "Undo"),
        Binding("U", "undo_many", "Undo several", show=False),
        Binding("j", "journal", "Journal"),
        Binding("h", "history", "History"),
        Binding("m", "meters", "Meters"),
        Binding("e", "explain", "Names", show=False),
        Binding("g", "glossary", "Glossary", show=False),
        Binding("t", "timeline", "Timeline", show=False),
        Binding("s", "save", "Save"),
        Binding("l", "load", "Saves", show=False),
        Binding("o", "settings", "Settings", show=False),
        # priority: the choice list would otherwise take page keys for itself
        Binding("pageup", "scroll_text(-1)", "Scroll the text up", show=False, priority=True),
        Binding("pagedown", "scroll_text(1)", "Scroll the text down", show=False, priority=True),
    ]

    def __init__(self, state: State, new_game: bool = False) -> None:
        super().__init__(classes=" ".join(breakpoint_classes(self.HORIZONTAL_BREAKPOINTS, self.VERTICAL_BREAKPOINTS,
                                                             self.app.size.width, self.app.size.height)))
        self.state = state
        """The one source of truth for what is on screen."""
        self.new_game = new_game
        """A new game not yet autosaved: its first autosave keeps an unfinished game there (game.save_keep)."""
        self.before: Mapping[str, Any] | None = None
        """Variables before the last step, so the panel can show what moved."""
        self.busy = True
        """True from a choice until the next scene is fully shown: choosing is ignored meanwhile."""
        self.unsaved = False
        """True when the last autosave failed, so quitting would lose progress."""
        self._save_pending = False
        """A new state is waiting to be autosaved (see `advance`)."""
        self._save_lock = threading.Lock()
        """Held while an autosave is written (on a worker thread, or at once when leaving)."""
        self._drawn_at: float | None = None
        """When the scene now on its way to the screen was drawn, prompt and all (None while it is not)."""
        self._key_at = 0.0
        """When the key being handled was pressed (`event_clock`)."""
        self._waiting: int | None = None
        """A choice's number pressed after the scene was drawn but before its frame was out: taken then."""
        self.under_note = False
        """A new game's content note is over the screen, not yet answered: the game has not begun."""
        self.marked: list[str] = []
        """Glossary ids marked in the text on show, in reading order (for the keyboard's name list)."""

    @property
    def tauride(self) -> "TaurideApp":
        return cast("TaurideApp", self.app)

    def compose(self) -> ComposeResult:
        yield ClockHeader(id="clock")
        with Horizontal(id="body"):
            with Vertical(id="main"):
                with SettledScroll(id="reading"):
                    yield SettledStatic(id="scene-title", markup=False)
                    yield SceneText(id="scene-text")
                yield ChoiceList(id="choices")
            yield StatusPanel(id="side")
        yield KeyBar()

    PROMPT = "What do you do?"
    """Shown on the choices' frame only while they take input: a cue for the eye and for scripts."""

    async def on_mount(self) -> None:
        await self.draw()

    # ------------------------------------------------------------ drawing
    async def draw(self) -> None:
        """Re-draw everything from `self.state`."""
        story, state = self.tauride.story, self.state
        self.busy = True
        self._drawn_at = None
        choices = self.query_one(ChoiceList)
        choices.set_locked(True)
        choices.border_title = "…"
        self.query_one(ClockHeader).show(story, state)
        self.query_one("#scene-title", Static).update(engine.scene_title(story, state))
        # Text and choices fail apart, as in plain mode: a fault in the text still leaves the choices to take.
        try:
            text = engine.scene_text(story, state)
        except engine.RunError as err:
            text = f"*This scene could not be shown: {err}*"
            self.notify(str(err), title="Story error", severity="error")
        try:
            views = engine.choices(story, state)
        except engine.RunError as err:
            views = []
            text += (f"\n\n*The choices here cannot be worked out: {err}. That is a fault in the story: "
                     "press u to step back, l to load a save, or q to quit.*")
            self.notify(str(err), title="Story error", severity="error")
        text, spans = mark_terms(self.tauride.finder.for_scene(story.scenes.get(state.scene)), text)
        self.marked = [s.entry for s in spans]
        n = len(self.marked)
        choices.border_subtitle = f"e: {n} name{'s' if n > 1 else ''} on this page" if n else ""
        self.query_one("#reading", VerticalScroll).scroll_home(animate=False)
        choices.show(views)
        self.query_one(StatusPanel).show(story, state.vars, self.before)
        if engine.is_ending(story, state):
            self.query_one(SceneText).show(text)
            self.tauride.show_ending(self)
            return
        typed = self.tauride.settings.reveal == "typed"
        choices.display = not typed
        if self.query_one(SceneText).show(text, typed=typed):
            self._revealed()

    def on_scene_text_revealed(self, message: SceneText.Revealed) -> None:
        self._revealed()

    def _revealed(self) -> None:
        """The whole text is on screen: the choices and their prompt show in the same frame as the text.

        One refresh per choice: the prompt is set now and the text's room is worked out before the
        layout (`_fit`), so the frame that shows the new scene is the one that shows it playable.
        Input is still taken only once that frame is out (`_unlock` runs after the refresh), so a key
        pressed before the player could see the new choices does not pick one of them.
        """
        choices = self.query_one(ChoiceList)
        choices.display = True
        if choices.border_title != self.PROMPT:
            choices.border_title = self.PROMPT
        self._fit()
        self._drawn_at = event_clock()
        self.call_after_refresh(self._unlock)

    def on_resize(self) -> None:
        self.call_after_refresh(self._fit)

    def _on_invoke_later(self, message: messages.InvokeLater) -> None:
        """This screen's after-refresh callbacks wait for this screen, whatever is on top of it.

        Textual hands an after-refresh callback to whichever screen is on top when the request is
        read, not to the screen that asked, and a screen closed before its next refresh drops the
        callbacks it was handed. A new game's first scene is drawn just before its content note
        comes up: its `_unlock` could go to the note, and a note closed at once (Begin pressed in a
        busy classroom) took it away, leaving the choices locked for good. A choice's autosave
        (`advance`) and the text's new room after a resize (`_fit`) could be lost the same way
        under any dialog opened and closed at once. Kept here, they run after this screen's next
        refresh, or at its next idle while a dialog covers it (nothing of it is drawn then).
        Textual calls every class's handler of a message: `prevent_default` stops its own.
        """
        message.prevent_default()
        if self.app._running:
            self._invoke_later(message.callback, self)

    def _compositor_refresh(self) -> None:
        """Draw in this frame what was marked for drawing while its layout ran.

        Laying the page out gives the reading column's scroll bar its new length and thumb, and
        may move the choices' scroll offset; each marks the widget for a repaint, which Textual
        draws only once that widget's request reaches the screen at its next idle, after this
        frame is out. So most choices were followed by a second frame ~25 ms later, redrawing
        the bar the player had seen a frame late (5-7 ms of CPU a choice, a fifth of it). The
        regions those widgets marked are drawn now, with the rest of the frame. Their requests
        are left to run their course (they keep the screen's timer and its after-refresh
        callbacks going); by then there is nothing left to draw, and no frame is written.
        """
        compositor = self._compositor
        compositor.update_widgets({widget for widget in compositor.visible_widgets if widget._repaint_required})
        super()._compositor_refresh()

    def _choices_height(self) -> int:
        """The choices' height as the coming layout will make it (0 when they are hidden).

        Worked out from their options at the list's width (which new options do not change), its
        border and its max-height, so the text's room is set before the layout rather than after
        it, which cost a second refresh per choice. Before the first layout it is what was drawn.
        """
        choices = self.query_one(ChoiceList)
        if not choices.display:
            return 0
        width = choices.content_size.width
        if width <= 0:
            return choices.outer_size.height
        container = self.query_one("#main").content_size
        height = choices.get_content_height(container, self.size, width) + choices.gutter.height
        cap = choices.styles.max_height
        if cap is not None:
            height = min(height, int(cap.resolve(container, self.size)))
        return height

    def _fit(self) -> None:
        """Give the text what the choices leave: the choices follow the text but are never cut off."""
        room = max(1, self.query_one("#main").content_size.height - self._choices_height())
        reading = self.query_one("#reading")
        if reading.styles.max_height is None or reading.styles.max_height.value != room:
            reading.styles.max_height = room

    def _unlock(self) -> None:
        if self.query_one(SceneText).revealing:
            return
        self.busy = False
        choices = self.query_one(ChoiceList)
        choices.set_locked(False)
        if choices.border_title != self.PROMPT:
            choices.border_title = self.PROMPT
        if choices.outer_size.height != self._choices_height():
            self._fit()  # the layout made the choices another height than foreseen: fit to what is drawn
        if self.focused is not choices:  # (focusing it again would repaint it: a refresh for nothing)
            choices.focus()  # also under a new game's content note: the focus moves while it is read
        if self._waiting is not None:
            number, self._waiting = self._waiting, None
            self.call_next(self.action_pick, number)

    async def on_key(self, event: events.Key) -> None:
        """While the text is being typed out, any key shows the rest of it."""
        self._key_at = event.time
        text = self.query_one(SceneText)
        if text.revealing:
            event.stop()
            event.prevent_default()
            text.finish()

    async def advance(self, new: State) -> None:
        """Make `new` the current state: draw it, then autosave it.

        The autosave (two fsyncs: a few ms, more on a slow disk) is written on a thread once the
        frame that shows the new scene has been handed to the terminal, so it is never part of the
        wait after a key, nor does it hold up the next one; leaving the screen (quitting included)
        writes a save still waiting, and waits for one being written.
        """
        self.before = dict(self.state.vars)
        self.state = new
        self._save_pending = True
        await self.draw()
        self.call_after_refresh(self._autosave_in_background)

    def _autosave_in_background(self) -> None:
        if self._save_pending:
            self.run_worker(self._write_autosave, thread=True, group="autosave", exit_on_error=False)

    def save_if_pending(self) -> None:
        """Write the autosave now if the current state is still waiting for it (see `advance`)."""
        self._write_autosave(on_thread=False)

    def on_unmount(self) -> None:
        self.save_if_pending()

    def autosave(self) -> None:
        self._save_pending = True
        self._write_autosave(on_thread=False)

    def _write_autosave(self, on_thread: bool = True) -> None:
        """Write the newest state, if it waits to be written: one writer at a time, the newest state last.

        Whichever writer holds the lock writes the state current *then*, so a save begun earlier can
        never land after, and over, a newer one. What it has to say is said on the event loop, once
        the lock is let go: a writer on its thread that waited for the loop while holding it, with the
        loop waiting for the lock (leaving the screen writes a save still pending), stopped both.
        """
        with self._save_lock:
            if not self._save_pending:
                return
            self._save_pending = False
            try:
                done = self.tauride.store.autosave(self.tauride.story, self.state, self.tauride.save_meta,
                                                   new_game=self.new_game)
            except SaveError as err:
                self.unsaved = True
                said = partial(self._autosave_failed, err)
            else:
                self.unsaved = False
                self.new_game = False
                said = partial(self._autosaved, done)
        if not on_thread:
            said()
            return
        try:  # queued for the loop, not waited for: a loop on its way out may never run it
            self.app.post_message(events.Callback(callback=said))
        except RuntimeError:  # the loop is closed: quitting already asked about unsaved work
            pass

    def _autosave_failed(self, err: SaveError) -> None:
        self.notify(f"Autosave failed: {err}", title="Not saved", severity="error", timeout=10)

    def _autosaved(self, done: Autosaved) -> None:
        for name in done.kept:
            self.notify(f"The game the autosave held is kept as the save '{name}'.", title="Kept")
        if done.finished:
            self.notify(f"This playthrough is kept as the save '{done.finished}'.", title="Finished game kept")

    # ------------------------------------------------------------ choosing
    async def take(self, choice_id: str) -> None:
        if self.busy:
            return
        self.busy = True
        self._drawn_at = None
        choices = self.query_one(ChoiceList)
        choices.set_locked(True)
        choices.border_title = "…"
        view = next((v for v in choices.views if v.id == choice_id), None)
        if view is not None and view.reflect:
            choices.set_locked(True, look=True)
            # the choice asks the player to say why, in words; the answer goes into the log
            from ...views.typed_text import clean_answer
            from .prompt import PromptDialog

            async def answered(answer: str | None) -> None:
                await self._choose(choice_id, clean_answer(answer))

            self.app.push_screen(
                PromptDialog(view.reflect, hint="Answer in a few words and press Enter, or Esc to go on without.",
                             check=lambda raw: raw.strip()),
                answered,
            )
            return
        await self._choose(choice_id, None)

    async def _choose(self, choice_id: str, answer: str | None) -> None:
        try:
            new = engine.choose(self.tauride.story, self.state, choice_id, answer=answer)
        except (engine.ChoiceError, engine.RunError) as err:
            self.notify(str(err), title="That choice failed", severity="error")
            self._unlock()
            return
        await self.advance(new)

    async def on_choice_list_chosen(self, message: ChoiceList.Chosen) -> None:
        await self.take(message.choice_id)

    async def action_pick(self, number: int) -> None:
        text = self.query_one(SceneText)
        if text.revealing:
            text.finish()
            return
        if self.busy:
            # The new scene's frame (prompt and all) may be on screen a moment before the choices take
            # input (see `_revealed`): a key pressed after the scene was drawn is kept for then. A key
            # pressed before — a double press — is dropped: it was meant for the scene before.
            if self._drawn_at is not None and self._key_at >= self._drawn_at:
                self._waiting = number
            return
        views = self.query_one(ChoiceList).views
        if not 1 <= number <= len(views):
            self.notify(f"There is no choice {number} here.", severity="warning")
            return
        view = views[number - 1]
        if not view.enabled:
            self.notify(view.locked_reason or "Not possible now.", title="Locked", severity="warning")
            return
        await self.take(view.id)

    def action_scroll_text(self, direction: int) -> None:
        reading = self.query_one("#reading", VerticalScroll)
        if direction < 0:
            reading.scroll_page_up(animate=False)
        else:
            reading.scroll_page_down(animate=False)

    # ------------------------------------------------------------ undo
    async def action_undo(self) -> None:
        await self.go_back(1)

    def undo_locked(self) -> bool:
        """An assessed run (`--locked`) takes nothing back: say so, and refuse."""
        if getattr(self.tauride, "locked", False):
            self.notify(UNDO_LOCKED, severity="warning")
            return True
        return False

    async def go_back(self, steps: int) -> None:
        """Take back `steps` choices (as far as the start): the engine replays, randomness included."""
        if self.busy and not self.query_one(SceneText).revealing:
            return
        if self.undo_locked():
            return
        if not self.state.own_steps:
            self.notify(NOTHING_TO_UNDO, severity="warning")
            return
        steps = min(steps, self.state.own_steps)
        try:
            new = engine.undo(self.tauride.story, self.state, steps)
        except (engine.ChoiceError, engine.RunError) as err:
            self.notify(str(err), title="Cannot undo", severity="error")
            return
        await self.advance(new)
        self.notify(f"Took back {steps} choice{'s' if steps > 1 else ''}.")

    def action_undo_many(self) -> None:
        """Pick a point of the journal to go back to."""
        from .notes import PickDialog

        if self.undo_locked():
            return
        entries = journal(self.tauride.story, self.state)[:-1]
        items = {
            str(len(entries) - e.step): f"{e.clock_text}  {e.title} — before “{e.choice.text if e.choice else ''}”"
            for e in reversed(entries)
        }

        async def chosen(key: str | None) -> None:
            if key:
                await self.go_back(int(key))

        self.app.push_screen(
            PickDialog("Go back to…", items, empty=NOTHING_TO_UNDO, enter="go back there"), chosen
        )

    # ------------------------------------------------------------ notes and other screens
    def show_entry(self, entry_id: str) -> None:
        entry = self.tauride.story.glossary.get(entry_id)
        if entry is None:
            return
        from .notes import NoteDialog, entry_markdown

        self.app.push_screen(NoteDialog(entry.term, entry_markdown(self.tauride.story, entry), id="entry-note"))

    def on_scene_text_link_clicked(self, event: SceneText.LinkClicked) -> None:
        event.stop()
        entry_id = entry_of(event.href)
        if entry_id is not None:
            self.show_entry(entry_id)

    def action_explain(self) -> None:
        """The keyboard's way to the marked names: a list of them, in reading order."""
        from .notes import PickDialog

        story = self.tauride.story
        items = {gid: f"{story.glossary[gid].term}  ({story.glossary[gid].kind})" for gid in self.marked}

        def chosen(gid: str | None) -> None:
            if gid:
                self.show_entry(gid)

        self.app.push_screen(PickDialog("Names on this page", items, empty="No glossary names on this page."), chosen)

    def action_history(self) -> None:
        from .notes import NoteDialog, history_markdown

        scene = engine.scene_of(self.tauride.story, self.state)
        self.app.push_screen(NoteDialog(f"History: {engine.scene_title(self.tauride.story, self.state)}", history_markdown(self.tauride.story, scene.history),
                                        id="history-note"))

    def action_meters(self) -> None:
        """What each number in the side panel measures, and whether high is good."""
        from .notes import NoteDialog, meters_markdown

        self.app.push_screen(NoteDialog("The meters", meters_markdown(self.tauride.story, self.state.vars),
                                        id="meters-note"))

    def action_journal(self) -> None:
        self.tauride.open_journal(self.state)

    def action_glossary(self) -> None:
        self.tauride.open_glossary(self.state)

    def action_timeline(self) -> None:
        self.tauride.open_timeline(self.state)

    def action_settings(self) -> None:
        self.tauride.open_settings()

    # ------------------------------------------------------------ saves
    def action_save(self) -> None:
        self.tauride.ask_save(self.state)

    def action_load(self) -> None:
        self.tauride.open_saves()

    async def load(self, state: State) -> None:
        """Continue from a loaded save; the autosave follows, so "continue" resumes here."""
        self.before = None
        self.state = state
        self.autosave()
        await self.draw()
