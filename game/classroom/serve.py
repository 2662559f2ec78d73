"""Serve the game to a room of browsers from one laptop, with textual-serve.

Each browser tab that opens the page gets its own game process (textual-
serve's model). Three things are added to the stock server, each because a
classroom needs it:

- **Offline.** The stock page links a web font on the internet; on a school
  network with no internet that request fails or stalls. The page here is a
  copy whose @font-face points at the Roboto Mono textual-serve already
  bundles, so no request leaves the laptop.
- **No orphans.** A browser that vanished abruptly was seen to leave its game
  process running at full CPU, deaf to SIGTERM. Here every game runs in its
  own process group; when its connection ends the game is asked to quit,
  and after a grace period the whole group is terminated, then killed.
- **Idle sessions are reaped.** A tab left open on a locker-room PC holds a
  process all day. A session with no key, click or resize from its browser
  for `idle_timeout` seconds is closed the same way. The game autosaves
  after every choice, so closing it loses nothing: the student continues
  from the title screen next time.

URLs in the page are built from the address the browser used, so a student
who typed the laptop's LAN address gets scripts and the websocket from that
same address (textual-serve's default builds them from the bind address,
which is useless for 0.0.0.0).
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Coroutine, Sequence

import aiohttp_jinja2
import textual_serve
from aiohttp import WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

log = logging.getLogger("textual-serve")

TEMPLATES = Path(__file__).resolve().parent / "templates"
STATICS = Path(textual_serve.__file__ or ".").resolve().parent / "static"


class GameService(AppService):
    """One browser's game process: started without a shell, in its own process group, so it can be reaped whole."""

    def __init__(self, argv: Sequence[str], env: dict[str, str], cwd: str | None, **kwargs: Any) -> None:
        super().__init__(" ".join(argv), **kwargs)
        self.argv = list(argv)
        self.extra_env = env
        self.cwd = cwd

    async def _open_app_process(self, width: int = 80, height: int = 24) -> asyncio.subprocess.Process:
        environment = self._build_environment(width=width, height=height)
        environment.update(self.extra_env)
        self._process = process = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=environment,
            cwd=self.cwd,
            start_new_session=True,  # its own process group: a kill reaches anything it started
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


def signal_group(pgid: int, sig: signal.Signals) -> None:
    try:
        os.killpg(pgid, sig)
    except (ProcessLookupError, PermissionError):
        pass


@dataclass(eq=False)
class Session:
    """One connected browser and its game."""

    service: GameService
    websocket: web.WebSocketResponse
    peer: str
    last_input: float = field(default_factory=time.monotonic)
    """When the browser last sent a key, a click or a resize (monotonic seconds)."""
    closing: str | None = None
    """Why the server is ending the session, once it has decided to."""


class ClassroomServer(Server):
    """textual-serve's Server with an offline page, per-session reaping and an idle timeout."""

    def __init__(self, argv: Sequence[str], *, host: str = "localhost", port: int = 8000, title: str = "Tauride",
                 env: dict[str, str] | None = None, cwd: str | None = None, idle_timeout: float = 20 * 60, grace: float = 5.0,
                 heartbeat: float = 15.0, public_url: str | None = None) -> None:
        super().__init__(" ".join(argv), host=host, port=port, title=title, public_url=public_url,
                         statics_path=STATICS, templates_path=TEMPLATES)
        self.argv = list(argv)
        self.env = dict(env or {})
        self.cwd = cwd
        """Where games start: `python -m game` imports the `game` package found here first."""
        self.idle_timeout = idle_timeout
        self.grace = grace
        self.heartbeat = heartbeat
        self.fixed_url = public_url is not None
        self.sessions: set[Session] = set()
        self._sweeper: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        """Closings and reapings under way (held so they are not garbage-collected mid-way)."""

    # ------------------------------------------------------------ lifecycle
    async def on_startup(self, app: web.Application) -> None:
        self._sweeper = asyncio.create_task(self._sweep())

    async def on_shutdown(self, app: web.Application) -> None:
        if self._sweeper:
            self._sweeper.cancel()
        await asyncio.gather(*(self._close(s, "the server is stopping") for s in list(self.sessions)),
                             return_exceptions=True)
        await asyncio.gather(*(s.service.reap(self.grace) for s in list(self.sessions)), return_exceptions=True)

    async def _sweep(self) -> None:
        """Close idle sessions, and reap games whose connection is gone but whose process lingers."""
        period = max(0.5, min(15.0, self.idle_timeout / 4))
        while True:
            await asyncio.sleep(period)
            now = time.monotonic()
            for s in list(self.sessions):
                if s.closing is None and now - s.last_input > self.idle_timeout:
                    log.info("closing the session of %s: no input for %d s (its autosave stays)", s.peer, self.idle_timeout)
                    self._spawn(self._close(s, "idle"))
                elif s.websocket.closed and s.service.running and now - s.last_input > self.grace:
                    self._spawn(s.service.reap(self.grace))

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

    # ------------------------------------------------------------ the page
    @aiohttp_jinja2.template("app_index.html")
    async def handle_index(self, request: web.Request) -> dict[str, Any]:
        base = self.public_url if self.fixed_url else f"{request.scheme}://{request.host}"
        static = base + str(request.app.router["static"].url_for(filename="/")).rstrip("/") + "/"
        ws = base.replace("https://", "wss://", 1).replace("http://", "ws://", 1) + str(request.app.router["websocket"].url_for())
        return {
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": ws,
            "config": {"static": {"url": static}},
            "application": {"name": self.title},
        }

    # ------------------------------------------------------------ one browser
    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        websocket = web.WebSocketResponse(heartbeat=self.heartbeat)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        session: Session | None = None
        try:
            await websocket.prepare(request)
            service = GameService(
                self.argv, self.env, self.cwd, write_bytes=websocket.send_bytes, write_str=websocket.send_str,
                close=websocket.close, download_manager=self.download_manager, debug=self.debug,
            )
            session = Session(service, websocket, request.remote or "?")
            self.sessions.add(session)
            await service.start(width, height)
            log.info("game %s started for %s (%d playing)", service.pid, session.peer, len(self.sessions))
            await self._pump(websocket, session)
        except asyncio.CancelledError:
            pass
        except Exception as error:  # a broken session must not take the server down
            log.exception(error)
        finally:
            if session is not None:
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
                await service.send_bytes(data.encode("utf-8"))
            elif kind == "resize" and isinstance(data, dict):
                session.last_input = time.monotonic()
                await service.set_terminal_size(to_int(str(data.get("width")), 80), to_int(str(data.get("height")), 24))
            elif kind == "ping":
                await websocket.send_json(["pong", data])
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
        self.sessions.discard(session)
        log.info("game %s ended for %s (%s; %d playing)", service.pid, session.peer, session.closing or "disconnected",
                 len(self.sessions))
