"""The game state: small, immutable, serialisable.

Everything that changes in play lives here and nothing else does: the
`Story` never changes. A state records how it began (`origin`) and every
choice since (`log`), so any earlier state can be rebuilt by replaying the
log — that is how undo works, and why a save can always be checked.

What grows with a playthrough is persistent, so a step never copies it:
the log is a shared chain (`game/engine/log.py`), and the visit counts and
the choices taken are `immutables.Map`s (hash array mapped tries), where a
new state's map shares all but a few nodes with the one before.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Iterable, Mapping, Sequence

from immutables import Map

from .log import EMPTY, Log

Value = int | bool | str


@dataclass(frozen=True)
class Origin:
    """How a playthrough began: enough to replay it from nothing."""

    scene: str
    seed: int
    overrides: tuple[tuple[str, Value], ...] = ()
    """Variables set at the start (`--set name=value`), in order."""


@dataclass(frozen=True, slots=True)
class LogEntry:
    """One choice made, with where and when it was made."""

    scene: str
    choice: str
    clock: int
    """Story clock (minutes) when the choice was made."""
    votes: Mapping[str, int] | None = None
    """Classroom vote tallies by choice id, when the class voted."""
    answer: str | None = None
    """The player's answer to the choice's reflection prompt."""
    event: str | None = None
    """Id of the event that interrupted this step, if one did."""
    by_chapter: bool = False
    """A chapter start played this choice for the player (the historical route to the chapter's
    scene). The entry stays in the log so the state replays, but it is not the player's decision:
    every view counts only the player's own (`own`)."""


def own(entry: LogEntry | None) -> bool:
    """Whether a logged step is the player's (or class's) own decision, not one a chapter start made.

    The one test every view (debrief, timeline, class path, transcript, report) uses to skip
    the steps a chapter played; None (the scene the player stands in) counts as their own.
    """
    return entry is None or not entry.by_chapter


def played_by_chapter(log: Sequence[LogEntry]) -> int:
    """How many steps at the head of the log a chapter start played (undo never takes them back).

    A `Log` knows it at every node (`Log.by_chapter`); reading the head of a chain would list it
    whole, so a long playthrough's undo would grow with its length. Other sequences are counted.
    """
    if isinstance(log, Log):
        return log.by_chapter
    n = 0
    while n < len(log) and log[n].by_chapter:
        n += 1
    return n


@dataclass(frozen=True, slots=True)
class State:
    scene: str
    clock: int
    vars: Mapping[str, Value]
    visits: Map[str, int]
    chosen: Map[str, bool]
    """Choices taken, as 'scene.choice' (for `once` and `chosen()`): a persistent set, its keys."""
    fired: frozenset[str]
    """Events that have fired (for `once` events)."""
    rng: int
    """Position of the random number generator; advances only when randomness is used."""
    origin: Origin
    log: Log = field(default=EMPTY)
    """The choices made so far (`Log.of(entries)` makes one from a list)."""
    trail: tuple[str, ...] = ()
    """Scenes left by a forward `goto`, newest last: where `goto: back` returns (it pops one)."""
    response: str | None = None
    """Id of the choice in this scene whose `response:` is shown (the player stayed); None after a move."""

    @property
    def own_steps(self) -> int:
        """Choices the player (or class) made, leaving out those a chapter start played: what undo can take back."""
        return len(self.log) - played_by_chapter(self.log)

    def with_(self, **changes: Any) -> "State":
        return replace(self, **changes)

    # ---------------------------------------------------------- JSON
    def to_json(self) -> dict[str, Any]:
        return {
            "scene": self.scene,
            "clock": self.clock,
            "vars": dict(self.vars),
            "visits": dict(self.visits),
            "chosen": sorted(self.chosen),
            "fired": sorted(self.fired),
            "rng": self.rng,
            "origin": {
                "scene": self.origin.scene,
                "seed": self.origin.seed,
                "overrides": [[k, v] for k, v in self.origin.overrides],
            },
            "log": [_entry_json(e) for e in self.log],
            # Written only when there is something to keep, so a save without them reads as before.
            **({"trail": list(self.trail)} if self.trail else {}),
            **({"response": self.response} if self.response is not None else {}),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "State":
        """Rebuild a state; raises KeyError/TypeError/ValueError on malformed data."""
        o = data["origin"]
        return cls(
            scene=str(data["scene"]),
            clock=int(data["clock"]),
            vars=_plain_values(data["vars"]),
            visits=Map({str(k): int(v) for k, v in dict(data["visits"]).items()}),
            chosen=chosen_set(str(x) for x in data["chosen"]),
            fired=frozenset(str(x) for x in data["fired"]),
            rng=int(data["rng"]),
            origin=Origin(str(o["scene"]), int(o["seed"]), tuple((str(k), _value(v)) for k, v in o["overrides"])),
            log=Log.of([_entry_from(e) for e in data["log"]]),
            trail=tuple(str(x) for x in data.get("trail", ())),
            response=str(data["response"]) if data.get("response") is not None else None,
        )


def chosen_set(keys: Iterable[str]) -> Map[str, bool]:
    """The persistent set of choices taken, from their 'scene.choice' keys."""
    return Map((key, True) for key in keys)


def _value(v: Any) -> Value:
    if isinstance(v, (bool, int, str)):
        return v
    raise TypeError(f"a variable's value must be a number, true/false or text, not {type(v).__name__}")


def _plain_values(d: Any) -> dict[str, Value]:
    return {str(k): _value(v) for k, v in dict(d).items()}


def _entry_json(e: LogEntry) -> dict[str, Any]:
    out: dict[str, Any] = {"scene": e.scene, "choice": e.choice, "clock": e.clock}
    if e.votes is not None:
        out["votes"] = dict(e.votes)
    if e.answer is not None:
        out["answer"] = e.answer
    if e.event is not None:
        out["event"] = e.event
    if e.by_chapter:
        out["by_chapter"] = True
    return out


def _entry_from(d: Mapping[str, Any]) -> LogEntry:
    votes = d.get("votes")
    return LogEntry(
        scene=str(d["scene"]),
        choice=str(d["choice"]),
        clock=int(d["clock"]),
        votes={str(k): int(v) for k, v in votes.items()} if votes is not None else None,
        answer=str(d["answer"]) if d.get("answer") is not None else None,
        event=str(d["event"]) if d.get("event") is not None else None,
        by_chapter=d.get("by_chapter") is True,
    )
