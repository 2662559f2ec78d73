"""ClassApp: group play on one screen, the engine deciding, every vote kept.

Holds the story, the state and the save slot. A decision goes through
`engine.choose` with the vote counts and the reflection answer, then
autosaves, so a crash or a bell loses nothing. When a choice carries the
story into a new hour (or to an ending), the finished hour's discussion
prompts fill the screen before play goes on.
"""

from __future__ import annotations

import time
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

from textual import events
from textual.app import App

from ... import engine
from ...active_time import META_KEY, ActiveTime, saved_seconds
from ...engine import State
from ...saves import SaveError, SaveStore
from ...story.model import Story, format_clock
from ...tui.plain_notify import PlainNotify
from ...views import debrief, journal
from ...views.hours import hour_now
from ...views.notes import NO_NOTE, ending_note, note_markdown, scene_note
from ...views.teaching import Opening, ending_verdict, meter_value, meters
from ...views.typed_text import clean_answer
from ...words import NOTHING_TO_UNDO, UNDO_LOCKED, count
from ..votes import explain
from .play import ClassPlayScreen
from .screens import Discussion, Notes

if TYPE_CHECKING:
    from ..live_server import LiveVote


class ClassApp(PlainNotify, App[int]):
    TITLE = "Tauride — class"
    CSS_PATH = "class.tcss"
    ENABLE_COMMAND_PALETTE = False

    def __init__(self, story: Story, store: SaveStore, slot: str, state: State, *, locked: bool = False,
                 meta: Mapping[str, Any] | None = None, opening: Opening | None = None,
                 live: "LiveVote | None" = None, class_size: int | None = None,
                 exit_question: str | None = None) -> None:
        """`opening`: the content note (and a chapter's story so far), shown before a new lesson's first scene."""
        super().__init__()
        self.opening = opening
        self.exit_question = exit_question
        """Asked when the teacher quits (`--exit-question`); the class's answer is kept in the save."""
        self.live = live
        """The vote server devices talk to (`class --live`), run in this app's loop; None: typed tallies."""
        self.class_size = class_size
        """How many students are in the room (`--class-size`): a tally above it is refused as a slip."""
        self.join_url = ""
        """The address on the board and in the QR code (set when the vote server is listening)."""
        self.story = story
        self.store = store
        self.slot = slot
        """The save slot of this class's playthrough."""
        self.state = state
        self.locked = locked
        """An assessed run: no undo, and the save says so."""
        self.meta: dict[str, Any] = {"mode": "class", "locked": locked, **dict(meta or {})}
        self.meta.setdefault("started_at", datetime.now(timezone.utc).isoformat(timespec="seconds"))
        self._played = float(self.meta.get("play_seconds") or 0)
        self.active = ActiveTime(saved_seconds(self.meta))
        """Time on task: the teacher's keys, idle gaps capped (a lesson paused for discussion is still a lesson
        up to the cap)."""
        self._since = time.monotonic()

    async def on_mount(self) -> None:
        if self.live is not None:
            from ..live_server import join_url

            try:
                await self.live.start()
            except OSError as exc:
                self.exit(1, return_code=1, message=f"tauride: the live vote cannot listen on {self.live.host}:{self.live.port} "
                                     f"({exc.strerror or exc}); choose another --port")
                return
            self.join_url = join_url(self.live.host, self.live.port, self.live.code)
        self.push_screen(ClassPlayScreen())
        if self.opening is not None and not self.opening.empty:
            self.push_screen(Notes("Before we begin", self.opening.markdown()))

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown)) and not event.is_forwarded:
            self.active.touch()
        await super().on_event(event)

    async def on_unmount(self) -> None:
        if self.live is not None:
            await self.live.stop()

    @property
    def play(self) -> ClassPlayScreen:
        return next(s for s in self.screen_stack if isinstance(s, ClassPlayScreen))

    def save_path(self) -> Path:
        return self.store.path(self.slot)

    def autosave(self) -> None:
        now = time.monotonic()
        self._played += now - self._since
        self._since = now
        self.meta["play_seconds"] = round(self._played)
        self.meta[META_KEY] = round(self.active.seconds)
        try:
            self.store.write(self.slot, self.story, self.state, self.meta)
        except SaveError as err:
            self.notify(str(err), title="Not saved", severity="error", timeout=15)

    # ------------------------------------------------------------ play
    def advance(self, choice_id: str, votes: Mapping[str, int] | None, answer: str | None) -> None:
        """Take the class's choice through the engine, save, then show the hour's prompts if the hour is over."""
        before = hour_now(self.story, self.state)
        scene = self.story.scenes[self.state.scene]
        self.state = engine.choose(self.story, self.state, choice_id, votes=votes, answer=clean_answer(answer))
        self.autosave()
        d = explain(votes, choice_id)
        if d.tally is not None:
            said = d.words
            choice = scene.choice(choice_id)
            title = choice.text_source if choice else choice_id
            self.notify(f"{d.tally.votes(choice_id)} of {count(d.tally.total, 'vote')}: {said}.", title=title, timeout=5)
        after = hour_now(self.story, self.state)
        ending = self.story.scenes[self.state.scene].ending is not None
        if before is not None and before.discussion and (after is not before or ending):
            nxt = engine.hour_title(self.story, self.state, after) if after is not None and after is not before else None
            self.push_screen(Discussion(engine.hour_title(self.story, self.state, before) or before.title,
                                        before.discussion, nxt), self._after_discussion)
            return
        self.call_later(self.play.redraw)

    def _after_discussion(self, _: None) -> None:
        self.call_later(self.play.redraw)

    def undo(self) -> None:
        if self.locked:
            self.notify(UNDO_LOCKED, severity="warning")
            return
        if not self.state.own_steps:
            self.notify(NOTHING_TO_UNDO)
            return
        self.state = engine.undo(self.story, self.state)
        self.autosave()
        self.call_later(self.play.redraw)

    def save_and_quit(self) -> None:
        """Save and leave — after the exit question, when there is one (Escape leaves it unanswered)."""
        if self.exit_question is None:
            self.autosave()
            self.exit(0)
            return
        from ...exit_question import record
        from .screens import ReflectionPrompt

        question = self.exit_question

        def done(answer: str | None) -> None:
            record(self.meta, question, answer)
            self.autosave()
            self.exit(0)
        self.push_screen(ReflectionPrompt(question, title="Exit question"), done)

    # ------------------------------------------------------------ facilitator notes
    def show_history(self) -> None:
        scene = self.story.scenes[self.state.scene]
        parts: list[str] = []
        if scene.history:
            parts.append(note_markdown(scene_note(self.story, scene.history)))
        if scene.ending:
            parts.append(f"**{engine.ending_title(self.story, self.state)}.** *{ending_verdict(scene.ending)}*\n\n"
                         + note_markdown(ending_note(self.story, scene.ending)))
        if scene.discussion:
            parts.append("**To discuss:**\n\n" + "\n".join(f"- {p}" for p in scene.discussion))
        self.push_screen(Notes(engine.scene_title(self.story, self.state), "\n\n".join(parts) or NO_NOTE))

    def show_meters(self) -> None:
        """What each meter measures and whether high is good, to read out before a vote."""
        shown = meters(self.story, self.state.vars)
        text = "\n\n".join(f"**{m.label}: {meter_value(m)}.** {m.meaning}" for m in shown)
        self.push_screen(Notes("The meters", text or "This story shows no meters."))

    def show_prompts(self) -> None:
        """This scene's and this hour's discussion prompts, for a pause at any moment."""
        scene = self.story.scenes[self.state.scene]
        hour = hour_now(self.story, self.state)
        parts = []
        if scene.discussion:
            parts.append(f"**{engine.scene_title(self.story, self.state)}**\n\n" + "\n".join(f"- {p}" for p in scene.discussion))
        if hour is not None and hour.discussion:
            parts.append(f"**{engine.hour_title(self.story, self.state, hour)}**\n\n"
                         + "\n".join(f"- {p}" for p in hour.discussion))
        self.push_screen(Notes("For discussion", "\n\n".join(parts) or "No prompts here: ask what the class would do next."))

    def show_path(self) -> None:
        """The class's path so far, scene by scene, with each vote."""
        lines = []
        entries = journal(self.story, self.state)
        marks = {r.step: ("✔ as history" if r.followed else "✘ left history") for r in debrief(self.story, self.state).rows}
        for e in entries:
            if not e.own:
                continue  # the chapter's route, not the class's vote
            if e.current:
                lines.append(f"- {e.clock_text} · {e.title} — *we are here*")
                continue
            counts = {v.choice.id: v.count for v in e.votes} if e.votes else None
            vote = ""
            if counts:
                d = explain(counts, e.choice.id if e.choice else "")
                vote = f" ({' / '.join(str(n) for n in counts.values())} votes; {d.label})"
            mark = f" — **{marks[e.step]}**" if e.step in marks else ""
            lines.append(f"- {e.clock_text} · {e.title} → {e.choice.text if e.choice else '?'}{vote}{mark}")
        n = self.state.own_steps
        head = (f"{n} decision{'' if n == 1 else 's'}, {format_clock(next(e for e in entries if e.own).clock)} to "
                f"{format_clock(self.state.clock)}.")
        self.push_screen(Notes("Our path", head + "\n\n" + "\n".join(lines)))
