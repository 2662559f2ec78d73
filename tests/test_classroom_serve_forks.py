"""`tauride serve` forks each student's game from a fork server that has loaded the game already.

The real command serves the small class story on loopback; students sign in
over aiohttp and open their game's websocket as textual-serve's page does.
What must hold, whichever way a game started: it is the server's own child
in a process group of its own, with exactly its student's command, terminal
size and folder; a fork server that dies is replaced and takes no game with
it; a server killed with SIGKILL takes every game and the fork server with
it; `TAURIDE_FORK_SERVER=0` starts games as new interpreters. The fork
server's refusals (anything but the game, an environment its imports did
not read, missing pipes) are checked on its socket directly.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from contextlib import asynccontextmanager
from pathlib import Path
from typing import AsyncIterator

import aiohttp
import pytest
from class_story import write_class_story

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the fork server is Linux's")

REPO = Path(__file__).resolve().parent.parent
CODE = "K7M3QX"
CUE = b"Playing as"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def stat(pid: int) -> list[str]:
    with open(f"/proc/{pid}/stat") as fh:
        return fh.read().rsplit(")", 1)[1].split()


def drawn_size(frame: bytes) -> tuple[int, int]:
    """The terminal size a first frame was drawn at: its first line's width, its last line's number."""
    first = frame.split(b"\x1b[1;1H", 1)[1].split(b"\n", 1)[0]
    rows = [int(m) for m in re.findall(rb"\x1b\[(\d+);1H", frame)]
    return len(re.sub(rb"\x1b\[[0-9;]*m", b"", first).decode()), max(rows)


def socket_fd(zygote: int) -> str:
    """The descriptor number of the fork server's socket, from its command line (`--fd N`)."""
    args = re.split(rb"[\0 ]", Path(f"/proc/{zygote}/cmdline").read_bytes())  # (setproctitle joins it with spaces)
    return args[args.index(b"--fd") + 1].decode()


def zygotes(server: int) -> list[int]:
    found = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                if b"game.classroom.zygote" in (d / "cmdline").read_bytes() and int(stat(int(d.name))[1]) == server:
                    found.append(int(d.name))
            except (OSError, ValueError):
                continue
    return found


class Served:
    def __init__(self, process: subprocess.Popen[bytes], log: Path, port: int, saves: Path) -> None:
        self.process, self.log, self.port, self.saves = process, log, port, saves
        self.url = f"http://127.0.0.1:{port}"
        self.frames: dict[str, bytes] = {}
        """What each student's page received up to their first frame."""

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    async def until(self, pattern: str, timeout: float = 60, after: int = 0) -> re.Match[str]:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            found = re.search(pattern, self.text()[after:])
            if found:
                return found
            assert self.process.poll() is None, f"the server stopped: {self.text()[-2000:]}"
            await asyncio.sleep(0.05)
        raise AssertionError(f"the server never logged {pattern!r}: {self.text()[-2000:]}")

    async def play(self, name: str, width: int = 80, height: int = 24) -> tuple[int, aiohttp.ClientSession,
                                                                                 aiohttp.ClientWebSocketResponse]:
        """Sign `name` in, open their game at this size, wait for its first frame; the game's pid."""
        mark = len(self.text())
        session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
        form = {"name": name, "code": CODE, "pin": "4821", "pin2": "4821"}
        async with session.post(self.url + "/sign-in", data=form, allow_redirects=False) as r:
            assert r.status == 303, await r.text()
        ws = await session.ws_connect(f"{self.url}/ws?width={width}&height={height}", origin=self.url)
        seen = b""
        end = time.monotonic() + 60
        while CUE not in seen:
            message = await ws.receive(timeout=max(0.1, end - time.monotonic()))
            assert message.type in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT), (message, seen[-300:])
            seen += message.data if isinstance(message.data, bytes) else message.data.encode()
        started = await self.until(rf"game (\d+) started for {name} at \S+ \((forked|new process);", after=mark)
        self.frames[name] = seen
        return int(started.group(1)), session, ws


@asynccontextmanager
async def serving(tmp_path: Path, **env: str) -> AsyncIterator[Served]:
    story = write_class_story(tmp_path / "story")
    saves, log, port = tmp_path / "saves", tmp_path / "server.log", free_port()
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "game", "serve", "--log", "--port", str(port), "--saves", str(saves),
             "--scenes", str(story), "--class-code", CODE, "--class", "9B"],
            cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO), **env}, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True)
    served = Served(process, log, port, saves)
    try:
        await served.until("Ctrl\\+C stops")
        end = time.monotonic() + 30
        while True:  # the intro is printed before the server listens
            try:
                socket.create_connection(("127.0.0.1", port), 0.2).close()
                break
            except OSError:
                assert time.monotonic() < end, f"the server never listened: {served.text()[-2000:]}"
                await asyncio.sleep(0.05)
        yield served
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT)
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


async def test_each_game_is_forked_as_the_servers_own_child_with_its_own_size_folder_and_group(tmp_path):
    async with serving(tmp_path) as served:
        await served.until("fork server \\d+ ready")
        anna, s1, w1 = await served.play("Anna", 91, 31)
        boris, s2, w2 = await served.play("Boris", 77, 22)
        assert "game %d started for Anna at 127.0.0.1 (forked;" % anna in served.text()
        assert "game %d started for Boris at 127.0.0.1 (forked;" % boris in served.text()
        for pid, name, width, height in ((anna, "Anna", 91, 31), (boris, "Boris", 77, 22)):
            fields = stat(pid)
            assert int(fields[1]) == served.process.pid, "a forked game is the server's own child"
            assert int(fields[2]) == pid, "and leads a process group of its own"
            assert drawn_size(served.frames[name]) == (width, height), "the game runs at its own page's size"
            assert os.readlink(f"/proc/{pid}/cwd") == str(REPO)
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
            assert f"--student={name}".encode() in command and str(served.saves).encode() in command
        assert len(list((served.saves / "9B").iterdir())) == 2, "one folder each"
        [zygote] = zygotes(served.process.pid)
        control = os.readlink(f"/proc/{zygote}/fd/{socket_fd(zygote)}")
        for pid in (anna, boris):  # nothing of the fork server's, nor of the other student's pipes, is held
            held = {os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")}
            assert control not in held
            other = boris if pid == anna else anna
            assert not held & {os.readlink(f"/proc/{other}/fd/{fd}") for fd in ("0", "1", "2")}
        for s, w in ((s1, w1), (s2, w2)):
            await w.close()
            await s.close()
        for pid in (anna, boris):  # a closed page ends the game, reaped by the server (no zombie left)
            end = time.monotonic() + 20
            while os.path.exists(f"/proc/{pid}") and time.monotonic() < end:
                await asyncio.sleep(0.05)
            assert not os.path.exists(f"/proc/{pid}"), "the game was not reaped"


async def test_a_dead_fork_server_is_replaced_and_takes_no_game_with_it(tmp_path):
    async with serving(tmp_path) as served:
        await served.until("fork server \\d+ ready")
        anna, session, ws = await served.play("Anna")
        [zygote] = zygotes(served.process.pid)
        mark = len(served.text())
        os.kill(zygote, signal.SIGKILL)
        await served.until(rf"fork server: fork server {zygote} stopped \(exit status -9\); starting another",
                           after=mark)
        await served.until("fork server \\d+ ready", after=mark)
        assert alive(anna), "Anna's game outlived the fork server that forked it"
        boris, s2, w2 = await served.play("Boris")
        assert f"game {boris} started for Boris at 127.0.0.1 (forked;" in served.text()
        assert zygotes(served.process.pid) != [zygote]
        for s, w in ((session, ws), (s2, w2)):
            await w.close()
            await s.close()


async def test_games_and_the_fork_server_die_with_a_server_killed_by_sigkill(tmp_path):
    async with serving(tmp_path) as served:
        await served.until("fork server \\d+ ready")
        anna, session, ws = await served.play("Anna")
        [zygote] = zygotes(served.process.pid)
        served.process.send_signal(signal.SIGKILL)
        served.process.wait(10)
        end = time.monotonic() + 5
        while (alive(anna) or alive(zygote)) and time.monotonic() < end:
            await asyncio.sleep(0.05)
        assert not alive(anna), "the game outlived a server killed with SIGKILL"
        assert not alive(zygote), "the fork server outlived a server killed with SIGKILL"
        await session.close()


async def test_without_the_fork_server_games_start_as_new_interpreters(tmp_path):
    async with serving(tmp_path, TAURIDE_FORK_SERVER="0") as served:
        anna, session, ws = await served.play("Anna")
        assert f"game {anna} started for Anna at 127.0.0.1 (new process;" in served.text()
        assert not zygotes(served.process.pid)
        await ws.close()
        await session.close()


def test_the_fork_server_refuses_what_it_cannot_start_as_the_game(monkeypatch):
    """Anything but `python -m game`, an environment its imports did not read, or missing pipes: refused."""
    from game.classroom import zygote

    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    result: list[object] = []
    worker = threading.Thread(target=lambda: result.append(zygote.serve(theirs, os.getpid())))
    monkeypatch.setattr(threading, "active_count", lambda: 1)  # the test's own thread is not the zygote's
    worker.start()
    env = dict(os.environ)

    def ask(argv: list[str], environment: dict[str, str], pipes: int = 3) -> dict[str, str]:
        fds = [os.open(os.devnull, os.O_RDWR) for _ in range(pipes)]
        try:
            socket.send_fds(ours, [json.dumps({"argv": argv, "env": environment, "cwd": None}).encode()], fds)
        finally:
            for fd in fds:
                os.close(fd)
        return json.loads(ours.recv(1 << 16))

    try:
        assert "only the game" in ask(["/bin/sh", "-c", "echo"], env)["error"]
        assert "only the game" in ask([sys.executable, "-m", "other"], env)["error"]
        changed = {**env, "TEXTUAL_DRIVER": "textual.drivers.linux_driver:LinuxDriver"}
        assert "TEXTUAL_DRIVER differs" in ask([sys.executable, "-m", "game", "play"], changed)["error"]
        assert "2 pipe ends" in ask([sys.executable, "-m", "game", "play"], env, pipes=2)["error"]
        ours.send(b"{not json")
        assert "cannot read" in json.loads(ours.recv(1 << 16))["error"]
    finally:
        ours.close()
        worker.join(10)
    assert result == [None], "the fork server stops when the server closes its socket"


def test_a_held_story_is_given_while_its_files_are_unchanged_and_read_again_once_one_changes(tmp_path, monkeypatch):
    """What the fork server shares with its games: the story it loaded, never a story its files no longer say."""
    from game import story_cache, story_folder
    from game.story import StoryError
    from game.story_cache import StoryCache

    monkeypatch.setattr(story_folder, "_HELD", {})
    folder = write_class_story(tmp_path / "story")
    cache = StoryCache(tmp_path / "cache")
    monkeypatch.setattr(story_cache, "SETTLED_NS", 0)  # (files are "settled" at once; the real margin is 5 s)
    time.sleep(0.05)
    held = story_folder.hold(str(folder), cache)
    assert story_folder.load_folder(str(folder), cache) is held
    with pytest.raises(StoryError, match="no chair 'other'"):  # the chair is part of the key: not the held story
        story_folder.load_folder(str(folder), cache, chair="other")
    manifest = folder / "story.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("The Wire", "The Wire, revised"),
                        encoding="utf-8")
    again = story_folder.load_folder(str(folder), cache)
    assert again is not held and again.title == "The Wire, revised"


def test_a_story_still_being_written_is_not_held(tmp_path, monkeypatch):
    """Files changed within the cache's margin are not kept: an edit in the same clock tick must not be missed."""
    from game import story_folder
    from game.story_cache import StoryCache

    monkeypatch.setattr(story_folder, "_HELD", {})
    folder = write_class_story(tmp_path / "story")
    story_folder.hold(str(folder), StoryCache(tmp_path / "cache"))
    assert story_folder._HELD == {}
