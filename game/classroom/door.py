"""The served classroom's door: who may start a game, checked before any game process exists.

A game process costs 17–30 MB and a share of the CPU, so nothing that
arrives before sign-in may start one. The browser first gets a plain HTML form (name, class code,
PIN); the server checks it here and, when everything holds, hands the
browser a one-time ticket in a cookie (HttpOnly, SameSite=Strict). Only a
websocket carrying an unused ticket starts a game, and only for the
student the ticket names.

What the door refuses, and why:
- a request whose `Host` is not this server (a DNS-rebinding page), and a
  form or websocket whose `Origin` is another site (a page elsewhere
  opening games in a student's browser); `--allow-origin` adds origins;
- a wrong class code (compared in constant time) or PIN;
- a name already playing in a live session, so nobody opens another's game;
- more sign-ins once `max_students` are playing;
- an address that got the code or a PIN wrong too often lately, and a name
  whose PIN was got wrong too often (a guesser spread over many computers).
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
import string
import time
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from .students import Student

if TYPE_CHECKING:
    from aiohttp import web

CODE_ALPHABET = "".join(c for c in string.ascii_uppercase + string.digits if c not in "0O1IL")
"""Letters and digits nobody misreads on a projector: no 0/O, no 1/I/L."""
CODE_LENGTH = 6
"""31⁶ ≈ 890 million codes; with the address limit below a guesser tries a few hundred in a lesson."""
TICKET_SECONDS = 60.0
"""How long a ticket waits for its websocket: the page loads in a second or two."""
MAX_WIDTH, MAX_HEIGHT = 300, 120
"""The largest terminal a browser may ask for: a 4K screen at a small font, no more
(20000×20000 drove a game past 2.6 GB)."""
MIN_WIDTH, MIN_HEIGHT = 10, 5


def new_class_code() -> str:
    """A class code to print on start: CODE_LENGTH characters from CODE_ALPHABET, from the OS's randomness."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def code_matches(expected: str, typed: str) -> bool:
    """Case, spaces and hyphens do not matter (`k7m-3qx`); compared in constant time."""
    def tidy(s: str) -> bytes:
        return "".join(s.split()).replace("-", "").casefold().encode("utf-8")
    return hmac.compare_digest(tidy(expected), tidy(typed))


def clamp_size(width: object, height: object) -> tuple[int, int]:
    """A terminal size a browser asked for, as whole numbers within MIN..MAX (80×24 for nonsense)."""
    def whole(value: object, default: int) -> int:
        try:
            return int(str(value)[:8])
        except ValueError:
            return default
    w, h = whole(width, 80), whole(height, 24)
    return max(MIN_WIDTH, min(MAX_WIDTH, w)), max(MIN_HEIGHT, min(MAX_HEIGHT, h))


class BadForm(ValueError):
    """A posted form that cannot be read: bytes that are not its declared encoding, an unknown charset, a cut
    multipart body. A browser never sends one; the page answers 400, not a server error."""


async def read_form(request: "web.Request") -> dict[str, str]:
    """A posted form's fields (the first value of each; an uploaded file is no field of any form here).

    aiohttp raises `UnicodeDecodeError`, `LookupError` (an unknown charset) or `ValueError` (a cut multipart
    body) for a body no browser sends, which reached the log as a traceback and the sender as a 500.
    """
    try:
        form = await request.post()
    except (ValueError, LookupError):
        raise BadForm("The form could not be read. Reload the page and send it again.") from None
    fields: dict[str, str] = {}
    for key, value in form.items():
        if isinstance(value, str):
            fields.setdefault(key, value)
    return fields


def is_loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return host == "localhost"
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def split_host(value: str) -> str:
    """The host part of a `Host` header (`[::1]:8000` → `::1`), lower-case."""
    return (urlsplit("//" + value).hostname or "").lower()


@dataclass
class HostCheck:
    """Which `Host` and `Origin` headers are this server's.

    An IP address is always accepted as a Host (a DNS-rebinding attack needs a name);
    names are accepted when they are this computer's (`localhost`, its host name),
    the public URL's, or an allowed origin's.
    """

    names: set[str] = field(default_factory=set)
    """Host names (lower-case) that are this server."""
    origins: set[str] = field(default_factory=set)
    """Other origins (`scheme://host[:port]`) allowed to open games here (`--allow-origin`)."""

    def host_ok(self, host_header: str) -> bool:
        host = split_host(host_header)
        if not host:
            return False
        try:
            ipaddress.ip_address(host)
            return True
        except ValueError:
            return host in self.names

    def origin_ok(self, origin: str | None, host_header: str) -> bool:
        """No Origin (not a browser) passes; a browser's must be this very host, or allowed."""
        if origin is None:
            return True
        if origin.rstrip("/") in self.origins:
            return True
        parts = urlsplit(origin)
        return parts.scheme in ("http", "https") and parts.netloc.lower() == host_header.lower()


def this_server(origins: set[str] | None = None, public_url: str | None = None) -> HostCheck:
    """The Host/Origin check for a server on this computer: one home for `serve` and `class --live`."""
    import socket

    me = socket.gethostname().lower()
    names = {"localhost", me, me + ".local"}
    names |= {(urlsplit(o).hostname or "").lower() for o in origins or set()}
    if public_url:
        names.add((urlsplit(public_url).hostname or "").lower())
    return HostCheck(names=names - {""}, origins=set(origins or set()))


class AttemptLimiter:
    """At most `limit` failures per `window` seconds for each key (an address, a student)."""

    def __init__(self, limit: int, window: float) -> None:
        self.limit = limit
        self.window = window
        self._failures: dict[str, deque[float]] = {}

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures.get(key)
        if times is None:
            return deque()
        while times and now - times[0] > self.window:
            times.popleft()
        if not times:
            del self._failures[key]
        return times

    def wait(self, key: str, now: float | None = None) -> float:
        """Seconds until `key` may try again (0: now)."""
        now = time.monotonic() if now is None else now
        times = self._recent(key, now)
        if len(times) < self.limit:
            return 0.0
        return max(0.0, self.window - (now - times[0]))

    def forget(self, key: str) -> None:
        """Drop `key`'s failures: what they guarded is gone (a PIN the teacher reset)."""
        self._failures.pop(key, None)

    def fail(self, key: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        self._recent(key, now)
        self._failures.setdefault(key, deque()).append(now)
        if len(self._failures) > 10_000:  # a flood of made-up keys cannot grow memory without bound
            oldest = min(self._failures, key=lambda k: self._failures[k][-1])
            del self._failures[oldest]


class RequestRate(AttemptLimiter):
    """At most `limit` requests per `window` seconds for each key: every request counts, not only failures.

    The same bookkeeping as the failure limiter (one home for the sliding
    window); the live vote page polls once a second or two, so a device far
    above that is a script, and gets a 429 until it slows down.
    """

    def allow(self, key: str, now: float | None = None) -> bool:
        """Count this request; False when `key` is over its rate (the request is then refused)."""
        if self.wait(key, now):
            return False
        self.fail(key, now)
        return True


@dataclass(frozen=True)
class Ticket:
    """Proof that the browser holding it signed in as `who`, good once, until `expires`."""

    who: Student
    expires: float
    chair: str | None = None
    """The chair the student picked on the form (`serve --chair pick`); None: the server's own."""


class Tickets:
    """One-time tickets from sign-in to websocket, kept in memory only."""

    def __init__(self, ttl: float = TICKET_SECONDS) -> None:
        self.ttl = ttl
        self._open: dict[str, Ticket] = {}

    def _drop_expired(self) -> None:
        now = time.monotonic()
        for token in [t for t, ticket in self._open.items() if ticket.expires <= now]:
            del self._open[token]

    def issue(self, who: Student, chair: str | None = None) -> str:
        self._drop_expired()
        token = secrets.token_urlsafe(32)
        self._open[token] = Ticket(who, time.monotonic() + self.ttl, chair)
        return token

    def peek(self, token: str | None) -> Ticket | None:
        self._drop_expired()
        return self._open.get(token or "")

    def take(self, token: str | None) -> Ticket | None:
        """The ticket, removed: a second websocket with the same cookie starts nothing."""
        self._drop_expired()
        return self._open.pop(token or "", None)

    def pending(self) -> list[Ticket]:
        self._drop_expired()
        return list(self._open.values())
