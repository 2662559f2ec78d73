"""The served classroom: a room of students signing in at once, and the memory of a room playing.

Each sample starts `tauride serve` (the shipped story, loopback) in a fresh
saves folder, then signs students in the way a browser does: the sign-in
form is POSTed (name, class code, a new PIN twice), `/play` is fetched, and
the game's websocket is opened as textual-serve's page opens it
(`/ws?width=…&height=…`). A student's time ends when their game's first
frame has arrived: the bytes of the title screen's "Playing as" line, the
screen a student waits for after pressing Play. The sign-in form is a plain
HTML page served in a few milliseconds; the wait is the game. Once the
room is in, everyone begins a new game and then takes a choice at the same
moment, three times: each student's answer ends when the next scene's
title and its prompt have arrived, the wait for every choice of a lesson
while the whole class plays. A class's
second lesson is measured too: a first server on the same saves lets each
student start a game and take a choice, then a new server is measured as
they return (the PIN kept then is checked, and each title checks the
student's autosave).

Memory is the proportional set size (`Pss` of /proc/PID/smaps_rollup) of
every game process (and of the fork server, when there is one), read once
everyone's first frame is in: shared pages are counted once across the
processes that share them, so the sum is what the room costs the laptop.
The server's own PSS is printed in the note, not counted in the row.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from typing import Awaitable, Callable, TypeVar

from .measure import ROOT, Row
from .pty_term import cpu_seconds

CODE = "BENCH7"
CUE = b"Playing as"
"""The title screen's line naming the signed-in student: the game's first frame, as the page receives it."""
PROMPT = b"What do you do?"
WIDTH, HEIGHT = 100, 30


@dataclass
class Room:
    """One sample: when each student's first frame arrived, and what the room cost."""

    last: float
    """Seconds from the first sign-in to the last student's first frame."""
    last_game: float
    """Seconds from a websocket opened to its game's first frame, the longest of the room (the game's start)."""
    cpu: float
    """CPU seconds the server and its game processes spent meanwhile."""
    games_pss: float
    """MiB: the game processes (and fork server) once everyone's first frame is in."""
    server_pss: float
    """MiB: the server process itself."""
    per_game: float
    """MiB: the median game process's PSS."""
    answers: list[float] = field(default_factory=list)
    """Seconds from a choice's key to the next scene and its prompt: every student's, every round."""
    answer_cpu: list[float] = field(default_factory=list)
    """CPU seconds of the server and its games for each round of everyone choosing at once."""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat", "rb") as f:
                ppid = int(f.read().rsplit(b")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        kids.setdefault(ppid, []).append(int(d))
    return kids


def descendants(pid: int) -> list[int]:
    """Every live process below `pid` (games, the fork server and its children)."""
    kids = _children()
    found: list[int] = []
    todo = list(kids.get(pid, []))
    while todo:
        p = todo.pop()
        found.append(p)
        todo += kids.get(p, [])
    return found


def pss_mib(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def start_server(saves: str, port: int, env: dict[str, str], log: str) -> subprocess.Popen[str]:
    out = open(log, "w", encoding="utf-8")  # a file, not a pipe: thirty games' log lines never block the server
    server = subprocess.Popen(
        [sys.executable, "-m", "game", "serve", "--log", "--port", str(port), "--saves", saves,
         "--class-code", CODE, "--class", "bench", "--max-students", "60"],
        cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    out.close()
    end = time.monotonic() + 60
    while time.monotonic() < end:
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return server
        except OSError:
            if server.poll() is not None:
                with open(log, encoding="utf-8", errors="replace") as f:
                    raise RuntimeError("the server stopped: " + f.read()[-2000:]) from None
            time.sleep(0.05)
    raise RuntimeError("the server never listened")


def stop_server(server: subprocess.Popen[str]) -> None:
    os.killpg(server.pid, signal.SIGINT)
    try:
        server.wait(20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def _ready(log: str, zygote: bool, timeout: float = 120) -> None:
    """Wait until the fork server (when used) has loaded the game: a sample measures a warm server."""
    end = time.monotonic() + timeout
    while zygote and time.monotonic() < end:
        with open(log, encoding="utf-8", errors="replace") as f:
            text = f.read()
        if "games start from it" in text:
            return
        if "games start as new processes" in text:
            raise RuntimeError("the fork server did not start: " + text[-1000:])
        time.sleep(0.05)
    if zygote:
        raise RuntimeError("the fork server was not ready in time")


async def _student(url: str, name: str, start: asyncio.Event) -> tuple[float, float, object, object]:
    """Sign in as `name` once `start` is set; seconds to the first frame from the form, and from the websocket."""
    import aiohttp

    session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
    await start.wait()
    t0 = time.perf_counter()
    form = {"name": name, "code": CODE.lower(), "pin": "4821", "pin2": "4821"}
    async with session.post(url + "/sign-in", data=form, allow_redirects=False, headers={"Origin": url}) as r:
        if r.status != 303:
            raise RuntimeError(f"sign-in of {name}: {r.status} {(await r.text())[:300]}")
    async with session.get(url + "/play") as r:
        await r.read()
    t_ws = time.perf_counter()
    ws = await session.ws_connect(f"{url}/ws?width={WIDTH}&height={HEIGHT}", origin=url, max_msg_size=0)
    await _until(ws, CUE, name)
    now = time.perf_counter()
    return now - t0, now - t_ws, ws, session


async def _until(ws: object, cue: bytes | tuple[bytes, ...], name: str, limit: float = 60.0) -> None:
    """Read the game's output until `cue` (each of them, for a tuple) has arrived."""
    import aiohttp

    cues = cue if isinstance(cue, tuple) else (cue,)
    seen = bytearray()
    end = time.monotonic() + limit
    while not all(c in seen for c in cues):
        message = await asyncio.wait_for(ws.receive(), max(0.01, end - time.monotonic()))  # type: ignore[attr-defined]
        if message.type == aiohttp.WSMsgType.BINARY:
            seen += message.data
        elif message.type == aiohttp.WSMsgType.TEXT:
            seen += message.data.encode()
        else:
            raise RuntimeError(f"{name}'s game closed before {cue!r}: {bytes(seen[-300:])!r}")


async def _quiet(ws: object, quiet: float = 0.1) -> None:
    """Read the game's output until it has sent nothing for `quiet` seconds (its screen settled)."""
    while True:
        try:
            await asyncio.wait_for(ws.receive(), quiet)  # type: ignore[attr-defined]
        except asyncio.TimeoutError:
            return


async def _begin(ws: object, name: str) -> None:
    """From the title, start a new game: "n" shows the content note, Enter (its Begin) the first scene."""
    for key, cue in (("n", b"Begin"), ("\r", PROMPT)):
        await ws.send_json(["stdin", key])  # type: ignore[attr-defined]
        await _until(ws, cue, name)


ROUNDS = 3
"""Times everyone takes a choice at once (the first choice each time, the same scenes in every game)."""


def _rounds_titles() -> list[bytes]:
    """The title of the scene each round's choice (the first) leads to, in a new game of the shipped story."""
    from game import engine
    from game.locate import default_story_dir
    from game.story_folder import load_folder

    story = load_folder(str(default_story_dir()))
    state = engine.new_game(story, seed=0)
    titles = []
    for _ in range(ROUNDS):
        state = engine.choose(story, state, engine.choices(story, state)[0].id)
        titles.append(engine.scene_title(story, state).encode())
    return titles


def _cpu(server_pid: int) -> float:
    """CPU seconds so far of the server and every process under it, every thread (from schedstat)."""
    return cpu_seconds(server_pid) + sum(cpu_seconds(p) for p in descendants(server_pid))


async def _choose_at_once(sockets: list[object], server_pid: int) -> tuple[list[float], list[float]]:
    """Every student begins a game; then, ROUNDS times, all take the first choice at the same moment.

    Returns each answer (key to the next scene's title and prompt) and each round's CPU.
    """
    await asyncio.gather(*(_begin(ws, f"student {k}") for k, ws in enumerate(sockets)))
    answers: list[float] = []
    cpus: list[float] = []
    for title in _rounds_titles():
        await asyncio.sleep(0.5)  # every autosave of the last choice written
        await asyncio.gather(*(_quiet(ws) for ws in sockets))
        before = _cpu(server_pid)

        async def answer(ws: object, title: bytes = title) -> float:
            at = time.perf_counter()
            await ws.send_json(["stdin", "1"])  # type: ignore[attr-defined]
            await _until(ws, (title, PROMPT), "a student")
            return time.perf_counter() - at

        answers += await asyncio.gather(*(answer(ws) for ws in sockets))
        cpus.append(_cpu(server_pid) - before)
    return answers, cpus


def autosaves(saves: str) -> int:
    """How many autosaves the students' folders under `saves` hold."""
    return sum(1 for _, _, files in os.walk(saves) for f in files if f.startswith("autosave") and f.endswith(".json"))


async def _first_lesson(url: str, n: int, saves: str, limit: float = 60.0) -> int:
    """`n` students sign in, start a game and take a choice: each leaves a PIN and an autosave behind.

    Every game stays open until every autosave is written (a game writes it once the frame is out,
    on a thread); the number found is returned.
    """
    start = asyncio.Event()
    tasks = [asyncio.create_task(_student(url, f"Student {k:02d}", start)) for k in range(n)]
    start.set()
    students = await asyncio.gather(*tasks)
    for _, _, ws, _ in students:
        await _begin(ws, "a student")
        await ws.send_json(["stdin", "1"])  # type: ignore[attr-defined]
        await _until(ws, PROMPT, "a student")
    end = time.monotonic() + limit
    while autosaves(saves) < n and time.monotonic() < end:
        await asyncio.sleep(0.05)
    for _, _, ws, session in students:
        await ws.close()  # type: ignore[attr-defined]
        await session.close()  # type: ignore[attr-defined]
    found = autosaves(saves)
    if found < n:
        raise RuntimeError(f"the first lesson left {found} autosaves of {n} in {limit:.0f} s")
    return found


async def _room(url: str, n: int, server_pid: int, choose: bool = False) -> Room:
    start = asyncio.Event()
    tasks = [asyncio.create_task(_student(url, f"Student {k:02d}", start)) for k in range(n)]
    await asyncio.sleep(0.2)  # every client ready at the line
    before = _cpu(server_pid)
    start.set()
    results = await asyncio.gather(*tasks)
    after = _cpu(server_pid)
    await asyncio.sleep(1.0)  # everyone playing: the first frame's allocations settled
    games = [pss_mib(p) for p in descendants(server_pid)]
    room = Room(max(r[0] for r in results), max(r[1] for r in results), after - before, sum(games), pss_mib(server_pid),
                statistics.median(games) if games else 0.0)
    if choose:
        room.answers, room.answer_cpu = await _choose_at_once([r[2] for r in results], server_pid)
    for _, _, ws, session in results:
        await ws.close()  # type: ignore[attr-defined]
        await session.close()  # type: ignore[attr-defined]
    return room


def sample(n: int, zygote: bool, returning: bool = False, choose: bool = False) -> Room:
    """One server, `n` students signing in at once. `returning`: as in a class's second lesson, each has
    played on these saves before (a server started earlier), so each signs in with the PIN kept then and
    each title finds and checks an autosave. `choose`: once all are in, everyone begins a game and takes
    a choice at the same moment, ROUNDS times (`Room.answers`)."""
    with tempfile.TemporaryDirectory(prefix="tauride-serve-bench-") as saves:
        env = {**os.environ, "PYTHONPATH": ROOT, "TAURIDE_FORK_SERVER": "1" if zygote else "0"}
        env.pop("TAURIDE_SAVE_DIR", None)
        if returning:
            _serving(saves, env, zygote, lambda url, _: _first_lesson(url, n, saves))
        return _serving(saves, env, zygote, lambda url, pid: _room(url, n, pid, choose))


T = TypeVar("T")


def _serving(saves: str, env: dict[str, str], zygote: bool, run: Callable[[str, int], Awaitable[T]]) -> T:
    """Start `tauride serve` on `saves`, run `run(its address, its pid)` once it is ready, stop it."""
    port = _free_port()
    log = os.path.join(saves, f"server-{port}.log")
    server = start_server(saves, port, env, log)
    try:
        _ready(log, zygote)
        return asyncio.run(run(f"http://127.0.0.1:{port}", server.pid))  # type: ignore[arg-type]
    finally:
        stop_server(server)


def _choosing_row(n: int, alone: list[Room], rooms: list[Room]) -> Row:
    """Everyone takes a choice at the same moment: the median student's answer against one student's alone."""
    one = statistics.median(a for r in alone for a in r.answers)
    answers = [a for r in rooms for a in r.answers]
    cpu_one = statistics.median(c for r in alone for c in r.answer_cpu)
    cpu_all = statistics.median(c for r in rooms for c in r.answer_cpu)
    return Row(f"{n} playing take a choice at once → the median one's next scene, forked", "one student alone", one,
               statistics.median(answers), "ms", "(measured)", None,
               f"the last of {n} {max(answers) * 1000:.0f} ms (worst of {len(answers) // n} rounds); CPU of server "
               f"and games per choice {cpu_one * 1000:.1f} ms alone, {cpu_all / n * 1000:.1f} ms each for {n} "
               f"({cpu_all:.2f} s a round)",
               cpu_floor=cpu_one, cpu_figure=cpu_all / n, cpu_met=None)


def rows(quick: bool) -> list[Row]:
    """Both ways of starting games, in the same run: as new interpreters (before the fork server) and forked."""
    n = 6 if quick else 30
    repeat = 1 if quick else 3
    out: list[Row] = []
    for zygote in (False, True):
        label = "forked from the fork server" if zygote else "each a new interpreter (TAURIDE_FORK_SERVER=0)"
        alone: list[Room] = []
        rooms: list[Room] = []
        for _ in range(repeat):  # interleaved, so drift in the machine's load hits floor and figure alike
            alone.append(sample(1, zygote, choose=zygote))
            rooms.append(sample(n, zygote, choose=zygote))
        one = statistics.median(a.last for a in alone)
        last = statistics.median(r.last for r in rooms)
        cpu_one = statistics.median(a.cpu for a in alone)
        cpu_all = statistics.median(r.cpu for r in rooms)
        game_one = statistics.median(a.last_game for a in alone)
        game_all = statistics.median(r.last_game for r in rooms)
        room = sorted(rooms, key=lambda r: r.games_pss)[len(rooms) // 2]
        single = sorted(alone, key=lambda r: r.games_pss)[len(alone) // 2]
        out.append(Row(f"{n} sign in at once → last first frame, {label}", "one student alone", one, last, "ms",
                       "≤ 3×", last <= 3 * one,
                       f"websocket → first frame {game_one * 1000:.0f} ms alone, {game_all * 1000:.0f} ms "
                       f"for the last of {n}; CPU of server and games {cpu_one:.2f} s alone, {cpu_all:.2f} s for {n}",
                       cpu_floor=cpu_one, cpu_figure=cpu_all, cpu_met=cpu_all <= 3 * cpu_one))
        out.append(Row(f"{n} playing: PSS of the games, {label}", "one student alone", single.games_pss,
                       room.games_pss, "MiB", "≤ 12×", room.games_pss <= 12 * single.games_pss,
                       f"{room.per_game:.1f} MiB median per process (the fork server counted among the "
                       f"games); the server itself {room.server_pss:.1f} MiB"))
        if zygote:
            out.append(_choosing_row(n, alone, rooms))
    # A class's second lesson: everyone returns, signs in with a kept PIN, and their title checks an autosave.
    alone, rooms = [], []
    for _ in range(repeat):
        alone.append(sample(1, True, returning=True))
        rooms.append(sample(n, True, returning=True))
    one, last = statistics.median(a.last for a in alone), statistics.median(r.last for r in rooms)
    cpu_one, cpu_all = statistics.median(a.cpu for a in alone), statistics.median(r.cpu for r in rooms)
    out.append(Row(f"{n} returning (each with an autosave) sign in at once → last first frame, forked",
                   "one returning student alone", one, last, "ms", "≤ 3×", last <= 3 * one,
                   f"CPU of server and games {cpu_one:.2f} s alone, {cpu_all:.2f} s for {n}",
                   cpu_floor=cpu_one, cpu_figure=cpu_all, cpu_met=cpu_all <= 3 * cpu_one))
    return out
