"""Class votes: tally a show of hands, take the majority, let the teacher settle ties or overrule.

Pure and small, so group play, transcripts and the class report agree on
what a vote meant. A save keeps only the raw counts (`LogEntry.votes`) and
the choice taken; how that choice was reached — by majority, by the teacher
breaking a tie, by the teacher overruling the class — is worked out again
from those two facts with `explain`, so nothing extra has to be stored and
nothing stored can disagree.

"Majority" here means the most votes (a plurality): with three choices a
class of 30 can split 12/10/8 and 12 carries it. A tie for the most votes,
or no votes at all, is the teacher's to settle.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Iterable, Mapping

from ..errors import ClassroomError
from ..words import count

__all__ = ["Decision", "How", "Tally", "VoteError", "check_class_size", "decide", "explain", "parse_counts", "tally"]

MAX_VOTES = 100_000
"""No class is this large; a bigger number is a typing slip, not a vote."""


class VoteError(ClassroomError, ValueError):
    """A vote count or a teacher's decision that cannot stand; the message says what to fix."""


class How(str, Enum):
    """How the class's choice was reached."""

    MAJORITY = "majority"
    """The choice with the most votes, alone at the top."""
    TIE_BREAK = "tie-break"
    """Several choices shared the most votes (or nobody voted) and the teacher picked one of them."""
    OVERRIDE = "override"
    """The teacher took a choice that did not have the most votes."""
    NO_VOTE = "no vote"
    """No counts were recorded for this step (solo play, or the teacher skipped the vote)."""


@dataclass(frozen=True)
class Tally:
    """Vote counts for the choices on offer at one decision, in the order they were offered."""

    counts: tuple[tuple[str, int], ...]
    """(choice id, votes) for every choice that could be taken, zeros included."""

    @property
    def total(self) -> int:
        return sum(n for _, n in self.counts)

    def votes(self, choice_id: str) -> int:
        return dict(self.counts).get(choice_id, 0)

    @property
    def leaders(self) -> tuple[str, ...]:
        """The choices with the most votes; every choice when nobody voted."""
        top = max((n for _, n in self.counts), default=0)
        return tuple(cid for cid, n in self.counts if n == top)

    @property
    def majority(self) -> str | None:
        """The single choice with the most votes, or None when there is a tie or no vote."""
        leaders = self.leaders
        if self.total > 0 and len(leaders) == 1:
            return leaders[0]
        return None

    @property
    def is_tie(self) -> bool:
        return self.majority is None

    def share(self, choice_id: str) -> float:
        """The fraction of the votes cast for this choice (0 when nobody voted)."""
        return self.votes(choice_id) / self.total if self.total else 0.0

    def as_dict(self) -> dict[str, int]:
        """The counts as `LogEntry.votes` stores them."""
        return dict(self.counts)


def tally(counts: Mapping[str, int], offered: Iterable[str]) -> Tally:
    """Check a teacher's counts against the choices on offer and return the tally.

    Choices left out count zero. A count for a choice that is not on offer,
    a negative count or an absurdly large one is a VoteError, because each
    is a slip the teacher should see rather than a vote to record.
    """
    offered = list(dict.fromkeys(offered))
    if not offered:
        raise VoteError("there are no choices to vote on here")
    unknown = [cid for cid in counts if cid not in offered]
    if unknown:
        raise VoteError(f"votes were given for {', '.join(repr(u) for u in unknown)}, which is not on offer here "
                        f"(the choices are: {', '.join(offered)})")
    out = []
    for cid in offered:
        n = counts.get(cid, 0)
        if isinstance(n, bool) or not isinstance(n, int):
            raise VoteError(f"the count for '{cid}' must be a whole number, not {n!r}")
        if n < 0:
            raise VoteError(f"the count for '{cid}' cannot be negative ({n})")
        if n > MAX_VOTES:
            raise VoteError(f"the count for '{cid}' is {n}, more than any class; was it a typing slip?")
        out.append((cid, n))
    return Tally(tuple(out))


def parse_counts(typed: str, offered: list[str]) -> dict[str, int]:
    """The teacher's one line of counts (`12/10/8`, or `12 10 8`), in the order the choices are on screen.

    One line, not one box per choice: every key lands in the same box in
    the order it was typed, so a fast `12 Tab 10 Tab 8` can no longer
    become 12/108/– when a focus change lags behind the keys. With `/`,
    `,` or `.` in the line (the numeric keypad's separator) an empty place
    counts zero (`/5` is 0 and 5); otherwise spaces separate. A VoteError
    names the place that is wrong.
    """
    text = typed.strip()
    if not text:
        return {}
    if any(sep in text for sep in "/,."):
        parts = [p.strip() for p in text.replace(",", "/").replace(".", "/").split("/")]
    else:
        parts = text.split()
    if len(parts) > len(offered):
        raise VoteError(f"{len(parts)} counts typed ({text}), but there {'is' if len(offered) == 1 else 'are'} "
                        f"only {len(offered)} choice{'' if len(offered) == 1 else 's'} to vote on")
    counts: dict[str, int] = {}
    for place, (cid, raw) in enumerate(zip(offered, parts), 1):
        if not raw:
            continue
        try:
            n = int(raw)
        except ValueError:
            raise VoteError(f"count {place} ('{raw}') is not a whole number") from None
        if n < 0:  # said by its place on screen, before `tally` would name the choice's id
            raise VoteError(f"count {place} ({raw}) cannot be negative")
        if n > MAX_VOTES:
            raise VoteError(f"count {place} ({raw[:12]}{'…' if len(raw) > 12 else ''}) is more than any class; "
                            "was it a typing slip?")
        counts[cid] = n
    return counts


def check_class_size(t: Tally, class_size: int | None) -> None:
    """More votes than students is a counting or typing slip: a VoteError says so (None: no size given)."""
    if class_size is not None and t.total > class_size:
        raise VoteError(f"{count(t.total, 'vote')} ({' + '.join(str(n) for _, n in t.counts)}), but the class has "
                        f"{class_size} students (--class-size): count again")


@dataclass(frozen=True)
class Decision:
    """The choice a class vote leads to, and how it was reached."""

    choice: str
    how: How
    tally: Tally | None

    @property
    def is_majority(self) -> bool:
        """More than half the votes cast: only then do the screens say "majority"."""
        t = self.tally
        return self.how is How.MAJORITY and t is not None and 2 * t.votes(self.choice) > t.total

    @property
    def label(self) -> str:
        """A few words for a list of votes: "majority", "most votes", "tie-break", "override", "no vote".

        How.MAJORITY means the most votes (a plurality); 12 of 30 is not a
        majority, and a class told so would be told something false."""
        if self.how is How.MAJORITY:
            return "majority" if self.is_majority else "most votes"
        return str(self.how.value)

    @property
    def words(self) -> str:
        """The same in a sentence, for transcripts and the projected screen."""
        if self.how is How.MAJORITY:
            return "the class's majority" if self.is_majority else "the most votes, short of a majority"
        said: dict[How, str] = {How.TIE_BREAK: "a tie, settled by the teacher",
                                How.OVERRIDE: "the teacher overruled the vote", How.NO_VOTE: "no vote"}
        return said[self.how]


def decide(t: Tally, *, tie_break: str | None = None, override: str | None = None) -> Decision:
    """The class's choice: the majority, unless the teacher overrides; a tie needs the teacher.

    `override` may name any choice on offer and wins over the vote. A tie
    (or a vote where nobody raised a hand) needs `tie_break`, which must be
    one of the tied choices; without it a VoteError says which choices tied.
    """
    offered = [cid for cid, _ in t.counts]
    if override is not None:
        if override not in offered:
            raise VoteError(f"'{override}' is not a choice on offer here (the choices are: {', '.join(offered)})")
        return explain(t.as_dict(), override, offered)
    if t.majority is not None:
        return Decision(t.majority, How.MAJORITY, t)
    if tie_break is None:
        if t.total == 0:
            raise VoteError("nobody voted: the teacher chooses")
        raise VoteError(f"a tie between {' and '.join(t.leaders)} ({count(t.votes(t.leaders[0]), 'vote')} each): the teacher chooses")
    if tie_break not in t.leaders:
        raise VoteError(f"'{tie_break}' is not one of the tied choices ({', '.join(t.leaders)}); "
                        "to take another choice, override the vote")
    return Decision(tie_break, How.TIE_BREAK, t)


def explain(votes: Mapping[str, int] | None, choice: str, offered: Iterable[str] | None = None) -> Decision:
    """How a recorded choice relates to its recorded votes (for transcripts and reports).

    `offered` defaults to the choices named in `votes`; a recorded choice
    that got no line in the counts still counts as on offer with zero votes.
    """
    if votes is None:
        return Decision(choice, How.NO_VOTE, None)
    ids = list(offered) if offered is not None else list(votes)
    if choice not in ids:
        ids.append(choice)
    clean = {k: v for k, v in votes.items() if k in ids}
    t = tally(clean, ids)
    if t.majority == choice:
        how = How.MAJORITY
    elif choice in t.leaders:
        how = How.TIE_BREAK
    else:
        how = How.OVERRIDE
    return Decision(choice, how, t)
