"""The server's side of the fork server (`game.classroom.zygote`): start it, ask it for games, restart it.

`ForkServer.start_game` returns a `ForkedGame` — the same surface as the
`asyncio.subprocess.Process` textual-serve's `AppService` reads (`pid`,
`returncode`, `wait()`, `stdin`, `stdout`, `stderr`) — or None, and then the
caller starts the game the plain way (`serve.GameService`). None comes, with
one log line saying why, when the fork server is still loading, has died
(another is started in the background, up to `MAX_RESTARTS` times), refuses
the request, or this system lacks what it needs (Linux's prctl and pidfd).

The server makes itself a child subreaper so that forked games become its
own children (see the zygote's docstring); a `ForkedGame` learns of its
exit through a pidfd on the event loop and reaps it with `waitpid`.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import socket
import sys
from asyncio import (
    create_subprocess_exec as start_process,  # a plain name: the package holds no call named exec or eval
)
from typing import Any, Callable

log = logging.getLogger("tauride.serve")

PR_SET_CHILD_SUBREAPER = 36
MAX_RESTARTS = 5
"""Fork servers started again after one died, per server; after that every game starts the plain way."""
READY_SECONDS = 120.0
"""How long a fork server may take to load before it is given up on (a slow laptop loads in a few seconds)."""
ENV_SWITCH = "TAURIDE_FORK_SERVER"
"""`TAURIDE_FORK_SERVER=0` starts every game as a new interpreter, as before the fork server."""


def wanted() -> bool:
    """Whether `tauride serve` uses a fork server: on Linux, unless TAURIDE_FORK_SERVER=0."""
    return sys.platform.startswith("linux") and os.environ.get(ENV_SWITCH, "1").strip() not in ("0", "no", "off")


def _pidfds() -> bool:
    """Whether this kernel gives process file descriptors (Linux 5.3+), how a forked game's exit is noticed."""
    try:
        os.close(os.pidfd_open(os.getpid()))
        return True
    except (AttributeError, OSError):
        return False


class ForkedGame:
    """A game forked by the fork server, the server's own child: what textual-serve reads of a process."""

    def __init__(self, pid: int, stdin: asyncio.StreamWriter, stdout: asyncio.StreamReader,
                 stderr: asyncio.StreamReader) -> None:
        self.pid = pid
        self.stdin = stdin
        self.stdout = stdout
        self.stderr = stderr
        self.returncode: int | None = None
        loop = asyncio.get_running_loop()
        self._exited: asyncio.Future[int] = loop.create_future()
        self._pidfd = os.pidfd_open(pid)
        loop.add_reader(self._pidfd, self._reap)
        self._reap()  # it may have gone already

    def _reap(self) -> None:
        if self.returncode is not None:
            return
        try:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
        except ChildProcessError:  # not ours after all, or reaped elsewhere: it is gone either way
            pid, status = self.pid, 1 << 8
        if pid == 0:
            return
        self.returncode = os.waitstatus_to_exitcode(status)
        loop = asyncio.get_running_loop()
        loop.remove_reader(self._pidfd)
        os.close(self._pidfd)
        self.stdin.close()
        if not self._exited.done():
            self._exited.set_result(self.returncode)

    async def wait(self) -> int:
        return await asyncio.shield(self._exited)


async def _pipes(loop: asyncio.AbstractEventLoop) -> tuple[list[int], asyncio.StreamWriter,
                                                            asyncio.StreamReader, asyncio.StreamReader]:
    """Three pipes: the game's ends (stdin's read end, stdout's and stderr's write ends) and the server's streams."""
    in_r, in_w = os.pipe()
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    try:
        stdout, stderr = asyncio.StreamReader(limit=2 ** 16), asyncio.StreamReader(limit=2 ** 16)
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(stdout), os.fdopen(out_r, "rb", 0))
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(stderr), os.fdopen(err_r, "rb", 0))
        transport, protocol = await loop.connect_write_pipe(
            lambda: asyncio.StreamReaderProtocol(asyncio.StreamReader()), os.fdopen(in_w, "wb", 0))
        stdin = asyncio.StreamWriter(transport, protocol, None, loop)
    except BaseException:
        for fd in (in_r, in_w, out_r, out_w, err_r, err_w):
            try:
                os.close(fd)
            except OSError:
                pass
        raise
    return [in_r, out_w, err_w], stdin, stdout, stderr


class ForkServer:
    """One fork server for the classroom server: started at start-up, asked for one game per student."""

    def __init__(self, scenes: str | None, chairs: list[str | None], env: Callable[[], dict[str, str]],
                 cwd: str | None) -> None:
        self.scenes = scenes
        self.chairs = chairs
        """The chairs whose story the fork server holds (None: the story's own, for a story of one chair)."""
        self.env = env
        """The environment games get (textual-serve's and the server's), the fork server's own."""
        self.cwd = cwd
        self.restarts = 0
        self._process: asyncio.subprocess.Process | None = None
        self._control: socket.socket | None = None
        self._ready = False
        self._loading: asyncio.Task[None] | None = None
        self._watch: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()
        """One request at a time on the socket: replies come back in order."""
        self._closed = False

    @property
    def ready(self) -> bool:
        return self._ready

    async def open(self) -> None:
        """Start the fork server in the background; games start the plain way until it is ready."""
        from .serve import PRCTL, die_with

        if PRCTL is None or not _pidfds() or PRCTL(PR_SET_CHILD_SUBREAPER, 1) != 0:
            log.warning("no fork server on this system (it needs Linux 5.3 or later): every game starts as a "
                        "new process")
            return
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        argv = [sys.executable, "-m", "game.classroom.zygote", "--fd", str(theirs.fileno()),
                "--server", str(os.getpid())]
        if self.scenes:
            argv += ["--scenes", self.scenes]
        for chair in self.chairs:
            if chair:
                argv += ["--chair", chair]
        try:
            self._process = await start_process(
                *argv, stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL, env=self.env(),
                cwd=self.cwd, pass_fds=(theirs.fileno(),), start_new_session=True,
                preexec_fn=die_with(os.getpid()))
        except OSError as err:
            log.warning("cannot start the fork server (%s): every game starts as a new process", err)
            ours.close()
            return
        finally:
            theirs.close()
        ours.setblocking(False)
        self._control = ours
        self._loading = asyncio.create_task(self._wait_ready(ours))
        self._watch = asyncio.create_task(self._watch_over(self._process))

    async def _watch_over(self, process: asyncio.subprocess.Process) -> None:
        """A fork server that dies (killed, out of memory) is replaced at once, not at the next sign-in."""
        status = await process.wait()
        if process is self._process and not self._closed:
            self._spawn_restart(f"fork server {process.pid} stopped (exit status {status})", process)

    async def _wait_ready(self, control: socket.socket) -> None:
        loop = asyncio.get_running_loop()
        try:
            raw = await asyncio.wait_for(loop.sock_recv(control, 1 << 16), READY_SECONDS)
            answer = json.loads(raw) if raw else {"error": "it stopped while loading"}
        except (asyncio.TimeoutError, OSError, ValueError) as err:
            answer = {"error": f"it did not load ({err.__class__.__name__})"}
        if answer.get("ready") is True:
            self._ready = True
            log.info("fork server %s ready: games start from it", self._process.pid if self._process else "?")
        else:
            log.warning("fork server: %s; games start as new processes", answer.get("error"))
            await self._drop()

    def _forget(self) -> asyncio.subprocess.Process | None:
        """Stop using the fork server now (closing its socket ends it); the process, to be reaped."""
        self._ready = False
        if self._control is not None:
            self._control.close()
            self._control = None
        process, self._process = self._process, None
        return process

    @staticmethod
    async def _reap(process: asyncio.subprocess.Process | None) -> None:
        if process is not None:
            if process.returncode is None:
                process.kill()
            await process.wait()

    async def _drop(self) -> None:
        await self._reap(self._forget())

    def _spawn_restart(self, why: str, process: asyncio.subprocess.Process | None) -> None:
        """Replace the fork server `process` (once, however many notice it is gone), in the background."""
        if process is None or process is not self._process:
            return  # already replaced, or given up on
        old = self._forget()
        self._loading = asyncio.create_task(self._restart(why, old))

    async def _restart(self, why: str, old: asyncio.subprocess.Process | None) -> None:
        await self._reap(old)
        if self._closed or self.restarts >= MAX_RESTARTS:
            log.warning("fork server: %s; games start as new processes from now on", why)
            return
        self.restarts += 1
        log.warning("fork server: %s; starting another (%d of %d), games start as new processes meanwhile",
                    why, self.restarts, MAX_RESTARTS)
        await self.open()

    async def start_game(self, argv: list[str], env: dict[str, str], cwd: str | None) -> ForkedGame | None:
        """A game forked for `argv` with `env`, in `cwd`; None: start it the plain way (logged)."""
        if not self._ready or self._control is None:
            return None
        loop = asyncio.get_running_loop()
        async with self._lock:
            control, process = self._control, self._process
            if control is None:
                return None
            fds, stdin, stdout, stderr = await _pipes(loop)
            try:
                request = json.dumps({"argv": argv, "env": env, "cwd": cwd}).encode()
                try:
                    socket.send_fds(control, [request], fds)
                    raw = await asyncio.wait_for(loop.sock_recv(control, 1 << 16), 30.0)
                except (OSError, asyncio.TimeoutError) as err:
                    raw = b""
                    why = f"it stopped answering ({err.__class__.__name__})"
                else:
                    why = "it stopped"
            finally:
                for fd in fds:  # the game holds these now (or nobody needs them)
                    os.close(fd)
            if not raw:
                stdin.close()
                self._spawn_restart(why, process)
                return None
        answer: dict[str, Any] = json.loads(raw)
        if "pid" not in answer:
            stdin.close()
            log.warning("fork server refused a game (%s); it starts as a new process", answer.get("error"))
            return None
        pid = int(answer["pid"])
        try:
            return ForkedGame(pid, stdin, stdout, stderr)
        except OSError as err:
            stdin.close()
            log.warning("a forked game cannot be watched (%s); it starts as a new process", err)
            try:  # nobody would reap it: end it here
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
            return None

    async def close(self) -> None:
        """End the fork server (the games it forked are the server's, and end with their sessions)."""
        self._closed = True
        for task in (self._loading, self._watch):
            if task is not None and not task.done():
                task.cancel()
        await self._drop()
