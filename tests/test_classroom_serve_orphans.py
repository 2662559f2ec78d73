"""A `tauride serve` killed outright (SIGKILL: no shutdown code runs) takes its students' games with it.

The server runs in its own process with a stand-in game as bad as the one
seen in the wild (deaf to SIGTERM, never reading stdin); a student signs in
and plays over a raw websocket; then the server is killed with SIGKILL, and
the game must be gone within a few seconds (Linux's parent-death signal,
armed in each game before it starts).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import aiohttp
import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the parent-death signal is Linux's")

DEAF_GAME = textwrap.dedent("""\
    import os, signal, sys, time, pathlib
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    pathlib.Path(sys.argv[1]).write_text(str(os.getpid()))
    sys.stdout.write("__GANGLION__\\n"); sys.stdout.flush()
    while True:
        time.sleep(0.05)
""")
SERVER = textwrap.dedent("""\
    import sys
    from pathlib import Path
    from game.classroom.serve import ClassroomServer
    game, pidfile, saves, port = sys.argv[1:5]
    ClassroomServer(lambda who: [sys.executable, game, pidfile], class_dir=Path(saves), code="K7M3QX",
                    host="127.0.0.1", port=int(port)).serve()
""")
REPO = Path(__file__).resolve().parent.parent


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_games_die_with_a_server_killed_by_sigkill(tmp_path: Path) -> None:
    game, pidfile = tmp_path / "deaf.py", tmp_path / "game.pid"
    game.write_text(DEAF_GAME)
    port = free_port()
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(game), str(pidfile), str(tmp_path / "class"), str(port)],
                              cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)
    pid = None
    try:
        base = f"http://127.0.0.1:{port}"
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as s:
            end = time.monotonic() + 20
            while True:
                try:
                    async with s.get(base + "/") as r:
                        assert r.status == 200
                    break
                except aiohttp.ClientConnectionError:
                    assert time.monotonic() < end, "the server never listened"
                    time.sleep(0.1)
            form = {"name": "Anna", "code": "K7M3QX", "pin": "4821", "pin2": "4821"}
            async with s.post(base + "/sign-in", data=form, allow_redirects=False) as r:
                assert r.status == 303
            async with s.ws_connect(base.replace("http", "ws") + "/ws") as ws:
                end = time.monotonic() + 20
                while not (pidfile.exists() and pidfile.read_text().strip()):  # written, not only created
                    assert time.monotonic() < end, "no game started"
                    time.sleep(0.05)
                pid = int(pidfile.read_text())
                assert alive(pid)
                server.send_signal(signal.SIGKILL)  # no shutdown handler, no reaper: only the kernel is left
                server.wait(10)
                end = time.monotonic() + 5
                while alive(pid) and time.monotonic() < end:
                    time.sleep(0.05)
                assert not alive(pid), "the game outlived a server killed with SIGKILL"
                await ws.close()
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
        if pid is not None and alive(pid):
            os.kill(pid, signal.SIGKILL)
