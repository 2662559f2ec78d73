"""The teacher's view of a served room: rows read from the students' save folders, time on task.

The view runs headless (Pilot) on a class folder while the test plays
three students forward by writing their saves, as their games do; the
table follows within the refresh period. A fake server says who is
connected (the real one, in the same loop, is driven in the e2e test).
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from class_story import make_class, play, save

from game.active_time import ActiveTime, saved_seconds
from game.classroom.room import idle_text, read_room
from game.classroom.room_view import RoomApp
from game.story import Story


def test_active_time_counts_gaps_up_to_the_cap_and_not_the_lunch_break():
    now = [0.0]
    clock = ActiveTime(30.0, idle_cap=120.0, clock=lambda: now[0])
    clock.touch()
    for t in (10.0, 70.0, 3670.0, 3680.0):  # 10 s, 60 s, an hour away (counts 120 s), 10 s
        now[0] = t
        clock.touch()
    assert clock.seconds == 30 + 10 + 60 + 120 + 10
    assert saved_seconds({"active_seconds": 95}) == 95 and saved_seconds({"active_seconds": True}) == 0
    assert saved_seconds(None) == 0 and saved_seconds({"active_seconds": -4}) == 0


def test_the_room_has_a_row_per_student_folder_even_broken_or_empty(tmp_path: Path, class_story: Story):
    klass = make_class(tmp_path, class_story)
    (klass / "juno").mkdir()  # signed in, no choice made yet
    rows = {r.key: r for r in read_room(class_story, klass, connected=["anna"])}
    assert set(rows) == {"anna", "boris", "clara", "dmitri", "eva", "fyodor", "greta", "hugo", "ivan", "juno"}
    anna = rows["anna"]
    assert anna.connected and anna.name == "Anna" and anna.finished and anna.choices == 3
    assert [r.answer for r in anna.reflections] == ["Anna: so nobody panics <b>now</b>"]
    assert not rows["fyodor"].finished and rows["fyodor"].choices == 2
    assert rows["juno"].scene == "not started" and rows["juno"].saved_at is None
    assert rows["greta"].problem  # a damaged save is a row that says so
    assert idle_text(None) == "—" and idle_text(42) == "42 s" and idle_text(600) == "10 min"


async def test_a_student_signed_in_without_a_save_is_shown_by_name(tmp_path: Path, class_story: Story):
    """Signed in through the server's door, no game started: the row says who, not their folder's hash."""
    from game.classroom.serve import ClassroomServer
    from game.classroom.students import student

    klass = tmp_path / "9B"
    server = ClassroomServer(lambda who: ["true"], class_dir=klass, code=None)
    ticket = await server.sign_in("127.0.0.1", "Boris", "", "4821", "4821")
    folder = klass / student("Boris").folder_name
    assert folder.is_dir() and not list(folder.glob("*.json"))
    app = RoomApp(class_story, klass, intro=["test room"], refresh=0.3)
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        [row] = app.rows
        assert row.key == folder.name and row.name == "Boris" and row.scene == "not started"
        assert str(app.query_one("#room").get_row(folder.name)[0]) == "Boris"
    assert server.tickets.take(ticket) is not None  # as the game page does; the game itself never starts here
    await server.sign_in("127.0.0.1", "boris", "", "4821", "")  # the same student, typed otherwise: the newer name
    assert [r.name for r in read_room(class_story, klass)] == ["boris"]


async def test_the_view_follows_three_students_as_their_saves_change(tmp_path: Path, class_story: Story):
    klass = tmp_path / "9B"
    paths = {"anna": ["keep", "wait", "speak"], "boris": ["tell", "wait", "hide"], "clara": ["phone", "leave"]}
    for name in paths:
        save(klass, class_story, play(class_story, [], seed=1), name, {"student": name.capitalize()})
    server = SimpleNamespace(sessions=[SimpleNamespace(who=SimpleNamespace(folder_name="anna"))])
    app = RoomApp(class_story, klass, intro=["test room"], refresh=0.3)
    app.connected = lambda: [s.who.folder_name for s in server.sessions]  # type: ignore[method-assign]
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        table = app.query_one("#room")
        for step in range(1, 4):
            for name, path in paths.items():
                answers = {"keep": "So nobody panics"} if name == "anna" else None
                save(klass, class_story, play(class_story, path[:step], seed=1, answers=answers), name,
                     {"student": name.capitalize(), "active_seconds": 60 * step})
            end = time.monotonic() + 5
            while time.monotonic() < end:
                await asyncio.sleep(0.2)
                rows = {r.key: r for r in app.rows}
                if all(rows[n].choices == min(step, len(p)) for n, p in paths.items()):
                    break
            else:
                raise AssertionError(f"the view did not follow step {step}: {app.rows}")
            assert table.row_count == 3
        rows = {r.key: r for r in app.rows}
        assert rows["anna"].connected and not rows["boris"].connected
        assert rows["anna"].finished and rows["clara"].finished and rows["boris"].finished
        assert rows["anna"].active_minutes == 3
        cells = [str(c) for c in table.get_row("anna")]
        assert cells[0] == "Anna" and cells[1] == "● yes" and cells[9] == "✔ yes"
        answers = "\n".join(str(line.text) for line in app.query_one("#answers").lines)
        assert "So nobody panics" in answers
        if os.environ.get("TAURIDE_SHOTS"):
            app.save_screenshot(str(Path(os.environ["TAURIDE_SHOTS"]) / "teacher-view.svg"))


class Student:
    """A served student over textual-serve's protocol (what the browser page speaks): sign in, then keys."""

    def __init__(self, base: str, name: str) -> None:
        import aiohttp

        self.base, self.name = base, name
        self.http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
        self.out = ""
        self.ws = None
        self.reader: asyncio.Task | None = None

    async def sign_in(self, code: str) -> None:
        form = {"name": self.name, "code": code, "pin": "4821", "pin2": "4821"}
        async with self.http.post(f"{self.base}/sign-in", data=form, headers={"Origin": self.base},
                                  allow_redirects=False) as r:
            assert r.status == 303, await r.text()
        self.ws = await self.http.ws_connect(f"{self.base}/ws?width=100&height=30", headers={"Origin": self.base})
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        assert self.ws is not None
        async for msg in self.ws:
            data = msg.data
            self.out += data.decode("utf-8", "replace") if isinstance(data, bytes) else str(data)

    async def after(self, cue: str, keys: str = "", timeout: float = 60) -> None:
        """Send `keys`, then wait until the game has drawn `cue` since."""
        assert self.ws is not None
        mark = len(self.out)
        if keys:
            await self.ws.send_str(json.dumps(["stdin", keys]))
        end = time.monotonic() + timeout
        while cue not in self.out[mark:]:
            if time.monotonic() > end:
                raise AssertionError(f"{self.name}'s game never drew {cue!r}; it last sent {self.out[-300:]!r}")
            await asyncio.sleep(0.1)

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self.reader is not None:
            self.reader.cancel()
        await self.http.close()


@pytest.mark.e2e
async def test_the_view_shows_three_served_students_moving(tmp_path: Path):
    """The real classroom server in the view's loop, three real games; the table follows their saves."""
    from class_story import write_class_story
    from test_classroom_live import free_port

    from game.classroom.door import HostCheck
    from game.classroom.serve import ClassroomServer
    from game.classroom.serve_cmd import game_command, game_env, package_root
    from game.story_folder import load_folder
    story_dir = write_class_story(tmp_path / "story")
    story = load_folder(str(story_dir))
    saves = tmp_path / "saves"
    klass = saves / "9B"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = ClassroomServer(game_command(saves, "9B", str(story_dir)), class_dir=klass, code="K7M3QX",
                             host="127.0.0.1", port=port, env=game_env(), cwd=package_root(), grace=2.0,
                             hosts=HostCheck(names={"localhost"}))
    app = RoomApp(story, klass, server=server, intro=["served"], refresh=0.5)
    students = [Student(base, n) for n in ("Anna", "Boris", "Clara")]

    async def rows_where(cond, what: str, timeout: float = 20) -> dict:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            rows = {r.name: r for r in app.rows}
            if cond(rows):
                return rows
            await asyncio.sleep(0.25)
        raise AssertionError(f"the view never showed {what}: {app.rows}")

    async with app.run_test(size=(160, 40)) as pilot:
        try:
            await asyncio.wait_for(asyncio.gather(*(s.sign_in("k7m3qx") for s in students)), 30)
            await asyncio.wait_for(asyncio.gather(*(s.after("Playing as") for s in students)), 90)
            rows = await rows_where(lambda r: len(r) == 3 and all(x.connected for x in r.values()),
                                    "three connected students")
            assert all(r.choices == 0 for r in rows.values())
            # each takes a first choice (the first one asks its reflection, answered in the game)
            for s in students:
                await s.after("What do you do?", "n")
            await students[0].after("Why did you keep", "1")
            await students[0].after("What do you do?", "So nobody panics\r")
            await students[1].after("What do you do?", "2")
            await students[2].after("What do you do?", "3")
            rows = await rows_where(lambda r: all(r.get(n) and r[n].choices == 1 for n in ("Anna", "Boris", "Clara")),
                                    "one choice each")
            assert rows["Anna"].reflections and rows["Anna"].reflections[0].answer == "So nobody panics"
            await students[1].after("What do you do?", "1")  # Boris goes on
            rows = await rows_where(lambda r: r["Boris"].choices == 2, "Boris's second choice")
            assert rows["Anna"].choices == 1 and rows["Clara"].choices == 1
            await students[2].close()  # Clara's browser goes away
            rows = await rows_where(lambda r: not r["Clara"].connected, "Clara disconnected", timeout=30)
            assert rows["Anna"].connected and rows["Clara"].choices == 1  # her save stays
            await pilot.pause()
            if os.environ.get("TAURIDE_SHOTS"):
                app.save_screenshot(str(Path(os.environ["TAURIDE_SHOTS"]) / "teacher-view-served.svg"))
        finally:
            for s in students:
                await s.close()


async def test_a_name_that_looks_like_markup_is_shown_as_typed(tmp_path: Path, class_story: Story):
    """A student's name (and a problem's words) go into the table as plain text: '[/]a' stopped the view
    with Textual's MarkupError, and '[b]Anna' showed as a bold 'Anna'."""
    from game.classroom.serve import ClassroomServer

    klass = tmp_path / "9B"
    server = ClassroomServer(lambda who: ["true"], class_dir=klass, code=None)
    for name in ("[/]a", "[b]Anna"):
        await server.sign_in("127.0.0.1", name, "", "4821", "4821")
    app = RoomApp(class_story, klass, intro=["test room"], refresh=0.3)
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        table = app.query_one("#room")
        shown = sorted(str(table.get_row(r.key)[0]) for r in app.rows)
        assert shown == ["[/]a", "[b]Anna"]
        assert app.is_running


def test_the_room_reads_a_name_noted_after_its_folder_appeared(tmp_path: Path, class_story: Story):
    """The view reads every two seconds: a folder without a save is read afresh each time, so a name noted
    a moment after the folder was made shows on the next read, not never."""
    from game.classroom.room import RoomReader
    from game.classroom.students import keep_name, student

    klass = tmp_path / "9B"
    who = student("Vera")
    folder = klass / who.folder_name
    folder.mkdir(parents=True)
    reader = RoomReader(class_story, klass)
    assert [r.name for r in reader.read()] == [folder.name]
    keep_name(folder, who)
    assert [r.name for r in reader.read()] == ["Vera"]
