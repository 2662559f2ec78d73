"""`tauride serve` in a terminal: the teacher's live view of the room, with the server in the same loop.

A Textual table, one row per student — connected or not, where they are
(clock, hour, scene), choices made, reflections answered, last activity
and idle time, finished or not, active minutes — read from the students'
save folders (`game.classroom.room`) every `REFRESH` seconds, and under it
the reflections as they arrive. The classroom server (aiohttp) runs as an
`AppRunner` inside this app's asyncio loop, so the view knows who is
connected without a second channel; its log lines go to the view instead
of the terminal the table is drawn on. `q` (or Ctrl+C) stops the server
and every game with it; the saves stay.
"""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from aiohttp import web
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, RichLog, Static

from ..story.model import Story
from .room import Reflection, RoomReader, RoomRow, idle_text

if TYPE_CHECKING:
    from .serve import ClassroomServer

REFRESH = 1.5
"""Seconds between two readings of the class folder: a choice shows within a couple of seconds."""
COLUMNS = ("Student", "Connected", "Clock", "Hour", "Scene", "Choices", "Reflections", "Idle", "Active min",
           "Finished")


class ViewLog(logging.Handler):
    """The server's log lines, into the view's log panel (the terminal itself holds the table)."""

    def __init__(self, app: "RoomApp") -> None:
        super().__init__(logging.INFO)
        self.app = app

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.app.note(self.format(record))
        except Exception:  # a log line must never take the server down
            pass


class RoomApp(App[int]):
    """The teacher's view of a served room."""

    TITLE = "Tauride — the room"
    ENABLE_COMMAND_PALETTE = False
    CSS = """
    #where { height: auto; padding: 0 1; background: $primary; color: $text; }
    #room { height: 2fr; }
    #answers-title { height: 1; padding: 0 1; text-style: bold; color: $accent; }
    #answers { height: 1fr; border-top: solid $primary; }
    #log { height: 5; color: $text-muted; }
    """
    BINDINGS = [Binding("q", "stop", "Stop serving (saves stay)")]

    def __init__(self, story: Story, class_dir: Path, *, server: "ClassroomServer | None" = None,
                 intro: Sequence[str] = (), refresh: float = REFRESH, chairs: Sequence[Story] = ()) -> None:
        """`chairs`: every chair's story when students pick one (`serve --chair pick`): a Chair column shows."""
        super().__init__()
        self.story = story
        self.reader = RoomReader(story, class_dir, {s.chair: s for s in chairs if s.chair})
        self.columns = ("Student", "Chair", *COLUMNS[1:]) if chairs else COLUMNS
        self.server = server
        self.intro = list(intro)
        self.refresh_every = refresh
        self.rows: list[RoomRow] = []
        self.seen: set[Reflection] = set()
        self._runner: web.AppRunner | None = None
        self._handler: ViewLog | None = None

    def compose(self) -> ComposeResult:
        yield Static("\n".join(self.intro) or "The room", id="where")
        with Vertical():
            yield DataTable(id="room", zebra_stripes=True, cursor_type="row")
            yield Static("Reflections as they arrive", id="answers-title")
            yield RichLog(id="answers", wrap=True, markup=False)
            yield RichLog(id="log", wrap=True, markup=False)
        yield Footer()

    async def on_mount(self) -> None:
        table = self.query_one("#room", DataTable)
        for col in self.columns:
            table.add_column(col, key=col)
        if self.server is not None:
            self._handler = ViewLog(self)
            self._handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%H:%M:%S"))
            logging.getLogger("tauride").addHandler(self._handler)
            logging.getLogger("tauride").setLevel(logging.INFO)
            runner = web.AppRunner(self.server.make_app(), access_log=None, handle_signals=False)
            await runner.setup()
            try:
                await web.TCPSite(runner, self.server.host, self.server.port).start()
            except OSError as exc:
                await runner.cleanup()
                self.exit(1, return_code=1, message=f"tauride: cannot listen on {self.server.host}:"
                                                    f"{self.server.port} ({exc.strerror or exc})")
                return
            self._runner = runner
        await self.refresh_room()
        self.set_interval(self.refresh_every, self.refresh_room)

    async def on_unmount(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()  # the server's on_shutdown ends every game; the saves stay
        if self._handler is not None:
            logging.getLogger("tauride").removeHandler(self._handler)

    def note(self, line: str) -> None:
        self.query_one("#log", RichLog).write(line)

    def connected(self) -> list[str]:
        if self.server is None:
            return []
        readers = [who.folder_name for who, _, _ in getattr(self.server, "readers", {}).values()]
        return [s.who.folder_name for s in self.server.sessions] + readers  # the canvas game, or the reading mode

    async def refresh_room(self) -> None:
        """Read the class folder (in a worker thread: the server shares this loop) and redraw the table."""
        rows = await asyncio.to_thread(self.reader.read, self.connected())
        self.rows = rows
        now = time.time()
        table = self.query_one("#room", DataTable)
        table.clear()
        for r in rows:
            cells = [r.name, *([r.chair or "—"] if len(self.columns) > len(COLUMNS) else []),
                     "● yes" if r.connected else "○ no", r.clock, r.hour, r.problem or r.scene, str(r.choices),
                     str(len(r.reflections)), idle_text(r.idle_seconds(now)), f"{r.active_minutes:.0f}",
                     "✔ yes" if r.finished else "no"]
            # As plain text: a table cell given a string reads it as markup, and a name or a problem is the
            # student's words ("[/]a" is a name one may sign in with; it raised MarkupError and stopped the view).
            table.add_row(*(Text(cell) for cell in cells), key=r.key)
        answers = self.query_one("#answers", RichLog)
        for r in rows:
            for a in r.reflections:
                if a not in self.seen:
                    self.seen.add(a)
                    answers.write(f"{a.student} — {a.question}\n    “{a.answer}”")

    def action_stop(self) -> None:
        self.exit(0)
