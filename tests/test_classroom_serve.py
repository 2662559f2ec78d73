"""`tauride serve`'s server: an offline page, and no game process outlives its browser.

These run the real ClassroomServer (aiohttp + textual-serve) in the test's
event loop, with a stand-in game that is as bad as the one seen in the wild:
it ignores the quit message and SIGTERM. The browser is played by a child
process holding a websocket, killed with SIGKILL as a crashed or closed
laptop would be. The full game in a real browser is in
test_classroom_serve_e2e.py.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
import textwrap
import time
from pathlib import Path

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from game.classroom.serve import ClassroomServer
from game.classroom.serve_cmd import game_command, who_can_reach
from game.cli import main

DEAF_GAME = textwrap.dedent("""\
    import os, signal, sys, time, pathlib
    signal.signal(signal.SIGTERM, signal.SIG_IGN)   # deaf to SIGTERM, as the orphan seen in the wild
    pathlib.Path(sys.argv[1]).write_text(str(os.getpid()))
    sys.stdout.write("__GANGLION__\\n"); sys.stdout.flush()
    while True:                                     # never reads stdin, so never hears "quit"
        time.sleep(0.05)
""")

BROWSER = textwrap.dedent("""\
    import asyncio, sys, aiohttp
    async def main():
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as s:
            form = {"name": "Anna", "code": "K7M3QX", "pin": "4821", "pin2": "4821"}
            async with s.post(sys.argv[1] + "/sign-in", data=form, allow_redirects=False) as r:
                assert r.status == 303, r.status
            async with s.ws_connect(sys.argv[1] + "/ws") as ws:
                if sys.argv[2] == "type":
                    await ws.send_json(["stdin", "n"])
                print("connected", flush=True)
                await asyncio.sleep(3600)
    asyncio.run(main())
""")


def alive(pid: int) -> bool:
    """True while the process exists and is not a zombie waiting to be collected."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


async def wait_until(cond, timeout: float, step: float = 0.1) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return True
        await asyncio.sleep(step)
    return cond()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def deaf_game(tmp_path: Path) -> tuple[list[str], Path]:
    script = tmp_path / "deaf_game.py"
    script.write_text(DEAF_GAME)
    pidfile = tmp_path / "game.pid"
    return [sys.executable, str(script), str(pidfile)], pidfile


def stand_in(argv: list[str], tmp_path: Path, **kwargs) -> ClassroomServer:
    """A server whose every student plays the stand-in game, behind the class code K7M3QX."""
    return ClassroomServer(lambda who: argv, class_dir=tmp_path / "class", code="K7M3QX", **kwargs)


async def start(server: ClassroomServer) -> TestServer:
    ts = TestServer(server.make_app(), host="127.0.0.1", port=free_port())
    await ts.start_server()
    return ts


async def browser(url: str, mode: str = "type") -> asyncio.subprocess.Process:
    """A stand-in browser in its own process (the server shares this test's event loop, so the client cannot)."""
    proc = await asyncio.create_subprocess_exec(sys.executable, "-c", BROWSER, url, mode,
                                                stdout=asyncio.subprocess.PIPE, start_new_session=True)
    assert proc.stdout is not None
    line = await asyncio.wait_for(proc.stdout.readline(), 20)
    assert line.strip() == b"connected"
    return proc


async def kill(proc: asyncio.subprocess.Process) -> None:
    if proc.returncode is None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        await proc.wait()


async def test_a_deaf_game_is_killed_when_its_browser_vanishes(deaf_game, tmp_path):
    argv, pidfile = deaf_game
    server = stand_in(argv, tmp_path, idle_timeout=600, grace=0.5)
    ts = await start(server)
    client = await browser(str(ts.make_url("")).rstrip("/"))
    try:
        assert await wait_until(lambda: pidfile.exists() and pidfile.read_text().strip(), 10)  # written, not only made
        pid = int(pidfile.read_text())
        assert alive(pid) and len(server.sessions) == 1
        await kill(client)  # the browser is gone, no goodbye
        assert await wait_until(lambda: not alive(pid), 10), "the game outlived its browser"
        assert await wait_until(lambda: not server.sessions, 5)
    finally:
        await kill(client)
        await ts.close()


async def test_an_idle_session_is_closed_and_its_game_reaped(deaf_game, tmp_path):
    argv, pidfile = deaf_game
    server = stand_in(argv, tmp_path, idle_timeout=1.5, grace=0.5)
    ts = await start(server)
    client = await browser(str(ts.make_url("")).rstrip("/"), mode="idle")
    try:
        assert await wait_until(lambda: pidfile.exists() and pidfile.read_text().strip(), 10)  # written, not only made
        pid = int(pidfile.read_text())
        assert alive(pid)
        assert await wait_until(lambda: not alive(pid), 15), "an idle game was left running"
        assert client.returncode is None  # the browser is still there: it was the game that went
        assert await wait_until(lambda: not server.sessions, 5)
    finally:
        await kill(client)
        await ts.close()


async def test_stopping_the_server_ends_every_game(deaf_game, tmp_path):
    argv, pidfile = deaf_game
    server = stand_in(argv, tmp_path, idle_timeout=600, grace=0.5)
    ts = await start(server)
    client = await browser(str(ts.make_url("")).rstrip("/"))
    try:
        assert await wait_until(lambda: pidfile.exists() and pidfile.read_text().strip(), 10)  # written, not only made
        pid = int(pidfile.read_text())
        await ts.close()
        assert await wait_until(lambda: not alive(pid), 10)
    finally:
        await kill(client)


async def test_the_page_is_offline_and_addresses_the_laptop_the_student_typed(deaf_game, tmp_path):
    server = stand_in(deaf_game[0], tmp_path, title="The Wire")
    ts = await start(server)
    try:
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as s:
            form = {"name": "Anna", "code": "K7M3QX", "pin": "4821", "pin2": "4821"}
            async with s.post(ts.make_url("/sign-in"), data=form, allow_redirects=False) as r:
                assert r.status == 303
            async with s.get(ts.make_url("/play"), headers={"Host": "192.168.1.23:8000"}) as r:
                page = await r.text()
            assert "googleapis" not in page and "https://" not in page
            assert 'data-session-websocket-url="ws://192.168.1.23:8000/ws"' in page
            assert 'src="http://192.168.1.23:8000/static/js/textual.js"' in page
            assert 'url("http://192.168.1.23:8000/static/fonts/RobotoMono-VariableFont_wght.ttf")' in page
            assert "<title>The Wire</title>" in page
            async with s.get(ts.make_url("/static/fonts/RobotoMono-VariableFont_wght.ttf")) as r:
                assert r.status == 200 and len(await r.read()) > 10_000
    finally:
        await ts.close()


def test_the_served_command_is_this_python_and_this_game_playing_as_the_student(tmp_path: Path):
    from game.classroom.students import student

    argv = game_command(tmp_path / "saves", "9B-tues", str(tmp_path / "story"))(student("Анна"))
    assert argv[:5] == [sys.executable, "-m", "game", "play", "--classroom"]
    assert argv[5] == str(tmp_path / "saves")
    assert argv[6:] == ["--class", "9B-tues", "--scenes", str((tmp_path / "story").resolve()), "--student=Анна"]
    assert "--class" not in game_command(tmp_path, None, None)(student("Anna"))


def test_the_teacher_is_told_plainly_who_can_reach_the_game_and_the_code():
    local = " ".join(who_can_reach("localhost", 8000, "K7M3QX"))
    assert "Only this computer can reach it" in local and "--host 0.0.0.0" in local and "Class code: K7M3QX" in local
    everyone = "\n".join(who_can_reach("0.0.0.0", 8123, "K7M3QX"))
    assert "ANYONE on a network this computer is on can open the sign-in page" in everyone and ":8123" in everyone


def test_a_port_in_use_is_a_clear_error(tmp_path: Path, make_story, capsys):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        rc = main(["serve", "--port", str(port), "--saves", str(tmp_path / "s"), "--scenes", str(make_story())])
    assert rc == 1
    assert f"port {port} on localhost is in use; choose another with --port" in capsys.readouterr().err


@pytest.mark.parametrize("flags, said", [
    (["--port", "99999"], "--port must be between 1 and 65535"),
    (["--host", "999.1.1.1"], "--host 999.1.1.1: no such address"),
    (["--host", "192.0.2.77"], "--host 192.0.2.77: not an address of this computer"),  # TEST-NET-1: nobody's
])
@pytest.mark.parametrize("command", [["serve"], ["class", "--live"]])
def test_a_port_or_host_the_server_cannot_use_is_named_before_serving(command, flags, said, tmp_path: Path,
                                                                       make_story, capsys):
    args = [*command, "--scenes", str(make_story()), *flags]
    if command == ["serve"]:
        args += ["--saves", str(tmp_path / "s")]
    if "--port" not in flags:
        args += ["--port", str(free_port())]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert f"tauride: {said}" in err and "Traceback" not in err


def test_an_unusable_class_code_is_refused_before_serving(tmp_path: Path, make_story, capsys):
    rc = main(["serve", "--port", str(free_port()), "--saves", str(tmp_path / "s"), "--scenes", str(make_story()),
               "--class-code", "..."])
    assert rc == 2 and "--class-code: give a name with at least one letter or digit" in capsys.readouterr().err


def test_a_guessable_class_code_is_refused_when_other_computers_can_reach_the_server(tmp_path, make_story, capsys):
    rc = main(["serve", "--host", "0.0.0.0", "--port", str(free_port()), "--saves", str(tmp_path / "s"),
               "--scenes", str(make_story()), "--class-code", "9B"])
    err = capsys.readouterr().err
    assert rc == 2 and "'9B' is too short to keep strangers out" in err and "--class 9B" in err


def test_a_teacher_resets_a_forgotten_pin_and_the_saves_stay(tmp_path: Path, capsys):
    from game.classroom import students

    saves = tmp_path / "saves"
    folder = students.claim_folder(saves / "9B", students.student("Anna Petrova"))
    students.set_pin(folder, "4821")
    (folder / "autosave.json").write_text("{}")
    assert main(["serve", "--saves", str(saves), "--class", "9B", "--reset-pin", "anna petrova"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("The PIN of anna petrova is forgotten") and "their saves stay" in out
    assert not students.has_pin(folder) and (folder / "autosave.json").read_text() == "{}"
    assert main(["serve", "--saves", str(saves), "--class", "9B", "--reset-pin", "Anna Petrova"]) == 1
    assert "Anna Petrova has no PIN in" in capsys.readouterr().err
    assert main(["serve", "--saves", str(saves), "--class", "9B", "--reset-pin", "A\u200bnna"]) == 2
    assert "--reset-pin: character 2 of the name is an invisible formatting character" in capsys.readouterr().err


def test_a_student_named_like_an_option_is_still_a_name(tmp_path: Path, make_story, monkeypatch):
    from game.classroom.students import student
    from game.tui.app import TaurideApp

    made = []
    monkeypatch.setattr(TaurideApp, "run", lambda self, *a, **k: made.append(self))
    argv = game_command(tmp_path / "saves", "9B", str(make_story()))(student("--help"))
    assert main(argv[4:]) == 0 and made[0].who == "--help"
