"""The teacher's view of a served room: rows read from the students' save folders, time on task.

The view runs headless (Pilot) on a class folder while the test plays
three students forward by writing their saves, as their games do; the
table follows within the refresh period. A fake server says who is
connected (the real one, in the same loop, is driven in the e2e test).
"""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path
from types import SimpleNamespace

from game.active_time import ActiveTime, saved_seconds
from game.classroom.room import idle_text, read_room
from game.classroom.room_view import RoomApp
from game.story import Story
from test_classroom_story import class_story, make_class, play, save  # noqa: F401  (fixture)


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
