"""The reading mode's new game opens as the terminal's does: the content note, then at a chapter the story so far.

The real server (aiohttp) on loopback with the shipped story and the
recording stand-in game of test_classroom_serve_door.py; a student signs in
with "Read it instead" and the page is read as text, in order. The same
page in Chromium, with its accessibility tree, is in test_classroom_reader.py.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest
from test_classroom_serve_door import CODE, Room, client

from game import engine
from game.story.model import Story
from game.story_folder import load_folder
from game.views.chapters import chapter_state
from game.views.teaching import content_note_text

SCENES = Path(__file__).resolve().parent.parent / "scenes"


@pytest.fixture(scope="module")
def july() -> Story:
    return load_folder(str(SCENES))


def text_of(page: str) -> str:
    """The page's words in reading order, as a screen reader goes through them: no tags, one space apart."""
    body = re.sub(r"<(style|title)>.*?</\1>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def words(text: str) -> str:
    return " ".join(text.split())


async def read_first_page(r: Room, name: str = "Vera") -> tuple[Any, str]:
    s = client()
    form = {"name": name, "code": CODE, "pin": "4821", "pin2": "4821", "mode": "read"}
    async with s.post(r.url("/sign-in"), data=form) as resp:
        assert resp.status == 200 and str(resp.url).endswith("/read")
        return s, await resp.text()


async def test_a_new_game_read_in_the_browser_opens_with_the_content_note(room: Any, july: Story) -> None:
    r = await room(story=july)
    s, page = await read_first_page(r)
    async with s:
        text = text_of(page)
        first = engine.scene_title(july, engine.new_game(july))
        assert july.content_note is not None
        note = words(content_note_text(july.content_note))  # plain mode's words for it
        assert note.startswith("Content note · for ages 15+. This story shows political violence")
        assert "Before you begin" in text and note in text and first in text
        assert text.index("Before you begin") < text.index(note) < text.index(first), text
        assert '<h2 id="before-you-begin">Before you begin</h2>' in page and page.index("<h2") < page.index("<h1>")
        assert "The story so far" not in text, "no chapter: nothing to sum up"
        # once the first choice is saved the game is no longer new: the next page goes straight on
        choice = next(c.id for c in engine.choices(july, engine.new_game(july)) if c.enabled)
        async with s.post(r.url("/read/choose"), data={"choice": choice}) as resp:
            assert resp.status == 200
            assert "Before you begin" not in await resp.text()
        async with s.get(r.url("/read")) as resp:
            assert "Content note" not in await resp.text()


async def test_a_chapter_read_in_the_browser_opens_with_the_note_then_the_story_so_far(room: Any,
                                                                                         july: Story) -> None:
    r = await room(story=july, chapter=3)
    s, page = await read_first_page(r, "Mikhail")
    async with s:
        text = text_of(page)
        chapter = july.chapters[2]
        so_far = words(f"Chapter 3: {chapter.title}. The story so far: {chapter.so_far}")
        assert so_far.startswith("Chapter 3: The sailors at the gate. The story so far: At four o'clock a wire")
        assert july.content_note is not None
        note = words(content_note_text(july.content_note))
        first = engine.scene_title(july, chapter_state(july, 3))
        assert text.index("Before you begin") < text.index(note) < text.index(so_far) < text.index(first), text


async def test_a_reader_has_their_journal_and_the_timeline_as_plain_mode_says_them(room: Any, july: Story) -> None:
    """The reading mode's journal and timeline: plain mode's words, an entry or a time a heading."""
    from game.plain_text import journal_lines, timeline_lines
    from game.views import journal, timeline

    r = await room(story=july)
    s, page = await read_first_page(r, "Pavel")
    async with s:
        assert '<a href="/read/journal">Your journal</a>' in page and '<a href="/read/timeline">Timeline</a>' in page
        start = engine.new_game(july)
        choice = next(c for c in engine.choices(july, start) if c.enabled and not c.reflect)
        async with s.post(r.url("/read/choose"), data={"choice": choice.id}) as resp:
            assert resp.status == 200
        played = engine.choose(july, start, choice.id)  # the same step, as the server took it
        async with s.get(r.url("/read/journal")) as resp:
            assert resp.status == 200
            page = await resp.text()
        text = text_of(page)
        said = words(" ".join(journal_lines(july, journal(july, played))))
        assert words(text).endswith(said) and "You chose: " + choice.text in text, text
        assert page.count("<h2>") == 2 and "<h2>Entry 1. " in page and "<h2>Entry 2. " in page
        assert '<a href="/read">Back to the story</a>' in page
        async with s.get(r.url("/read/timeline")) as resp:
            assert resp.status == 200
            page = await resp.text()
        text = text_of(page)
        plain = timeline_lines(timeline(july, played))
        times = [line[:-1] for line in plain if line.endswith(":") and line[:2].isdigit()]
        assert [f"<h2>{t}</h2>" in page for t in times] == [True] * len(times) and len(times) > 3
        lines = [line.strip() for line in plain[1:] if not line.endswith(":")]
        assert all(line in text for line in lines), [line for line in lines if line not in text]
        assert "You: " + engine.scene_title(july, start) in text and "You are here." in text


def _autosave(r: Room) -> dict[str, Any]:
    import json

    (saved,) = r.class_dir.rglob("autosave*.json")
    return json.loads(saved.read_text(encoding="utf-8"))


def _autosave_log(r: Room) -> list[Any]:
    return _autosave(r)["state"]["log"]


async def test_a_reader_takes_back_a_choice_as_the_game_does_and_nothing_before_the_first(room: Any,
                                                                                          july: Story) -> None:
    from game.words import NOTHING_TO_UNDO

    r = await room(story=july)
    s, page = await read_first_page(r, "Nina")
    async with s:
        start = engine.new_game(july)
        first = engine.scene_title(july, start)
        assert 'action="/read/undo"' not in page  # nothing to take back yet: no button
        async with s.post(r.url("/read/undo")) as resp:  # and a stale form is told why, on the scene's page
            assert resp.status == 400 and NOTHING_TO_UNDO in text_of(await resp.text())
        choice = next(c for c in engine.choices(july, start) if c.enabled and not c.reflect)
        async with s.post(r.url("/read/choose"), data={"choice": choice.id}) as resp:
            page = await resp.text()
        assert f"<h1>{html.escape(first)}</h1>" not in page and 'action="/read/undo"' in page
        assert len(_autosave_log(r)) == 1
        async with s.post(r.url("/read/undo")) as resp:
            assert resp.status == 200 and str(resp.url).endswith("/read")
            page = await resp.text()
        assert f"<h1>{html.escape(first)}</h1>" in page and 'action="/read/undo"' not in page
        assert _autosave_log(r) == []  # the autosave holds the game as it is now: back at its start


async def test_an_assessed_run_read_in_the_browser_takes_nothing_back(room: Any, july: Story) -> None:
    from game.words import UNDO_LOCKED

    r = await room(story=july, locked=True)
    s, _ = await read_first_page(r, "Oleg")
    async with s:
        start = engine.new_game(july)
        choice = next(c for c in engine.choices(july, start) if c.enabled and not c.reflect)
        async with s.post(r.url("/read/choose"), data={"choice": choice.id}) as resp:
            assert 'action="/read/undo"' not in await resp.text()
        async with s.post(r.url("/read/undo")) as resp:
            assert resp.status == 400 and UNDO_LOCKED in text_of(await resp.text())
        assert len(_autosave_log(r)) == 1 and _autosave(r)["meta"]["locked"] is True  # marked, as the game's saves are


async def test_a_readers_minutes_count_and_are_kept_as_the_games_are(room: Any, july: Story) -> None:
    """Time on task: every page asked for is an input (gaps capped, as keys in the game); each autosave
    keeps the minutes, and the next sign-in goes on from them, so the teacher's view counts a reader too."""
    import itertools

    from game.active_time import META_KEY, ActiveTime

    r = await room(story=july)
    s, _ = await read_first_page(r, "Raisa")
    async with s:
        ((_, session, _),) = r.server.readers.values()
        ticks = itertools.count(1000, 45)  # each page 45 s after the one before
        session.active = ActiveTime(0, clock=lambda: next(ticks))
        async with s.get(r.url("/read/journal")) as resp:  # the first input: the clock starts
            assert resp.status == 200
        choice = next(c for c in engine.choices(july, engine.new_game(july)) if c.enabled and not c.reflect)
        async with s.post(r.url("/read/choose"), data={"choice": choice.id}) as resp:
            assert resp.status == 200
        assert _autosave(r)["meta"][META_KEY] == 45  # saved with the choice: the gap before it
        assert round(session.active.seconds) == 90  # and the page the choice led to, kept for the next save
    r.server.readers.clear()  # the lesson over (one place at a time: a reader still signed in is refused)
    s, _ = await read_first_page(r, "Raisa")  # signing in again, as at the next lesson: on from what was saved
    async with s:
        ((_, session, _),) = r.server.readers.values()
        assert round(session.active.seconds) == 45


async def test_a_readers_minutes_after_the_last_choice_are_kept_without_another_choice(room: Any, july: Story) -> None:
    """Reading after the last choice (a long scene, an ending, the journal) counts: the autosave takes the
    minutes once a minute of them is unsaved, and the rest when the session ends, as the game writes its own
    when it closes; a page never says it is closing."""
    import itertools

    from test_classroom_serve_door import wait_for

    from game.active_time import META_KEY, ActiveTime

    r = await room(story=july, idle_timeout=3.0)
    s, _ = await read_first_page(r, "Lidia")
    async with s:
        ((_, session, _),) = r.server.readers.values()
        ticks = itertools.count(1000, 45)  # each page 45 s after the one before
        session.active = ActiveTime(0, clock=lambda: next(ticks))
        async with s.get(r.url("/read/journal")) as resp:  # the clock starts; no game of her own yet
            assert resp.status == 200
        choice = next(c for c in engine.choices(july, engine.new_game(july)) if c.enabled and not c.reflect)
        async with s.post(r.url("/read/choose"), data={"choice": choice.id}) as resp:  # and the scene it led to
            assert resp.status == 200
        assert _autosave(r)["meta"][META_KEY] == 45
        log = _autosave_log(r)
        async with s.get(r.url("/read/timeline")) as resp:  # 135 s: a minute and more unsaved, written
            assert resp.status == 200
        assert _autosave(r)["meta"][META_KEY] == 135 and _autosave_log(r) == log  # the game itself unchanged
        async with s.get(r.url("/read")) as resp:  # 180 s: under a minute unsaved, not yet
            assert resp.status == 200
        assert _autosave(r)["meta"][META_KEY] == 135
        assert await wait_for(lambda: not r.server.readers)  # the session ends, idle: the rest is written
        assert _autosave(r)["meta"][META_KEY] == 180 and _autosave_log(r) == log


async def test_a_reader_signs_out_their_minutes_kept_their_place_given_back_and_the_browser_forgets_them(
        room: Any, july: Story) -> None:
    """On a shared computer the next student must not go on as this one; and a reader's place in the class (and
    their name, which another sign-in would be refused as "already playing") is free at once, not in 20 minutes."""
    r = await room(story=july)
    s, page = await read_first_page(r, "Zina")
    async with s:
        assert 'action="/read/sign-out"' in page
        choice = next(c for c in engine.choices(july, engine.new_game(july)) if c.enabled and not c.reflect)
        async with s.post(r.url("/read/choose"), data={"choice": choice.id}) as resp:
            assert resp.status == 200
        async with s.post(r.url("/read/sign-out")) as resp:
            assert resp.status == 200 and "You have signed out. Your game is saved" in text_of(await resp.text())
        assert not r.server.readers
        async with s.get(r.url("/read"), allow_redirects=False) as resp:  # the browser is no one now
            assert resp.status == 303 and resp.headers["Location"] == "/"
    s, page = await read_first_page(r, "Zina")  # and may sign in again at once, going on
    async with s:
        assert len(_autosave_log(r)) == 1 and "Before you begin" not in text_of(page)
        async with s.post(r.url("/read/sign-out"), headers={"Origin": "http://evil.example"}) as resp:
            assert resp.status == 403  # another site cannot sign a student out
        assert r.server.readers


async def test_a_reader_at_an_ending_starts_a_new_game_and_the_finished_one_is_kept(room: Any, july: Story) -> None:
    """As in the game: a new game from the ending opens with the content note; the finished game stays in the
    autosave until the new game's first choice, and is kept as a finished save; a game going on has no new one."""
    import random

    r = await room(story=july)
    s, _ = await read_first_page(r, "Sonya")
    async with s:
        async with s.post(r.url("/read/new")) as resp:  # not at an ending: the game goes on
            assert resp.status == 400 and "begins once this one has ended" in text_of(await resp.text())
        ((_, session, _),) = r.server.readers.values()
        rng, ended = random.Random(4), engine.new_game(july, seed=4)
        while not engine.is_ending(july, ended):
            views = [v for v in engine.choices(july, ended) if v.enabled]
            pick = rng.choice(views)
            ended = engine.choose(july, ended, pick.id, answer="because" if pick.reflect else None)
        session.store.autosave(july, ended, session.save_meta())  # the student played to this ending
        async with s.get(r.url("/read")) as resp:
            page = await resp.text()
        assert "<h2>Ending: " in page and 'action="/read/new"' in page
        finished = sorted(p.name for p in session.store.folder.glob("finished*.json"))
        assert len(finished) == 1
        before = _autosave(r)
        async with s.post(r.url("/read/new")) as resp:
            assert resp.status == 200 and str(resp.url).endswith("/read")
            page = await resp.text()
        first = engine.scene_title(july, engine.new_game(july))
        text = text_of(page)
        assert "Before you begin" in text and first in text and "Ending:" not in text
        assert _autosave(r) == before  # nothing written until the new game's first choice
        choice = next(c for c in engine.choices(july, engine.new_game(july)) if c.enabled and not c.reflect)
        async with s.post(r.url("/read/choose"), data={"choice": choice.id}) as resp:
            assert resp.status == 200 and "Before you begin" not in await resp.text()
        assert len(_autosave_log(r)) == 1  # the new game's
        assert sorted(p.name for p in session.store.folder.glob("finished*.json")) == finished  # kept, once
