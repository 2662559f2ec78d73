"""`tauride class --live`: students vote from their own devices, the projected screen counts.

The class app runs headless (Pilot) with its vote server listening on
loopback in the same loop; devices are an aiohttp client (for the door's
rules: code, Host, Origin, sizes, rates, one vote per device) and Debian's
Chromium through Playwright (30 devices voting in one decision, the
projected tally equal to the votes cast). Everything is bounded and stops
by itself.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
from pathlib import Path
from typing import AsyncIterator

import aiohttp
import pytest

from game import engine
from game.classroom.ballot import BallotBox, BallotError, Option
from game.classroom.door import HostCheck, RequestRate
from game.classroom.group.app import ClassApp
from game.classroom.group.join_panel import qr_lines, spaced
from game.classroom.group.play import ClassPlayScreen
from game.classroom.group.screens import PickChoice, ReflectionPrompt
from game.classroom.live_server import LiveVote
from game.saves import SaveStore
from game.story import Story

SIZE = (120, 40)
CODE = "K7M3QX"
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = os.environ.get("TAURIDE_SHOTS")
"""A folder to keep the screenshots in, for a person to look at."""


def device() -> aiohttp.ClientSession:
    """A phone: keeps its cookie even though the server is reached by IP address."""
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# ------------------------------------------------------------ the ballot box, alone
def test_one_vote_per_device_per_ballot_and_each_refusal_says_why():
    box = BallotBox()
    a, b = box.join(), box.join()
    ballot = box.open("The wire", [Option("keep", "Keep it"), Option("tell", "Tell")])
    box.cast(a, ballot.number, "keep")
    with pytest.raises(BallotError, match="voted on this decision already"):
        box.cast(a, ballot.number, "tell")
    with pytest.raises(BallotError, match="not joined"):
        box.cast("made-up", ballot.number, "tell")
    with pytest.raises(BallotError, match="not one of the choices"):
        box.cast(b, ballot.number, "phone")
    with pytest.raises(BallotError, match="earlier decision"):
        box.cast(b, ballot.number - 1, "tell")
    assert box.close() == {"keep": 1, "tell": 0}
    with pytest.raises(BallotError, match="closed"):
        box.cast(b, ballot.number, "tell")
    box.reopen()
    box.cast(b, ballot.number, "tell")
    again = box.open("The wire", [Option("keep", "Keep it"), Option("tell", "Tell")])  # after an undo
    assert again.number != ballot.number and again.counts() == {"keep": 0, "tell": 0}
    box.cast(a, again.number, "tell")  # a new ballot: the same device votes again


def test_the_box_holds_a_bounded_number_of_devices():
    box = BallotBox(max_devices=2)
    box.join(), box.join()
    with pytest.raises(BallotError, match="2 devices have joined already"):
        box.join()


def test_the_qr_code_is_square_half_blocks_and_the_code_is_spaced_for_the_back_row():
    lines = qr_lines("http://192.168.1.20:8765/?code=K7M3QX")
    assert len({len(line) for line in lines}) == 1
    assert set("".join(lines)) <= set("█▀▄ ")
    assert abs(len(lines[0]) - 2 * len(lines)) <= 2  # two modules per cell, top and bottom
    assert spaced("K7M3QX") == "K 7 M   3 Q X"


# ------------------------------------------------------------ the class app with its vote server
def live_app(story: Story, tmp_path: Path, port: int, **kwargs: object) -> ClassApp:
    live = LiveVote(BallotBox(), title=story.title, code=CODE, host="127.0.0.1", port=port,
                    hosts=HostCheck(names={"localhost"}), **kwargs)  # type: ignore[arg-type]
    return ClassApp(story, SaveStore(tmp_path / "class"), "lesson", engine.new_game(story, seed=5), live=live)


async def join(session: aiohttp.ClientSession, base: str, code: str = CODE) -> int:
    async with session.post(f"{base}/join", data={"code": code}, headers={"Origin": base},
                            allow_redirects=False) as r:
        return r.status


async def ballot_of(session: aiohttp.ClientSession, base: str) -> dict:
    async with session.get(f"{base}/ballot", headers={"Accept": "application/json"}) as r:
        assert r.status == 200, await r.text()
        return dict(await r.json())


async def cast(session: aiohttp.ClientSession, base: str, number: int, choice: str) -> tuple[int, dict]:
    async with session.post(f"{base}/vote", data={"ballot": str(number), "choice": choice},
                            headers={"Origin": base, "Accept": "application/json"}) as r:
        return r.status, dict(await r.json())


def number_of(state: dict) -> int:
    return int(state["version"].split(":")[0])


async def test_devices_join_with_the_code_vote_once_and_the_screen_counts(class_story, tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    app = live_app(class_story, tmp_path, port)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.join_url == f"{base}/?code={CODE}"
        async with device() as wrong:
            assert await join(wrong, base, "NOPE99") == 403
            async with wrong.get(f"{base}/ballot") as r:
                assert r.status == 403
        sessions = [device() for _ in range(5)]
        try:
            for s in sessions:
                assert await join(s, base, "k7m-3qx") == 303  # case and hyphens do not matter, as in serve
            state = await ballot_of(sessions[0], base)
            assert "Read it aloud" in state["html"] and 'name="choice" value="tell"' in state["html"]
            n = number_of(state)
            for s, choice in zip(sessions, ["tell", "tell", "tell", "keep", "phone"]):
                status, body = await cast(s, base, n, choice)
                assert status == 200 and body["ok"], body
            status, body = await cast(sessions[0], base, n, "keep")
            assert status == 409 and "one vote per device" in body["message"]
            await asyncio.sleep(0.7)  # the screen polls the box twice a second
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, ClassPlayScreen)
            assert "5 votes so far · ahead: Read it aloud" in str(screen.query_one("#tally").render())
            assert "3 votes" in str(screen.query_one(f"#n{screen.generation}-2").render())
            await pilot.press("c")  # the teacher closes the vote
            await pilot.pause()
            status, body = await cast(sessions[0], base, n, "keep")  # too late
            assert status == 409
            assert isinstance(app.screen, ReflectionPrompt) or app.state.log
            if isinstance(app.screen, ReflectionPrompt):
                await pilot.press("escape")
                await pilot.pause()
            assert app.state.log[-1].choice == "tell"
            assert app.state.log[-1].votes == {"keep": 1, "tell": 3, "phone": 1}
            state = await ballot_of(sessions[0], base)  # the next decision opened a new ballot
            assert number_of(state) != n
        finally:
            for s in sessions:
                await s.close()
    saved = json.loads((tmp_path / "class" / "lesson.json").read_text(encoding="utf-8"))
    assert saved["state"]["log"][0]["votes"] == {"keep": 1, "tell": 3, "phone": 1}


async def test_a_tie_from_devices_goes_to_the_teacher_and_escape_reopens_the_vote(class_story, tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    app = live_app(class_story, tmp_path, port)
    async with app.run_test(size=SIZE) as pilot, device() as a, device() as b:
        await pilot.pause()
        await join(a, base), await join(b, base)
        n = number_of(await ballot_of(a, base))
        await cast(a, base, n, "keep"), await cast(b, base, n, "tell")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PickChoice) and "A tie" in app.screen.why
        await pilot.press("escape")
        await pilot.pause()
        async with device() as c:
            await join(c, base)
            status, _ = await cast(c, base, n, "keep")  # the vote is open again; votes cast stay
            assert status == 200
        await asyncio.sleep(0.7)
        await pilot.press("enter")
        await pilot.pause()
        if isinstance(app.screen, ReflectionPrompt):
            await pilot.press("escape")
            await pilot.pause()
        assert app.state.log[-1].choice == "keep" and app.state.log[-1].votes == {"keep": 2, "tell": 1, "phone": 0}


async def test_the_vote_server_keeps_the_doors_rules(class_story, tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    app = live_app(class_story, tmp_path, port, rate=RequestRate(8, 60.0), join_rate=RequestRate(8, 60.0))
    async with app.run_test(size=SIZE) as pilot, device() as s:
        await pilot.pause()
        async with s.get(f"{base}/", headers={"Host": "evil.example"}) as r:  # DNS rebinding
            assert r.status == 421
        async with s.post(f"{base}/join", data={"code": CODE}, headers={"Origin": "http://evil.example"}) as r:
            assert r.status == 403 and "another website" in await r.text()
        async with s.post(f"{base}/vote", data={"ballot": "1", "choice": "x" * 5000}, headers={"Origin": base}) as r:
            assert r.status == 413
        async with s.post(f"{base}/vote", data={"choice": "tell"}, headers={"Origin": base}) as r:  # no ballot
            assert r.status == 400 and "That vote could not be read" in await r.text()
        for path in ("/join", "/vote"):  # a body no browser sends: words and a 400, not a server error
            async with s.post(f"{base}{path}", data=b"code=\xff", headers={
                    "Origin": base, "Content-Type": "application/x-www-form-urlencoded"}) as r:
                assert r.status == 400 and "The form could not be read." in await r.text()
        async with s.get(f"{base}/") as r:
            page = await r.text()
            assert r.status == 200 and "Class code" in page
            assert r.headers["Content-Security-Policy"].startswith("default-src 'none'; script-src 'self'")
        statuses = []
        for _ in range(12):
            async with s.get(f"{base}/vote.js") as r:
                statuses.append(r.status)
        assert statuses.count(429) >= 4, statuses  # the address's rate holds a script that never joins
    app = live_app(class_story, tmp_path, port, rate=RequestRate(8, 60.0))
    async with app.run_test(size=SIZE) as pilot, device() as s:
        await pilot.pause()
        assert await join(s, base) == 303
        statuses, said = [], ""
        for _ in range(12):
            async with s.get(f"{base}/ballot", headers={"Accept": "application/json"}) as r:
                statuses.append(r.status)
                said = (await r.json()).get("message", "")
        assert statuses.count(429) >= 4, statuses  # the device's rate holds a joined script polling far too fast
        assert "from this device: slow down" in said


async def test_a_whole_class_behind_one_address_joins_at_once(class_story, tmp_path):
    """Thirty phones behind one address (a school's NAT) scan the code in the same second: all get in.

    The address's rate is the class's, not one phone's: it once refused the class
    after the eighth phone (30 requests in 10 s, three per phone before joining).
    """
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    app = live_app(class_story, tmp_path, port)  # the default rates

    async def phone() -> tuple[int, int, int, int]:
        async with device() as s:
            async with s.get(f"{base}/?code={CODE}") as page:
                pass
            async with s.get(f"{base}/favicon.ico") as icon:
                pass
            joined = await join(s, base)
            async with s.get(f"{base}/ballot", headers={"Accept": "application/json"}) as ballot:
                return page.status, icon.status, joined, ballot.status

    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        answers = await asyncio.wait_for(asyncio.gather(*(phone() for _ in range(30))), 60)
    assert answers == [(200, 404, 303, 200)] * 30


async def test_a_port_in_use_ends_the_app_with_words(class_story, tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        app = live_app(class_story, tmp_path, taken.getsockname()[1])
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
        assert app.return_code == 1


# ------------------------------------------------------------ thirty phones in Chromium
@pytest.fixture
async def browser() -> AsyncIterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (scripts/test installs it)")
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        b = await p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            yield b
        finally:
            await b.close()


@pytest.mark.e2e
async def test_thirty_devices_vote_and_the_projected_tally_equals_the_votes_cast(class_story, tmp_path, browser):
    port = free_port()
    app = live_app(class_story, tmp_path, port)
    choices = ["tell"] * 14 + ["keep"] * 10 + ["phone"] * 6
    label = {"keep": "Keep it secret", "tell": "Read it aloud", "phone": "Ring the regiments first"}
    limit = asyncio.Semaphore(6)  # two cores: six phones at a time
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()

        async def phone(i: int, choice: str) -> str:
            async with limit:
                ctx = await browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,  # type: ignore[attr-defined]
                                                device_scale_factor=2)
                try:
                    page = await ctx.new_page()
                    await page.goto(app.join_url, timeout=15_000)  # as from the QR code: the code filled in
                    assert await page.input_value("#code") == CODE
                    await page.get_by_role("button", name="Join the vote").click()
                    button = page.get_by_role("button", name=label[choice], exact=False)
                    await button.click(timeout=15_000)
                    await page.get_by_text("Your vote is in").wait_for(timeout=15_000)
                    if i == 0:
                        if SHOTS:
                            await page.screenshot(path=str(Path(SHOTS) / "vote-phone.png"))
                        # the same device again: the page offers no buttons, and a forged post is refused
                        await page.reload()
                        assert await page.get_by_role("button").count() == 0
                        answer = await page.evaluate(
                            "async () => { const r = await fetch('/vote', {method: 'POST', body: new URLSearchParams("
                            "{ballot: document.querySelector('#ballot').dataset.version.split(':')[0], "
                            "choice: 'keep'}), headers: {'Accept': 'application/json'}}); "
                            "return [r.status, (await r.json()).message]; }")
                        assert answer[0] == 409 and "one vote per device" in answer[1]
                    return choice
                finally:
                    await ctx.close()

        cast_votes = await asyncio.wait_for(asyncio.gather(*(phone(i, c) for i, c in enumerate(choices))), 240)
        await asyncio.sleep(0.7)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ClassPlayScreen)
        tally_line = str(screen.query_one("#tally").render())
        assert "30 votes so far · ahead: Read it aloud" in tally_line
        shown = [str(screen.query_one(f"#n{screen.generation}-{i}").render()) for i in (1, 2, 3)]
        assert shown == [f"{cast_votes.count(c)} votes" for c in ("keep", "tell", "phone")] == \
            ["10 votes", "14 votes", "6 votes"]
        if SHOTS:
            app.save_screenshot(str(Path(SHOTS) / "projected-tally.svg"))
        await pilot.press("c")
        await pilot.pause()
        if isinstance(app.screen, ReflectionPrompt):
            await pilot.press("escape")
            await pilot.pause()
        assert app.state.log[-1].votes == {"keep": 10, "tell": 14, "phone": 6}


@pytest.mark.e2e
async def test_the_join_and_vote_pages_read_well_with_a_screen_reader(browser, tmp_path):
    """axe-core (npm; scripts/test installs it) finds nothing on a phone; the choices are buttons in a group."""
    axe = Path(__file__).resolve().parent.parent / ".cache" / "test-npm" / "node_modules" / "axe-core" / "axe.min.js"
    if not axe.exists():
        pytest.skip(f"axe-core is not installed ({axe}): scripts/test installs it with npm")
    port = free_port()
    box = BallotBox()
    box.open("The armoured cars", [Option("wave", "Wave the column on"), Option("foot", "Go in on foot")])
    live = LiveVote(box, title="July Days", code=CODE, host="127.0.0.1", port=port,
                    hosts=HostCheck(names={"localhost"}))
    await live.start()
    try:
        # the page's Content-Security-Policy refuses injected scripts, rightly: the test lifts it for axe only
        ctx = await browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,  # type: ignore[attr-defined]
                                        bypass_csp=True)
        page = await ctx.new_page()
        await page.goto(f"http://127.0.0.1:{port}/?code={CODE}")
        for stage in ("join", "vote"):
            await page.add_script_tag(path=str(axe))
            found = await page.evaluate("async () => (await axe.run(document)).violations"
                                        ".filter(v => ['serious', 'critical'].includes(v.impact)).map(v => v.id)")
            assert found == [], f"{stage} page: {found}"
            if stage == "join":
                await page.get_by_role("button", name="Join the vote").click()
                await page.wait_for_selector("form.vote")
        tree = await page.locator("body").aria_snapshot()
        assert '- group "What should we do? Choose one."' in tree and '- button "1. Wave the column on"' in tree
        await ctx.close()
    finally:
        await live.stop()


async def test_a_projector_of_100_columns_shows_the_keys_a_live_vote_needs(class_story, tmp_path):
    """Textual's footer was cut at "o Overr" at 100 columns, hiding c (close the vote), j, u and q: the key line
    shows whole keys, the lesson's most needed first, undo and quit kept."""
    from game.tui.widgets.key_bar import KeyBar

    app = live_app(class_story, tmp_path, free_port())
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        line = app.screen.query_one(KeyBar).render().plain
        assert len(line.rstrip()) <= 100
        for key in (" c Close the vote", " o Overrule", " u Undo", " q Quit (saved)"):
            assert key in line, line


async def test_more_device_votes_than_the_class_size_are_said_and_the_vote_stands(class_story, tmp_path):
    """Typed counts above --class-size are refused; devices vote once each, so more votes than students means a
    device from outside the class joined: the teacher is told when closing the vote (it read '4 of 3 votes')."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    live = LiveVote(BallotBox(), title=class_story.title, code=CODE, host="127.0.0.1", port=port,
                    hosts=HostCheck(names={"localhost"}))
    app = ClassApp(class_story, SaveStore(tmp_path / "class"), "lesson", engine.new_game(class_story, seed=5),
                   live=live, class_size=1)
    said: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        app.notify = lambda message, **kw: said.append(str(message))  # type: ignore[method-assign]
        await pilot.pause()
        sessions = [device() for _ in range(2)]
        try:
            for s in sessions:
                assert await join(s, base) == 303
            n = number_of(await ballot_of(sessions[0], base))
            for s in sessions:
                assert (await cast(s, base, n, "tell"))[0] == 200
            await asyncio.sleep(0.7)
            await pilot.press("c")
            await pilot.pause()
        finally:
            for s in sessions:
                await s.close()
    assert any(m.startswith("2 votes from devices, but the class has 1 student (--class-size)") for m in said), said
    assert app.state.log and app.state.log[-1].votes == {"keep": 0, "tell": 2, "phone": 0}


def test_a_vote_for_a_choice_that_ends_a_sentence_gets_one_full_stop():
    """'Your vote is in: Agree. The wire stays in this room..' (and 'Vote taken: … room..'): one stop."""
    from game.classroom.ballot import Ballot, Option
    from game.classroom.vote_page import ballot_fragment

    ballot = Ballot(1, "The wire", (Option("agree", "Agree. The wire stays in this room."), Option("no", "Refuse")))
    _, html = ballot_fragment(ballot, "agree")
    assert "<strong>Agree. The wire stays in this room.</strong> One vote" in html
    _, html = ballot_fragment(ballot, "no")
    assert "<strong>Refuse</strong>. One vote" in html
