"""Serve the game to a room of browsers from one laptop, with textual-serve's game protocol.

A student signs in on a plain form first (`game.classroom.door` checks the
class code, the name and their PIN); only then does their browser get the
terminal page, and its websocket starts one game process for that student
(`ClassroomServer.start_game`, the one place a game starts). What is added
to textual-serve's model, each because a classroom needs it:

- **Nothing costs before sign-in.** A bare connection starts no game; a
  websocket without a fresh ticket is refused before the upgrade.
- **Nobody opens another's game.** A name already playing is refused, and a
  returning student proves who they are with their PIN.
- **Bounded.** A session cap (`max_students`), a per-address limit on wrong
  codes and PINs, terminal sizes clamped to 300×120, small request bodies.
- **Same host only.** `Host` and `Origin` are checked (see `door.HostCheck`).
- **Offline.** The page's @font-face points at the Roboto Mono textual-serve
  bundles, so no request leaves the laptop.
- **No orphans.** Every game runs in its own process group, asked to quit
  when its connection ends and then terminated; on Linux each game also gets
  a parent-death signal, so even a server killed with SIGKILL takes its
  games with it. An idle session is closed after `idle_timeout` (the game
  autosaves after every choice, so closing it loses nothing).
- **No laptop paths.** Error pages say what to do, never where a file is.
- **A room starts at once.** Games are forked from a fork server that has
  loaded the game already (`game.classroom.forks`, `game.classroom.zygote`),
  each still a process of its own, the server's child, in its own group;
  without one (loading, dead, refused, `TAURIDE_FORK_SERVER=0`) a game
  starts as a new interpreter, with a log line saying why.

textual-serve's `AppService` has no public way to choose how the game
process starts, so `GameService` overrides `_open_app_process` and uses
`_build_environment`, `_process` and `_stdin`; pyproject.toml pins the
exact textual-serve version and tests/test_classroom_serve_door.py fails,
naming the attribute, if one of them moves.
"""

from __future__ import annotations

import asyncio
import ctypes
import logging
import os
import signal
import sys
import time
from asyncio import (
    create_subprocess_exec as start_process,  # a plain name: the package holds no call named exec or eval
)
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Awaitable, Callable, Coroutine, Sequence, cast

import aiohttp_jinja2
import jinja2
import textual_serve
from aiohttp import WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.download_manager import DownloadManager

from .. import engine
from . import students
from .door import AttemptLimiter, BadForm, HostCheck, Tickets, clamp_size, code_matches, read_form
from .signin_page import refusal_page, signin_page

if TYPE_CHECKING:
    from ..engine import State
    from ..story.model import Story
    from .forks import ForkServer
    from .reader import ReaderSession

log = logging.getLogger("tauride.serve")

TEMPLATES = Path(__file__).resolve().parent / "templates"
STATICS = Path(textual_serve.__file__ or ".").resolve().parent / "static"
COOKIE = "tauride_ticket"
READER_COOKIE = "tauride_reader"
MAX_BODY = 16 * 1024
"""The sign-in form is a few hundred bytes; nobody needs to post more."""
PR_SET_PDEATHSIG = 1


def _prctl() -> Callable[..., int] | None:
    """libc's prctl, looked up once in the server (never between fork and exec), or None off Linux."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl: Callable[..., int] = ctypes.CDLL(None, use_errno=True).prctl
        return prctl
    except (OSError, AttributeError):
        return None


PRCTL = _prctl()


def die_with(server_pid: int) -> Callable[[], None]:
    """What a game runs between fork and exec: be killed when the server dies, however it dies.

    The parent-death signal survives exec. If the server died before the signal was
    set (the race prctl's manual warns of), the game's parent is no longer the server:
    it exits at once.
    """
    def arm() -> None:
        if PRCTL is not None:
            PRCTL(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != server_pid:
            os._exit(1)
    return arm


class GameService(AppService):
    """One student's game process: started without a shell, in its own process group, dying with the server.

    Forked from the fork server when there is one ready (`forks`), else started as a new interpreter.
    """

    def __init__(self, argv: Sequence[str], env: dict[str, str], cwd: str | None,
                 forks: "ForkServer | None" = None, **kwargs: Any) -> None:
        super().__init__(" ".join(argv), **kwargs)
        self.argv = list(argv)
        self.extra_env = env
        self.cwd = cwd
        self.forks = forks
        self.forked = False
        """Whether this game came from the fork server."""

    def environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        """The game's environment: textual-serve's (its driver, colours, terminal size) and the server's extras."""
        environment = self._build_environment(width=width, height=height)
        environment.update(self.extra_env)
        return environment

    async def _open_app_process(self, width: int = 80, height: int = 24) -> asyncio.subprocess.Process:
        environment = self.environment(width, height)
        if self.forks is not None:
            forked = await self.forks.start_game(self.argv, environment, self.cwd)
            if forked is not None:
                self.forked = True
                self._stdin = forked.stdin
                self._process = cast(asyncio.subprocess.Process, forked)  # the surface AppService.run reads
                return self._process
        self._process = process = await start_process(
            *self.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=environment,
            cwd=self.cwd,
            start_new_session=True,  # its own process group: a kill reaches anything it started
            preexec_fn=die_with(os.getpid()),
        )
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.returncode is None

    async def reap(self, grace: float) -> None:
        """Terminate the game's process group; kill it if it has not gone within `grace` seconds."""
        process = self._process
        if process is None:
            return
        if process.returncode is None:
            signal_group(process.pid, signal.SIGTERM)
            try:
                await asyncio.wait_for(process.wait(), grace)
            except asyncio.TimeoutError:
                log.warning("game process %s ignored SIGTERM for %.0f s; killing it", process.pid, grace)
                signal_group(process.pid, signal.SIGKILL)
                await process.wait()
        signal_group(process.pid, signal.SIGKILL)  # anything the game started, left behind in its group


def served_environment(extra_env: dict[str, str]) -> dict[str, str]:
    """The environment every game gets at 80×24: textual-serve's own code, through a service never started.

    The fork server is started with it, so the modules it imports read what a game's would."""
    async def nothing(*_: Any) -> None:
        return None

    service = GameService([], extra_env, None, write_bytes=nothing, write_str=nothing, close=nothing,
                          download_manager=DownloadManager())
    return service.environment()


def signal_group(pgid: int, sig: signal.Signals) -> None:
    try:
        os.killpg(pgid, sig)
    except (ProcessLookupError, PermissionError):
        pass


@dataclass(eq=False)
class Session:
    """One signed-in student's browser and game."""

    who: students.Student
    service: GameService
    websocket: web.WebSocketResponse
    peer: str
    last_input: float = field(default_factory=time.monotonic)
    """When the browser last sent a key, a click or a resize (monotonic seconds)."""
    closing: str | None = None
    """Why the server is ending the session, once it has decided to."""


def font_size(raw: str) -> int:
    """The page's font size in pixels from `?fontsize=`, kept readable (8 to 48; 16 for nonsense)."""
    try:
        return max(8, min(48, int(raw[:4])))
    except ValueError:
        return 16


class Refused(Exception):
    """A sign-in turned away; `message` is shown to the student as it is."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _note_name(folder: Path, who: students.Student) -> None:
    try:
        students.keep_name(folder, who)
    except OSError as exc:
        log.warning("cannot note the name of %s in %s: %s", who.name, folder, exc)


class ClassroomServer:
    """The classroom server: sign-in, one game per signed-in student, reaping, limits."""

    def __init__(self, argv_for: Callable[[students.Student], Sequence[str]], *, class_dir: Path,
                 code: str | None, host: str = "localhost", port: int = 8000, title: str = "Tauride",
                 env: dict[str, str] | None = None, cwd: str | None = None, idle_timeout: float = 20 * 60,
                 grace: float = 5.0, heartbeat: float = 15.0, public_url: str | None = None,
                 max_students: int = 40, hosts: HostCheck | None = None,
                 address_limit: AttemptLimiter | None = None, pin_limit: AttemptLimiter | None = None,
                 story: "Story | None" = None, start: str | None = None, chapter: int | None = None,
                 chairs: "Sequence[Story]" = (), forks: "ForkServer | None" = None, locked: bool = False) -> None:
        self.argv_for = argv_for
        """The command that plays as a student (their name goes to the game; the server already checked it)."""
        self.forks = forks
        """The fork server games start from (`game.classroom.forks`); None: each starts as a new interpreter."""
        self.story = story
        """The story, for the accessible reading mode (`game.classroom.reader`); None: no reading mode."""
        self.chairs = {s.chair: s for s in chairs if s.chair}
        """`serve --chair pick`: every chair's story by id, in the folder's order; the sign-in form offers them
        and the game starts in the one picked. Empty: every student plays `story` (or the `--chair` assigned)."""
        self.start = start
        """Where a reader's new game starts (`serve --from`)."""
        self.chapter = chapter
        """The chapter a reader's new game starts at (`serve --chapter`)."""
        self.locked = locked
        """An assessed run (`serve --locked`): the reading mode takes no choice back, as the game does not."""
        self.readers: dict[str, tuple[students.Student, "ReaderSession", float]] = {}
        """Reading-mode sessions by cookie token: the student, their session, when they last did anything."""
        self.class_dir = class_dir
        """The class's folder: one sub-folder per student, with their PIN hash."""
        self.code = code
        """The class code every student types; None only on a server this computer alone can reach."""
        self.host, self.port, self.title = host, port, title
        self.env = dict(env or {})
        self.cwd = cwd
        """Where games start: `python -m game` imports the `game` package found here first."""
        self.idle_timeout = idle_timeout
        self.grace = grace
        self.heartbeat = heartbeat
        self.public_url = public_url.rstrip("/") if public_url else None
        self.max_students = max_students
        self.hosts = hosts or HostCheck(names={"localhost"})
        self.address_limit = address_limit or AttemptLimiter(10, 60.0)
        """Wrong codes and PINs per address: a class behind one address still gets ten slips a minute."""
        self.pin_limit = pin_limit or AttemptLimiter(5, 300.0)
        """Wrong PINs per student, from anywhere: a 4-digit PIN then takes days to guess."""
        self.tickets = Tickets()
        self.playing: dict[str, Session] = {}
        """Live sessions by student key: a name already here is refused."""
        self.download_manager = DownloadManager()
        self._door = asyncio.Lock()
        """Held while the door's checks and records change (never while hashing)."""
        self._hashing = asyncio.Semaphore(2)
        """PIN hashes at once: two cores' worth, however many sign in together."""
        self._checking: set[str] = set()
        """Students whose PIN is being checked now: one try at a time per name."""
        self._sweeper: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        """Closings and reapings under way (held so they are not garbage-collected mid-way)."""

    @property
    def sessions(self) -> list[Session]:
        return list(self.playing.values())

    # ------------------------------------------------------------ the web application
    def make_app(self) -> web.Application:
        app = web.Application(client_max_size=MAX_BODY, middlewares=[self._guard])
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True)
        app.add_routes([
            web.get("/", self.handle_signin_form, name="index"),
            web.post("/sign-in", self.handle_signin),
            web.get("/play", self.handle_play, name="play"),
            web.get("/ws", self.handle_websocket, name="websocket"),
            web.get("/read", self.handle_read),
            web.post("/read/choose", self.handle_read_choose),
            web.post("/read/answer", self.handle_read_answer),
            web.post("/read/undo", self.handle_read_undo),
            web.post("/read/new", self.handle_read_new),
            web.get("/read/glossary", self.handle_read_glossary),
            web.get("/read/history", self.handle_read_history),
            web.get("/read/journal", self.handle_read_journal),
            web.get("/read/timeline", self.handle_read_timeline),
            web.post("/read/sign-out", self.handle_read_sign_out),
            web.static("/static", STATICS, show_index=False, name="static"),
        ])
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        return app

    def serve(self) -> None:
        """Run until Ctrl+C or SIGTERM; every game ends with the server."""
        logging.basicConfig(level="INFO", format="%(message)s")
        web.run_app(self.make_app(), host=self.host, port=self.port, print=None)

    @web.middleware
    async def _guard(self, request: web.Request,
                     handler: Callable[[web.Request], Awaitable[web.StreamResponse]]) -> web.StreamResponse:
        """Only this server's Host; and every error a plain page with no trace of the laptop."""
        if not self.hosts.host_ok(request.host):
            return self._page(421, "This address is not the classroom server's. Type the address your teacher gave.")
        try:
            return await handler(request)
        except web.HTTPException as exc:
            if exc.status < 400:
                raise
            return self._page(exc.status, "There is no such page here." if exc.status == 404 else
                              "The classroom server cannot do that.")
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("error serving %s", request.path)
            return self._page(500, "Something went wrong on the teacher's computer. Tell your teacher; "
                                   "your saves are safe.")

    def _page(self, status: int, message: str) -> web.Response:
        return web.Response(status=status, text=refusal_page(self.title, message), content_type="text/html")

    # ------------------------------------------------------------ lifecycle
    async def on_startup(self, app: web.Application) -> None:
        self._sweeper = asyncio.create_task(self._sweep())
        if self.forks is not None:
            await self.forks.open()

    async def on_shutdown(self, app: web.Application) -> None:
        if self._sweeper:
            self._sweeper.cancel()
        for token, (_, reader, _) in list(self.readers.items()):
            self._reader_gone(token, reader)
        sessions = self.sessions
        await asyncio.gather(*(self._close(s, "the server is stopping") for s in sessions), return_exceptions=True)
        await asyncio.gather(*(s.service.reap(self.grace) for s in sessions), return_exceptions=True)
        if self.forks is not None:
            await self.forks.close()

    async def _sweep(self) -> None:
        """Close idle sessions, and reap games whose connection is gone but whose process lingers."""
        period = max(0.5, min(15.0, self.idle_timeout / 4))
        while True:
            await asyncio.sleep(period)
            now = time.monotonic()
            for token, (_, session, last) in list(self.readers.items()):
                if now - last > self.idle_timeout:
                    self._reader_gone(token, session)
            for s in self.sessions:
                if s.closing is None and now - s.last_input > self.idle_timeout:
                    log.info("closing the session of %s: no input for %d s (its autosave stays)", s.peer, self.idle_timeout)
                    self._spawn(self._close(s, "idle"))
                elif s.websocket.closed and s.service.running and now - s.last_input > self.grace:
                    self._spawn(s.service.reap(self.grace))

    def _reader_gone(self, token: str, session: "ReaderSession") -> None:
        """A reader's session ended (idle, or the server stopping): every step is saved already; the
        minutes read since the last write are written now, as the game writes them when it closes."""
        from .reader import keep_time

        del self.readers[token]
        story = session.story or self.story
        if story is not None:
            keep_time(story, session, every=1.0)

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _close(self, s: Session, why: str) -> None:
        s.closing = why
        try:
            await asyncio.wait_for(s.websocket.close(message=why.encode()[:120]), self.grace)
        except (asyncio.TimeoutError, ConnectionError, RuntimeError):
            pass
        # The handler's own `finally` ends the game; make sure, in case the handler is stuck.
        await asyncio.sleep(self.grace)
        if s.service.running:
            await s.service.reap(self.grace)

    # ------------------------------------------------------------ signing in
    async def handle_signin_form(self, request: web.Request) -> web.Response:
        return web.Response(text=signin_page(self.title, needs_code=self.code is not None,
                                             reading=self.story is not None, chairs=self._chair_items()),
                            content_type="text/html")

    def _chair_items(self) -> list[tuple[str, str, str]]:
        """(id, who the player is, the chair's story title) for the form's choice; [] when not picking."""
        return [(cid, next((c.title for c in s.chairs if c.id == cid), cid), s.title) for cid, s in self.chairs.items()]

    def _picked_chair(self, raw: str) -> str | None:
        """The chair named on the form (None when not picking); Refused when picking and none fits."""
        if not self.chairs:
            return None
        if raw not in self.chairs:
            names = " or ".join(f"'{title}'" for _, title, _ in self._chair_items())
            raise Refused(400, f"Choose your chair: {names}.")
        return raw

    async def handle_signin(self, request: web.Request) -> web.Response:
        """Check the form; on success, a one-time ticket cookie and on to the game page."""
        name = ""
        chosen = ""
        try:
            self._check_origin(request)
            try:
                form = await read_form(request)
            except BadForm as no:
                raise Refused(400, str(no)) from None
            name = form.get("name", "")  # whole: a name too long is told its own length (the body is bounded)
            chosen = form.get("chair", "")[:64]
            chair = self._picked_chair(chosen)  # before the PIN: a missing choice costs no slow hash
            ticket = await self.sign_in(request.remote or "?", name, form.get("code", "")[:64],
                                        form.get("pin", "")[:64], form.get("pin2", "")[:64], chair)
        except Refused as no:
            page = signin_page(self.title, needs_code=self.code is not None, message=no.message, name=name[:64],
                               reading=self.story is not None, chairs=self._chair_items(), chair=chosen)
            return web.Response(status=no.status, text=page, content_type="text/html")
        if form.get("mode") == "read" and self.story is not None:
            return self._start_reading(ticket)
        response = web.Response(status=303, headers={"Location": "/play"})
        response.set_cookie(COOKIE, ticket, httponly=True, samesite="Strict", path="/",
                            max_age=int(self.tickets.ttl))
        return response

    def _check_origin(self, request: web.Request) -> None:
        if not self.hosts.origin_ok(request.headers.get("Origin"), request.host):
            raise Refused(403, "This page was opened from another website. Type the classroom server's address "
                               "your teacher gave.")

    def _refuse_if_full(self) -> None:
        """The class is full (said before a PIN is checked: it says nothing of anyone, and saves a slow hash)."""
        if len(self.playing) + len(self.readers) + len(self.tickets.pending()) >= self.max_students:
            raise Refused(503, f"The class is full: {self.max_students} students are playing, the most this server "
                               "takes. Ask your teacher.")

    def _refuse_if_busy(self, who: students.Student) -> None:
        """The class is full, or this student is playing (or about to) elsewhere."""
        self._refuse_if_full()
        pending = self.tickets.pending()
        reading = any(w.key == who.key for w, _, _ in self.readers.values())
        if who.key in self.playing or reading or any(t.who.key == who.key for t in pending):
            raise Refused(409, f"{who.name} is already playing on another computer. If that is you, close the "
                               "game there first, then sign in again. If it is not, tell your teacher.")

    async def sign_in(self, peer: str, name: str, code: str, pin: str, pin2: str, chair: str | None = None) -> str:
        """The whole door, in order; a ticket for the websocket, or Refused with words for the student."""
        wait = self.address_limit.wait(peer)
        if wait:
            raise Refused(429, f"Too many wrong tries from this computer. Wait {wait:.0f} seconds, then try again.")
        if self.code is not None and not code_matches(self.code, code):
            self.address_limit.fail(peer)
            raise Refused(403, "That is not this class's code. Check the board, or ask your teacher.")
        try:
            who = students.student(name)
        except ValueError as err:
            raise Refused(400, f"Your name: {err}.") from None
        folder = students.student_folder(self.class_dir, who)
        async with self._door:
            # Whether the student is playing is told only after their PIN is checked (`_prove`): told first,
            # anyone with the class code could ask who is online.
            self._refuse_if_full()
            first = not students.has_pin(folder)
            if first:
                self.pin_limit.forget(who.key)  # reset by the teacher (or never set): no PIN left to guess
            wait = self.pin_limit.wait(who.key)
            if wait:
                raise Refused(429, f"Too many wrong PINs for this name. Wait {wait:.0f} seconds, or ask your teacher "
                                   "to reset your PIN.")
            if who.key in self._checking:  # a guesser's parallel tries would all pass the limit above at once
                raise Refused(429, f"A sign-in for {who.name} is being checked right now. Try again in a moment.")
            self._checking.add(who.key)
        try:
            return await self._prove(peer, who, folder, first, pin, pin2, chair)
        finally:
            self._checking.discard(who.key)

    async def _prove(self, peer: str, who: students.Student, folder: Path, first: bool, pin: str, pin2: str,
                     chair: str | None = None) -> str:
        """Check (or, the first time, keep) the student's PIN; then, under the lock again, the ticket."""
        # scrypt is slow on purpose (~0.1 s): hashed outside the door's lock, so a class signing in
        # at once is not queued behind it; everything is checked again under the lock below.
        loop = asyncio.get_running_loop()
        record = None
        if first:
            try:
                pin = students.check_pin_format(pin)
            except ValueError as err:
                raise Refused(400, f"Your PIN: {err}.") from None
            if pin2.strip() != pin:
                raise Refused(400, f"This is the first sign-in for {who.name}: choose a PIN and type it twice "
                                   "(in 'PIN again' too), then remember it.")
            async with self._hashing:
                record = await loop.run_in_executor(None, students.pin_record, pin)
        else:
            try:
                async with self._hashing:
                    right = await loop.run_in_executor(None, students.pin_matches, folder, pin)
            except students.PinFileError:
                log.warning("the PIN file of %s cannot be read: %s", who.name, students.pin_file(folder))
                raise Refused(500, "Your PIN cannot be checked. Ask your teacher to reset it; your saves "
                                   "stay.") from None
            if not right:
                self.address_limit.fail(peer)
                self.pin_limit.fail(who.key)
                raise Refused(403, f"That PIN is not the one {who.name} chose. Forgot it? Your teacher can "
                                   "reset it; your saves stay.")
        async with self._door:  # again: another tab may have signed in as this student meanwhile
            self._refuse_if_busy(who)
            if record is not None:
                if students.has_pin(folder):
                    raise Refused(409, f"A PIN for {who.name} was chosen a moment ago on another computer. If that "
                                       "was you, sign in with it; if not, tell your teacher.")
                try:
                    students.write_pin(students.claim_folder(self.class_dir, who), record)
                except OSError as exc:
                    log.error("cannot keep the PIN of %s: %s", who.name, exc)
                    raise Refused(500, "Your PIN cannot be kept on the teacher's computer. Tell your "
                                       "teacher.") from None
                log.info("%s signed in for the first time (from %s)", who.name, peer)
            ticket = self.tickets.issue(who, chair)
        # The teacher's view shows the name before the student's first save. Written off the event loop and
        # outside the door's lock: a room signing in at once does not wait for each other's disk writes.
        await loop.run_in_executor(None, _note_name, folder, who)
        return ticket

    # ------------------------------------------------------------ the accessible reading mode (game.classroom.reader)
    def _start_reading(self, ticket_token: str) -> web.Response:
        import secrets as _secrets

        from .reader import ReaderSession

        ticket = self.tickets.take(ticket_token)
        if ticket is None:
            raise web.HTTPSeeOther("/")
        folder = students.claim_folder(self.class_dir, ticket.who)
        from ..active_time import ActiveTime
        from ..saves import SaveStore, autosave_name, saved_active_seconds

        meta: dict[str, Any] = {"student": ticket.who.name}
        if self.class_dir.name:
            meta["class"] = self.class_dir.name
        if self.locked:
            meta["locked"] = True  # every save of an assessed run says so, as the game's do
        token = _secrets.token_urlsafe(32)
        story = self.chairs.get(ticket.chair or "")
        store = SaveStore(folder)
        played = story or self.story
        seconds = saved_active_seconds(store, autosave_name(played)) if played is not None else 0.0
        self.readers[token] = (ticket.who, ReaderSession(ticket.who.name, store, meta, story=story,
                                                         active=ActiveTime(seconds)), time.monotonic())
        log.info("%s is reading (the accessible mode; %d reading)", ticket.who.name, len(self.readers))
        response = web.Response(status=303, headers={"Location": "/read"})
        response.set_cookie(READER_COOKIE, token, httponly=True, samesite="Strict", path="/read",
                            max_age=int(self.idle_timeout))
        return response

    def _reader(self, request: web.Request) -> "ReaderSession":
        entry = self.readers.get(request.cookies.get(READER_COOKIE) or "")
        if entry is None or self.story is None:
            raise web.HTTPSeeOther("/")
        who, session, _ = entry
        self.readers[request.cookies[READER_COOKIE]] = (who, session, time.monotonic())
        session.active.touch()  # every page asked for is an input, as a key is in the game
        return session

    def _reading(self, request: web.Request) -> "tuple[ReaderSession, Story]":
        """The reader's session, and the story they read (their chair's, or the server's)."""
        from .reader import keep_time

        session = self._reader(request)
        story = session.story or self.story
        assert story is not None  # (a server without a story has no readers: `_reader` sent them away)
        keep_time(story, session)
        return session, story

    def _read_page(self, text: str, status: int = 200) -> web.Response:
        return web.Response(status=status, text=text, content_type="text/html",
                            headers={"Cache-Control": "no-store"})

    async def handle_read(self, request: web.Request) -> web.Response:
        from .reader import ReaderError, current_state, new_game_opening, scene_page

        session, story = self._reading(request)
        try:
            state = current_state(story, session, self.start, self.chapter)
            intro = new_game_opening(story, session, self.chapter)
        except ReaderError as no:
            return self._page(500, str(no))
        return self._read_page(scene_page(story, state, session, opening=intro, locked=self.locked))

    async def _read_post(self, request: web.Request, act: Callable[[Story, ReaderSession, State, Any], str | None],
                         ) -> web.Response:
        """A button pressed on a reader's page: the request's origin checked, the student's game found, `act`
        done on it; then back to the scene, or the scene again with why `act` refused (what it returns)."""
        from .reader import ReaderError, current_state, new_game_opening, scene_page

        try:
            self._check_origin(request)
        except Refused as no:
            return self._page(no.status, no.message)
        session, story = self._reading(request)
        try:
            form = await read_form(request)
        except BadForm as no:
            return self._page(400, str(no))
        try:
            state = current_state(story, session, self.start, self.chapter)
            refusal = act(story, session, state, form)
            if refusal is not None:
                return self._read_page(scene_page(story, state, session, message=refusal, locked=self.locked,
                                                  opening=new_game_opening(story, session, self.chapter)), 400)
        except ReaderError as no:
            return self._page(500, str(no))
        raise web.HTTPSeeOther("/read")

    async def handle_read_choose(self, request: web.Request) -> web.Response:
        from .reader import choose, is_new_game

        def act(story: Story, session: ReaderSession, state: State, form: Any) -> str | None:
            choice_id = form.get("choice", "")[:200]
            view = next((c for c in engine.choices(story, state) if c.id == choice_id and c.enabled), None)
            if view is None:
                return "That choice is not on offer here. Choose one of the buttons below."
            if view.reflect:
                session.asking = view.id  # its question comes first; the answer takes the choice
            else:
                choose(story, session, state, choice_id, None, new_game=is_new_game(story, session))
            return None

        return await self._read_post(request, act)

    async def handle_read_answer(self, request: web.Request) -> web.Response:
        from .reader import choose, is_new_game

        def act(story: Story, session: ReaderSession, state: State, form: Any) -> str | None:
            choice_id, session.asking = session.asking, None
            if choice_id is not None:
                answer = None if form.get("skip") else (form.get("answer", "").strip()[:2000] or None)
                choose(story, session, state, choice_id, answer, new_game=is_new_game(story, session))
            return None

        return await self._read_post(request, act)

    async def handle_read_undo(self, request: web.Request) -> web.Response:
        """The last choice taken back (the page's button), as the game's undo; refused with the game's words."""
        from .reader import take_back, undo_refusal

        def act(story: Story, session: ReaderSession, state: State, form: Any) -> str | None:
            session.asking = None  # a reflection question left unanswered: its choice was never taken
            refusal = undo_refusal(state, self.locked)
            if refusal is None:
                take_back(story, session, state)
            return refusal

        return await self._read_post(request, act)

    async def handle_read_new(self, request: web.Request) -> web.Response:
        """A new game, asked for at an ending (the page's button): its first choice's autosave replaces
        the finished game, which stays kept as a finished save, as in the game."""

        def act(story: Story, session: ReaderSession, state: State, form: Any) -> str | None:
            if not engine.is_ending(story, state):
                return "A new game begins once this one has ended: it goes on below."
            session.asking = None
            session.anew = True
            return None

        return await self._read_post(request, act)

    async def handle_read_sign_out(self, request: web.Request) -> web.Response:
        """The reader leaves (the page's button): their minutes written, their place in the class given back at
        once (not after `idle_timeout`), and the browser forgets them, so the next student at a shared computer
        signs in as themself instead of going on as them."""
        try:
            self._check_origin(request)
        except Refused as no:
            return self._page(no.status, no.message)
        token = request.cookies.get(READER_COOKIE) or ""
        entry = self.readers.get(token)
        if entry is not None:
            self._reader_gone(token, entry[1])
            log.info("%s signed out of reading (%d reading)", entry[0].name, len(self.readers))
        response = web.Response(text=signin_page(self.title, needs_code=self.code is not None,
                                                 message="You have signed out. Your game is saved: sign in again "
                                                         "to go on.", reading=self.story is not None,
                                                 chairs=self._chair_items()),
                                content_type="text/html", headers={"Cache-Control": "no-store"})
        response.del_cookie(READER_COOKIE, path="/read")
        return response

    async def handle_read_glossary(self, request: web.Request) -> web.Response:
        from .reader import glossary_page

        _, story = self._reading(request)
        return self._read_page(glossary_page(story))

    async def handle_read_history(self, request: web.Request) -> web.Response:
        from .reader import history_page

        return await self._read_view(request, history_page)

    async def handle_read_journal(self, request: web.Request) -> web.Response:
        from .reader import journal_page

        return await self._read_view(request, journal_page)

    async def handle_read_timeline(self, request: web.Request) -> web.Response:
        from .reader import timeline_page

        return await self._read_view(request, timeline_page)

    async def _read_view(self, request: web.Request, page: Callable[[Story, State], str]) -> web.Response:
        """A page about the student's own game (history note, journal, timeline): read, never changed."""
        from .reader import ReaderError, current_state

        session, story = self._reading(request)
        try:
            state = current_state(story, session, self.start, self.chapter)
        except ReaderError as no:
            return self._page(500, str(no))
        return self._read_page(page(story, state))

    # ------------------------------------------------------------ the game page
    async def handle_play(self, request: web.Request) -> web.StreamResponse:
        if self.tickets.peek(request.cookies.get(COOKIE)) is None:
            raise web.HTTPSeeOther("/")
        base = self.public_url or f"{request.scheme}://{request.host}"
        static = base + "/static/"
        ws = base.replace("https://", "wss://", 1).replace("http://", "ws://", 1) + "/ws"
        context = {
            "font_size": font_size(request.query.get("fontsize", "16")),
            "app_websocket_url": ws,
            "config": {"static": {"url": static}},
            "application": {"name": self.title},
        }
        response = aiohttp_jinja2.render_template("app_index.html", request, context)
        response.headers["Cache-Control"] = "no-store"
        return response

    # ------------------------------------------------------------ one student's game
    async def start_game(self, who: students.Student, websocket: web.WebSocketResponse, peer: str,
                         width: int, height: int, chair: str | None = None) -> Session:
        """Start `who`'s game at this terminal size, wired to their websocket: the one place a game starts.

        `chair`: the one the student picked (`serve --chair pick`); their game runs with `--chair` so it
        opens there, and keeps that chair's own autosave (game.saves.autosave_name)."""
        argv = [*self.argv_for(who), *([f"--chair={chair}"] if chair in self.chairs else [])]
        service = GameService(
            argv, self.env, self.cwd, self.forks, write_bytes=websocket.send_bytes, write_str=websocket.send_str,
            close=websocket.close, download_manager=self.download_manager,
        )
        session = Session(who, service, websocket, peer)
        self.playing[who.key] = session
        await service.start(width, height)
        log.info("game %s started for %s at %s (%s; %d playing)", service.pid, who.name, peer,
                 "forked" if service.forked else "new process", len(self.playing))
        return session

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
        try:
            self._check_origin(request)
        except Refused as no:
            return web.Response(status=no.status, text=no.message)
        async with self._door:
            ticket = self.tickets.take(request.cookies.get(COOKIE))
            if ticket is None:
                return web.Response(status=403, text="Sign in first: open the classroom server's address again.")
            if ticket.who.key in self.playing:
                return web.Response(status=409, text=f"{ticket.who.name} is already playing.")
            websocket = web.WebSocketResponse(heartbeat=self.heartbeat, max_msg_size=64 * 1024)
            width, height = clamp_size(request.query.get("width", "80"), request.query.get("height", "24"))
            session: Session | None = None
            try:
                await websocket.prepare(request)
                session = await self.start_game(ticket.who, websocket, request.remote or "?", width, height,
                                                ticket.chair)
            except Exception as error:
                log.exception(error)
                if session is not None:
                    await asyncio.shield(self._end(session))
                return websocket
        assert session is not None
        try:
            await self._pump(websocket, session)
        except asyncio.CancelledError:
            pass
        except Exception as error:  # a broken session must not take the server down
            log.exception(error)
        finally:
            await asyncio.shield(self._end(session))
        return websocket

    async def _pump(self, websocket: web.WebSocketResponse, session: Session) -> None:
        """Pass the browser's messages to the game, noting when the student last did anything."""
        service = session.service
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = message.json()
                kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
            except (ValueError, TypeError, IndexError, KeyError):
                continue
            if kind == "stdin" and isinstance(data, str):
                session.last_input = time.monotonic()
                await service.send_bytes(data.encode("utf-8", errors="replace"))  # a lone surrogate: "?", not an end
            elif kind == "resize" and isinstance(data, dict):
                session.last_input = time.monotonic()
                await service.set_terminal_size(*clamp_size(data.get("width"), data.get("height")))
            elif kind == "ping":
                await websocket.send_json(["pong", str(data)[:64]])
            elif kind == "blur":
                await service.blur()
            elif kind == "focus":
                await service.focus()

    async def _end(self, session: Session) -> None:
        """Ask the game to quit; if it has not gone after the grace period, reap its process group."""
        service = session.service
        try:
            await asyncio.wait_for(service.stop(), self.grace)
        except (asyncio.TimeoutError, ConnectionError, RuntimeError):
            pass
        await service.reap(self.grace)
        if self.playing.get(session.who.key) is session:
            del self.playing[session.who.key]
        log.info("game %s ended for %s (%s; %d playing)", service.pid, session.who.name,
                 session.closing or "disconnected", len(self.playing))
