"""The ballot box of live voting: one vote per device per decision, no accounts.

Pure and synchronous, so the projected screen (Textual) and the vote server
(aiohttp) — both in one asyncio loop — share one object with no locking,
and tests can drive it without a network. A device is a random token the
server hands out once the class code is right (kept in a cookie); nothing
about the student is known or kept. A ballot is numbered: each decision
(and each return to a decision after undo) opens a new number, so a vote
cast for one decision can never land in another, and a device that voted
before the teacher undid can vote again on the new ballot.

What the box refuses, each with words a student can act on: a vote from
an unknown device, for a ballot that is not the open one, for a choice not
on offer, or a second vote from the same device.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Sequence

from ..errors import ClassroomError

__all__ = ["Ballot", "BallotBox", "BallotError", "Option"]

MAX_DEVICES = 200
"""More devices than any classroom holds; a flood of joins stops here rather than filling memory."""


class BallotError(ClassroomError, ValueError):
    """A vote or a join that cannot be taken; `status` is the HTTP status the vote server answers with."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Option:
    """One choice on a ballot: its id in the story and the words devices show."""

    id: str
    label: str


@dataclass
class Ballot:
    """The votes for one decision, by device."""

    number: int
    title: str
    """The scene's title, shown above the choices on devices."""
    options: tuple[Option, ...]
    votes: dict[str, str] = field(default_factory=dict)
    """Device token → choice id: a device appears at most once."""
    open: bool = True

    def counts(self) -> dict[str, int]:
        """Votes per choice id, every option present (zeros included), in the order offered."""
        out = {o.id: 0 for o in self.options}
        for choice in self.votes.values():
            out[choice] += 1
        return out


class BallotBox:
    """The devices that joined, and the ballot of the decision on screen now (or none between decisions)."""

    def __init__(self, max_devices: int = MAX_DEVICES) -> None:
        self.max_devices = max_devices
        self.devices: set[str] = set()
        self.current: Ballot | None = None
        self._numbers = 0

    # ------------------------------------------------------------ devices
    def join(self) -> str:
        """A new device token (the vote server puts it in the device's cookie)."""
        if len(self.devices) >= self.max_devices:
            raise BallotError(503, f"{self.max_devices} devices have joined already, the most this vote takes. "
                                   "Share a device with a neighbour.")
        token = secrets.token_urlsafe(24)
        self.devices.add(token)
        return token

    def known(self, token: str | None) -> bool:
        return bool(token) and token in self.devices

    # ------------------------------------------------------------ the teacher's side
    def open(self, title: str, options: Sequence[Option]) -> Ballot:
        """A fresh ballot for the decision now on screen; any earlier one is gone."""
        if not options:
            raise BallotError(409, "there is nothing to vote on here")
        self._numbers += 1
        self.current = Ballot(self._numbers, title, tuple(options))
        return self.current

    def close(self) -> dict[str, int]:
        """Stop taking votes on the current ballot and return its counts (the ballot stays, closed)."""
        if self.current is None:
            return {}
        self.current.open = False
        return self.current.counts()

    def reopen(self) -> None:
        """Take votes again on the same ballot (the teacher went back to the vote); votes cast stay."""
        if self.current is not None:
            self.current.open = True

    def clear(self) -> None:
        """No decision on screen (an ending, a discussion): devices show a wait."""
        self.current = None

    # ------------------------------------------------------------ a device's side
    def cast(self, token: str | None, number: object, choice: object) -> Ballot:
        """Record one device's vote on the open ballot; every refusal is a BallotError with plain words."""
        if not self.known(token):
            raise BallotError(403, "This device has not joined the vote: open the address on the board again "
                                   "and type the class code.")
        assert token is not None
        ballot = self.current
        if ballot is None or not ballot.open:
            raise BallotError(409, "The vote is closed. Wait for the next decision.")
        if number != ballot.number:
            raise BallotError(409, "That vote was for an earlier decision; the page now shows the current one.")
        if token in ballot.votes:
            raise BallotError(409, "This device has voted on this decision already: one vote per device.")
        if not isinstance(choice, str) or choice not in {o.id for o in ballot.options}:
            raise BallotError(400, "That is not one of the choices on offer.")
        ballot.votes[token] = choice
        return ballot

    def voted(self, token: str | None) -> str | None:
        """The choice this device voted for on the current ballot, if it has."""
        if self.current is None or not token:
            return None
        return self.current.votes.get(token)
