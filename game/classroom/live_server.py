"""`tauride class --live`: the vote server students' devices talk to, in the projected app's own loop.

aiohttp (already the served classroom's web library) runs as an
`AppRunner` inside the Textual app's asyncio loop: no thread, no second
framework, and the projected screen reads the same `BallotBox` the devices
write to. It keeps the served classroom's rules, from the same home
(`game.classroom.door`):

- loopback unless the teacher gives `--host`; a class code (constant-time
  compare, wrong codes limited per address);
- `Host` and `Origin` checked on every request (`HostCheck`);
- bounded: at most `max_connections` requests in flight, small bodies
  (`MAX_BODY`), a request rate per device and, before joining, per address
  (`RequestRate`; the address's is sized for a class behind one NAT),
  at most `BallotBox.max_devices` devices;
- a device token in an HttpOnly, SameSite=Strict cookie, nothing else kept.
"""

from __future__ import annotations

import logging
from typing import Awaitable, Callable

from aiohttp import web

from ..plain_text import sentence
from .ballot import BallotBox, BallotError
from .door import AttemptLimiter, BadForm, HostCheck, RequestRate, code_matches, read_form, this_server
from .signin_page import refusal_page
from .vote_page import VOTE_JS, ballot_fragment, join_page, vote_page

log = logging.getLogger("tauride.live")

COOKIE = "tauride_device"
JOIN_REQUESTS = 4
"""Requests a device makes before it has a token: the join page, the join, the browser's icon, a retry."""
MAX_BODY = 2 * 1024
"""A vote is a ballot number and a choice id: a few dozen bytes."""
CSP = ("default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")


class LiveVote:
    """The vote server: join with the class code, read the ballot, cast one vote per device."""

    def __init__(self, box: BallotBox, *, title: str, code: str | None, host: str = "localhost", port: int = 8765,
                 hosts: HostCheck | None = None, max_connections: int = 100,
                 rate: RequestRate | None = None, join_rate: RequestRate | None = None,
                 address_limit: AttemptLimiter | None = None) -> None:
        self.box = box
        self.title = title
        self.code = code
        """The class code devices type; None only when this computer alone can reach the server."""
        self.host, self.port = host, port
        self.hosts = hosts or this_server()
        self.max_connections = max_connections
        self.rate = rate or RequestRate(30, 10.0)
        """Requests per joined device: a poll every 1.5 s is 7 in 10 s."""
        self.join_rate = join_rate or RequestRate(JOIN_REQUESTS * box.max_devices, 10.0)
        """Requests per address from devices not yet joined. A whole class can sit behind one address
        (a school's NAT or proxy) and scan the QR code in the same few seconds, so the budget is the
        class's, not one phone's; it still bounds what an address that never joins can cost."""
        self.address_limit = address_limit or AttemptLimiter(10, 60.0)
        """Wrong class codes per address (a whole class behind one address still gets ten slips a minute)."""
        self.in_flight = 0
        self._runner: web.AppRunner | None = None

    # ------------------------------------------------------------ running in the app's loop
    def make_app(self) -> web.Application:
        app = web.Application(client_max_size=MAX_BODY, middlewares=[self._guard])
        app.add_routes([
            web.get("/", self.handle_page),
            web.post("/join", self.handle_join),
            web.get("/ballot", self.handle_ballot),
            web.post("/vote", self.handle_vote),
            web.get("/vote.js", self.handle_script),
        ])
        return app

    async def start(self) -> None:
        """Listen on host:port (an OSError, e.g. the port in use, is the caller's to report)."""
        runner = web.AppRunner(self.make_app(), access_log=None, handle_signals=False)
        await runner.setup()
        try:
            await web.TCPSite(runner, self.host, self.port, backlog=64).start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        log.info("live vote listening on %s:%s", self.host, self.port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # ------------------------------------------------------------ the rules every request meets
    @web.middleware
    async def _guard(self, request: web.Request,
                     handler: Callable[[web.Request], Awaitable[web.StreamResponse]]) -> web.StreamResponse:
        if not self.hosts.host_ok(request.host):
            return self._page(421, "This address is not the class vote's. Type the address on the board.")
        if request.method == "POST" and not self.hosts.origin_ok(request.headers.get("Origin"), request.host):
            return self._page(403, "This page was opened from another website. Type the address on the board.")
        if self.in_flight >= self.max_connections:
            return self._page(503, "The teacher's computer is busy. Wait a moment and try again.")
        token = self._device(request)
        rate, key = (self.rate, token) if token else (self.join_rate, request.remote or "?")
        if not rate.allow(key):
            return self._answer(request, 429, "Too many requests from this device: slow down, then try again."
                                if token else "Too many requests from this network: wait a few seconds, then try again.")
        self.in_flight += 1
        try:
            response = await handler(request)
        except web.HTTPException as exc:
            if exc.status < 400:
                raise
            return self._page(exc.status, "There is no such page here." if exc.status == 404 else
                              "The class vote cannot do that.")
        finally:
            self.in_flight -= 1
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("Cache-Control", "no-store")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response

    def _page(self, status: int, message: str) -> web.Response:
        return web.Response(status=status, text=refusal_page(self.title, message), content_type="text/html",
                            headers={"Content-Security-Policy": CSP})

    @staticmethod
    def wants_json(request: web.Request) -> bool:
        return "application/json" in request.headers.get("Accept", "")

    def _answer(self, request: web.Request, status: int, message: str) -> web.Response:
        if self.wants_json(request):
            return web.json_response({"ok": False, "message": message}, status=status)
        return self._page(status, message)

    def _device(self, request: web.Request) -> str | None:
        token = request.cookies.get(COOKIE)
        return token if self.box.known(token) else None

    # ------------------------------------------------------------ pages
    async def handle_page(self, request: web.Request) -> web.Response:
        token = self._device(request)
        if token is None:
            if self.code is None:  # this computer alone can reach it: no code to type
                return self._joined()
            return web.Response(text=join_page(self.title, request.query.get("code", "")[:32]),
                                content_type="text/html")
        return web.Response(text=vote_page(self.title, self.box.current, self.box.voted(token)),
                            content_type="text/html")

    def _joined(self) -> web.Response:
        """A new device token in a cookie, and on to the vote page (or why not: the vote is full)."""
        try:
            token = self.box.join()
        except BallotError as no:
            return self._page(no.status, no.message)
        response = web.Response(status=303, headers={"Location": "/"})
        response.set_cookie(COOKIE, token, httponly=True, samesite="Strict", path="/", max_age=6 * 3600)
        return response

    async def handle_join(self, request: web.Request) -> web.Response:
        peer = request.remote or "?"
        wait = self.address_limit.wait(peer)
        if wait:
            return web.Response(status=429, text=join_page(self.title, message=f"Too many wrong codes from this "
                                f"device. Wait {wait:.0f} seconds, then try again."), content_type="text/html")
        try:
            form = await read_form(request)
        except BadForm as no:
            return web.Response(status=400, text=join_page(self.title, "", str(no)), content_type="text/html")
        typed = form.get("code", "")[:32]
        if self.code is not None and not code_matches(self.code, typed):
            self.address_limit.fail(peer)
            return web.Response(status=403, text=join_page(self.title, typed, "That is not this class's code. "
                                "Check the board."), content_type="text/html")
        if self._device(request) is not None:  # joined already: keep the token (and its votes)
            raise web.HTTPSeeOther("/")
        return self._joined()

    async def handle_script(self, request: web.Request) -> web.Response:
        return web.Response(text=VOTE_JS, content_type="application/javascript")

    # ------------------------------------------------------------ the ballot
    def _state(self, token: str) -> dict[str, object]:
        version, fragment = ballot_fragment(self.box.current, self.box.voted(token))
        return {"version": version, "html": fragment}

    async def handle_ballot(self, request: web.Request) -> web.Response:
        token = self._device(request)
        if token is None:
            return web.json_response({"ok": False, "message": "Join first: reload the page and type the class code."},
                                     status=403)
        return web.json_response(self._state(token))

    async def handle_vote(self, request: web.Request) -> web.Response:
        token = self._device(request)
        try:
            form = await read_form(request)
        except BadForm as no:
            if self.wants_json(request):
                return web.json_response({"ok": False, "message": str(no)}, status=400)
            return self._page(400, str(no))
        try:
            try:
                number = int(form.get("ballot", "")[:12])
            except ValueError:  # no page of ours sends this: not "an earlier decision", which it was told
                raise BallotError(400, "That vote could not be read. Reload the page and vote again.") from None
            ballot = self.box.cast(token, number, form.get("choice", "")[:200])
        except BallotError as no:
            if self.wants_json(request):
                body: dict[str, object] = {"ok": False, "message": no.message}
                if token is not None:
                    body.update(self._state(token))
                return web.json_response(body, status=no.status)
            if token is None:
                return self._page(no.status, no.message)
            return web.Response(status=no.status, text=vote_page(self.title, self.box.current,
                                self.box.voted(token), no.message), content_type="text/html")
        assert token is not None
        label = next(o.label for o in ballot.options if o.id == ballot.votes[token])
        message = f"Vote taken: {sentence(label)}"
        if self.wants_json(request):
            return web.json_response({"ok": True, "message": message, **self._state(token)})
        return web.Response(text=vote_page(self.title, ballot, ballot.votes[token], message), content_type="text/html")


def join_url(host: str, port: int, code: str | None) -> str:
    """The address to put on the board (and in the QR code): a LAN address when the server listens on all."""
    from .serve_cmd import lan_addresses

    if host in ("0.0.0.0", "::", ""):
        shown = next(iter(lan_addresses()), "localhost")
    else:
        shown = host
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/" + (f"?code={code}" if code else "")
