"""Numbers and their nouns agree, in every message that counts something."""

from __future__ import annotations

from game.words import count


def test_one_is_singular_and_every_other_number_plural() -> None:
    assert count(1, "vote") == "1 vote"
    assert [count(n, "file") for n in (0, 2, 30)] == ["0 files", "2 files", "30 files"]
    assert count(2, "child", "children") == "2 children" and count(1, "child", "children") == "1 child"


def test_a_tie_of_one_vote_each_says_vote() -> None:
    import pytest

    from game.classroom.votes import VoteError, decide, tally

    with pytest.raises(VoteError, match=r"tie between keep and tell \(1 vote each\)"):
        decide(tally({"keep": 1, "tell": 1}, ("keep", "tell")))
