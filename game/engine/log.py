"""The log of choices: a persistent list that a state shares with every state after it.

A playthrough's states each hold the whole log of choices so far. Kept as a
tuple, every step copied it (and undo, replaying from the start, copied it
once per step again): undo at 5,000 choices cost up to half a second and a
200,000-entry log hundreds of MB. Here each step adds one node pointing at
the log before it, so a step costs the same at choice 5 or 500,000, and
all states of a playthrough share one chain.

Every `SNAPSHOT_EVERY` choices a node also keeps the state from just
before its choice, so undo starts from the nearest such state and replays
fewer than that many choices, however long the log. Older than the last
`KEEP_RECENT` snapshots, only one in `SPARSE_EVERY` choices is kept: a
state costs a few KB (its variables, and the nodes of its maps that no
other state shares), and going back further than a thousand choices may
replay a few hundred. Snapshots are not part of the log's value: two logs
with the same entries are equal, and a save holds only the entries.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator, Sequence, overload

if TYPE_CHECKING:
    from .state import LogEntry, State

SNAPSHOT_EVERY = 16
"""How often a node keeps the state before its choice: undo replays fewer choices than this."""
KEEP_RECENT = 64
"""Snapshots kept at every `SNAPSHOT_EVERY` choices: the last 1,024 choices."""
SPARSE_EVERY = 256
"""Further back, one snapshot per this many choices."""

TAIL_WALK = 64
"""An index this close to the end is reached by walking back from the newest entry, not by listing all."""


class Log(Sequence["LogEntry"]):
    """The choices made, oldest first; adding one (`plus`) shares everything before it."""

    __slots__ = ("_parent", "_entry", "_len", "_before", "_snap", "_lead")

    def __init__(self, parent: Log | None = None, entry: LogEntry | None = None,
                 before: State | None = None) -> None:
        self._parent = parent
        self._entry = entry
        self._len: int = 0 if parent is None else parent._len + 1
        self._before = before
        self._snap: Log | None = self if before is not None else (parent._snap if parent is not None else None)
        """The nearest node at or before this one that was given a snapshot (it may have been thinned since)."""
        self._lead: int = 0 if parent is None else (
            parent._lead + 1 if parent._lead == parent._len and entry is not None and entry.by_chapter
            else parent._lead)
        """How many entries at the head of the log a chapter start played: carried node to node, since
        counting them means reading the log from its first entry, which a chain reaches only by
        listing it whole (undo asks at every step; at 5,000 choices that listing was most of its cost)."""

    @classmethod
    def of(cls, entries: Sequence[LogEntry] | Log) -> Log:
        """A log holding `entries` (a log is returned as it is)."""
        if isinstance(entries, Log):
            return entries
        log = EMPTY
        for entry in entries:
            log = Log(log, entry)
        return log

    def plus(self, entry: LogEntry, before: State) -> Log:
        """This log and one more choice, taken in the state `before` (kept if it is a snapshot's turn)."""
        if self._len % SNAPSHOT_EVERY:
            return Log(self, entry)
        node = Log(self, entry, before)
        node._thin()
        return node

    def _thin(self) -> None:
        """Drop the snapshot `KEEP_RECENT` snapshots back, unless it is one of the sparse ones kept."""
        snap: Log | None = self
        for _ in range(KEEP_RECENT):
            if snap is None or snap._parent is None:
                return
            snap = snap._parent._snap
        if snap is not None and (snap._len - 1) % SPARSE_EVERY:
            snap._before = None

    @property
    def by_chapter(self) -> int:
        """How many choices at the head of the log a chapter start played (`LogEntry.by_chapter`): undo
        never takes them back. Known at every node, so reading it costs the same at any length."""
        return self._lead

    def resume(self, keep: int) -> tuple[State | None, list[LogEntry]]:
        """Where to rebuild the state after the first `keep` choices from: the latest snapshot at or
        before them (None: the playthrough's start) and the choices to replay after it, oldest first."""
        entries: list[LogEntry] = []
        node: Log | None = self
        while node is not None and node._parent is not None:
            if node._len <= keep:
                entries.append(node._entry)  # type: ignore[arg-type]
            if node._len <= keep + 1 and node._before is not None:
                entries.reverse()
                return node._before, entries
            node = node._parent
        entries.reverse()
        return None, entries

    # ------------------------------------------------------------ a sequence
    def __len__(self) -> int:
        return self._len

    def __bool__(self) -> bool:
        return self._len > 0

    def __iter__(self) -> Iterator[LogEntry]:
        return iter(self._list())

    def __reversed__(self) -> Iterator[LogEntry]:
        node: Log | None = self
        while node is not None and node._parent is not None:
            yield node._entry  # type: ignore[misc]
            node = node._parent

    def _list(self) -> list[LogEntry]:
        out = list(reversed(self))
        out.reverse()
        return out

    @overload
    def __getitem__(self, index: int) -> LogEntry: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[LogEntry, ...]: ...

    def __getitem__(self, index: int | slice) -> LogEntry | tuple[LogEntry, ...]:
        if isinstance(index, slice):
            return tuple(self._list()[index])
        if index < 0:
            index += self._len
        if not 0 <= index < self._len:
            raise IndexError("log index out of range")
        back = self._len - 1 - index
        if back < TAIL_WALK:
            node = self
            for _ in range(back):
                node = node._parent  # type: ignore[assignment]
            return node._entry  # type: ignore[return-value]
        return self._list()[index]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Log):
            return self._len == other._len and (self is other or self._list() == other._list())
        if isinstance(other, (tuple, list)):
            return self._len == len(other) and self._list() == list(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self._list()))

    def __repr__(self) -> str:
        return f"Log({self._list()!r})"


EMPTY = Log()
"""The log of a playthrough that has just begun."""
