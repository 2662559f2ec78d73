"""`tauride serve --chair pick`: each student picks a chair on the sign-in form, and plays it.

The real server (aiohttp) on loopback with the recording stand-in game of
test_classroom_serve_door.py, so the tests see what each game was told; the
real game in Chromium is test_classroom_serve_chairs_browser.py.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from test_classroom_serve_door import CODE, client, said, wait_for

from game import engine
from game.classroom import students
from game.classroom.room import RoomReader
from game.cli import main
from game.saves import SaveStore
from game.story_folder import load_folder

SCENES = Path(__file__).resolve().parent.parent / "scenes"


@pytest.fixture(scope="module")
def chairs():  # type: ignore[no-untyped-def]
    return [load_folder(str(SCENES)), load_folder(str(SCENES), chair="sailor")]


async def _sign_in(s: Any, r: Any, name: str, chair: str | None) -> tuple[int, str]:
    form = {"name": name, "code": CODE, "pin": "4821", "pin2": "4821", **({"chair": chair} if chair else {})}
    async with s.post(r.url("/sign-in"), data=form, allow_redirects=False) as resp:
        return resp.status, await resp.text()


async def test_the_form_offers_each_chair_with_who_the_player_is(room: Any, chairs: Any) -> None:
    r = await room(chairs=chairs)
    async with client() as s:
        async with s.get(r.url("/")) as resp:
            page = await resp.text()
    radios = re.findall(r'<input type="radio" name="chair" id="chair-(\w+)" value="(\w+)" required>', page)
    assert radios == [("committee", "committee"), ("sailor", "sailor")], "none ticked: the student chooses"
    assert "On the Executive Committee" in page and "A Kronstadt sailor" in page
    assert "July Days — the sailor&#x27;s afternoon" in page or "July Days — the sailor's afternoon" in page
    assert "<script" not in page


async def test_without_pick_the_form_has_no_chair_question(room: Any) -> None:
    r = await room()
    async with client() as s:
        async with s.get(r.url("/")) as resp:
            assert 'name="chair"' not in await resp.text()


async def test_a_student_who_picks_no_chair_is_asked_to_and_nothing_is_kept(room: Any, chairs: Any) -> None:
    r = await room(chairs=chairs)
    async with client() as s:
        status, page = await _sign_in(s, r, "Anna", None)
        assert status == 400 and said(page) == "Choose your chair: 'On the Executive Committee' or 'A Kronstadt sailor'."
        assert 'value="Anna"' in page, "the name stays as typed"
        status, page = await _sign_in(s, r, "Anna", "admiral")
        assert status == 400 and said(page).startswith("Choose your chair")
    assert not students.has_pin(r.class_dir / "Anna"), "no PIN was kept for a refused sign-in"


async def test_the_students_game_starts_in_the_chair_they_picked(room: Any, chairs: Any) -> None:
    r = await room(chairs=chairs)
    async with client() as s:
        status, _ = await _sign_in(s, r, "Boris", "sailor")
        assert status == 303
        async with s.ws_connect(r.url("/ws?width=100&height=30")) as ws:
            assert await wait_for(lambda: len(r.started()) == 1)
            assert r.started()[0]["argv"] == ["Boris", "--chair=sailor"]
            await ws.close()
    assert await wait_for(lambda: r.server.playing == {})
    async with client() as s:  # the same student, another lesson, the other chair: both games are theirs
        assert (await _sign_in(s, r, "Boris", "committee"))[0] == 303
        async with s.ws_connect(r.url("/ws")) as ws:
            assert await wait_for(lambda: len(r.started()) == 2)
            assert r.started()[1]["argv"] == ["Boris", "--chair=committee"]
            await ws.close()


def test_the_teachers_live_view_reads_each_save_in_its_chair_and_shows_it(chairs: Any, tmp_path: Path) -> None:
    committee, sailor = chairs
    for name, story in (("Anna", committee), ("Boris", sailor)):
        state = engine.new_game(story, seed=2)
        state = engine.choose(story, state, next(c.id for c in engine.choices(story, state) if c.enabled))
        SaveStore(tmp_path / "class" / name).autosave(story, state, {"student": name})
    rows = {row.name: row for row in RoomReader(committee, tmp_path / "class", {"committee": committee,
                                                                                 "sailor": sailor}).read()}
    assert (rows["Anna"].chair, rows["Boris"].chair) == ("committee", "sailor")
    assert rows["Boris"].problem is None and rows["Boris"].choices == 1


def test_pick_on_a_story_of_one_chair_is_a_clear_error(make_story: Any, tmp_path: Path, capsys: Any) -> None:
    folder = make_story()
    code = main(["serve", "--scenes", str(folder), "--chair", "pick", "--saves", str(tmp_path / "s"), "--log"])
    assert code == 2
    assert "--chair pick:" in capsys.readouterr().err


async def test_the_reading_mode_reads_the_chair_picked(room: Any, chairs: Any) -> None:
    committee, sailor = chairs
    r = await room(chairs=chairs, story=committee)
    async with client() as s:
        form = {"name": "Dasha", "code": CODE, "pin": "4821", "pin2": "4821", "chair": "sailor", "mode": "read"}
        async with s.post(r.url("/sign-in"), data=form) as resp:
            page = await resp.text()
        assert resp.status == 200 and "<h1>Anchor Square</h1>" in page
        assert "Kronstadt Soviet" in page, "the island's own Soviet, in the page's glossary links"
        async with s.post(r.url("/read/choose"), data={"choice": sailor.scenes["anchor_square"].choices[0].id}) as resp:
            assert resp.status == 200
    assert list(r.class_dir.glob("*/autosave-sailor.json")) and not list(r.class_dir.glob("*/autosave.json"))
