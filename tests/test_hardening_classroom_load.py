"""Load test: many students on one `tauride serve`, over loopback, at once.

Each student is a websocket client speaking the browser's protocol to the
real server (`python -m game serve`): it signs in on the form (a name, the
class code, a PIN of its own), starts a new game, makes choices and saves under its own slot name. Every
key waits until that student's screen has gone quiet, so a slow start on a
busy machine is waited for, not raced. Then on disk: every student has an
autosave and a named save holding only their own name, their own choices,
in their own folder — nothing lost, nothing mixed. The server is stopped
and every game process must be gone.

Bounded and self-stopping: the clients give up after `CLIENT_LIMIT_S`, the
server is stopped in `finally`. CI runs 6 students; the `slow` variant 30.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from class_story import write_class_story
from test_classroom_serve_e2e import free_port, games, student_saves, wait_for_port

REPO = Path(__file__).resolve().parent.parent
CODE = "K7M3QX"
"""The class code the teacher set (`--class-code`): the class's folder too."""
CLIENT_LIMIT_S = 600

CLIENTS = textwrap.dedent("""\
    import asyncio, json, sys, time
    import aiohttp

    URL, CODE, COUNT = sys.argv[1], sys.argv[2], int(sys.argv[3])
    QUIET, DRAWN, LONGEST = 0.8, 3.0, 120.0

    async def settled(seen):
        # Until this student's screen has printed something new and then been quiet for a while
        # (or, where a cursor blinks for ever, for DRAWN seconds after the first new output).
        start, before, first = time.monotonic(), seen["bytes"], None
        while time.monotonic() - start < LONGEST:
            await asyncio.sleep(0.1)
            if seen["bytes"] > before:
                first = first or time.monotonic()
                if time.monotonic() - seen["last"] > QUIET or time.monotonic() - first > DRAWN:
                    return True
        return False

    async def student(i):
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
            return await play(http, i)

    async def play(http, i):
        name = f"Student {i:02d}"
        seen = {"bytes": 0, "last": time.monotonic()}
        pin = f"{1000 + i}"
        form = {"name": name, "code": CODE, "pin": pin, "pin2": pin}
        async with http.post(URL + "sign-in", data=form, allow_redirects=False) as r:
            assert r.status == 303, (name, r.status, await r.text())
        async with http.ws_connect(URL + "ws?width=100&height=30", heartbeat=30) as ws:
            async def drain():
                async for msg in ws:
                    if msg.type in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT):
                        seen["bytes"] += len(msg.data)
                        seen["last"] = time.monotonic()
            reader = asyncio.create_task(drain())
            ok = await settled(seen)
            # "2" first: the class story's choice 1 asks a reflection question in a text box.
            steps = ["n", "2", "1", "s", f"mine {i:02d}", "\\r"]
            for keys in steps:
                await ws.send_json(["stdin", keys])
                ok = await settled(seen) and ok
            reader.cancel()
        return {"student": name, "settled": ok}

    async def main():
        results = await asyncio.gather(*(student(i) for i in range(COUNT)))
        print(json.dumps(results))

    asyncio.run(main())
""")


def run_class(tmp_path: Path, count: int) -> tuple[Path, list[dict]]:
    story = write_class_story(tmp_path / "story")
    saves = tmp_path / "saves"
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO), "TAURIDE_CACHE_DIR": str(tmp_path / "cache")}
    server = subprocess.Popen(
        [sys.executable, "-m", "game", "serve", "--port", str(port), "--saves", str(saves), "--scenes", str(story),
         "--class-code", CODE], cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True)
    try:
        wait_for_port(port)
        out = subprocess.run([sys.executable, "-c", CLIENTS, f"http://127.0.0.1:{port}/", CODE, str(count)],
                             capture_output=True, text=True, timeout=CLIENT_LIMIT_S, env=env)
        assert out.returncode == 0, out.stderr[-3000:]
        results = json.loads(out.stdout)
    finally:
        os.killpg(server.pid, signal.SIGINT)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    deadline = time.monotonic() + 20
    while games(saves) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not games(saves), "stopping the server left games running"
    return saves, results


def check_class(saves: Path, results: list[dict], count: int) -> None:
    names = [f"Student {i:02d}" for i in range(count)]
    assert sorted(r["student"] for r in results) == names
    folders = set()
    for i, name in enumerate(names):
        mine = student_saves(saves, name)
        slots = {s["path"].stem: s for s in mine}
        assert "autosave" in slots, f"{name}: no autosave; has {sorted(slots)}"
        assert f"mine {i:02d}" in slots, f"{name}: the named save is missing; has {sorted(slots)}"
        for slot in ("autosave", f"mine {i:02d}"):
            save = slots[slot]
            assert save["meta"]["class"] == CODE
            assert len(save["state"]["log"]) == 2, f"{name}/{slot}: {save['state']['log']}"
        folder = {s["path"].parent for s in mine}
        assert len(folder) == 1, f"{name}'s saves are in more than one folder: {folder}"
        folders |= folder
    assert len(folders) == count, "two students share a save folder"
    for path in saves.rglob("*.json"):  # nothing on disk belongs to nobody, or to two
        data = json.loads(path.read_text(encoding="utf-8"))
        assert (data.get("meta") or {}).get("student") in names, path


@pytest.mark.e2e
def test_six_students_at_once_lose_and_mix_nothing(tmp_path: Path) -> None:
    saves, results = run_class(tmp_path, 6)
    check_class(saves, results, 6)


@pytest.mark.e2e
@pytest.mark.slow
def test_thirty_students_at_once_lose_and_mix_nothing(tmp_path: Path) -> None:
    saves, results = run_class(tmp_path, 30)
    check_class(saves, results, 30)
