"""Class votes: the majority carries, ties and overrides are the teacher's, slips are refused."""

from __future__ import annotations

import pytest

from game import engine
from game.classroom.votes import How, VoteError, decide, explain, tally

OFFERED = ["keep", "tell", "phone"]


def test_the_choice_with_most_votes_carries_even_without_half_the_class():
    t = tally({"keep": 12, "tell": 10, "phone": 8}, OFFERED)
    d = decide(t)
    assert (d.choice, d.how) == ("keep", How.MAJORITY)
    assert t.total == 30
    assert t.share("keep") == pytest.approx(0.4)


def test_choices_left_out_count_zero_and_keep_the_offered_order():
    t = tally({"phone": 3}, OFFERED)
    assert t.counts == (("keep", 0), ("tell", 0), ("phone", 3))
    assert decide(t).choice == "phone"


def test_a_tie_needs_the_teacher_and_says_who_tied():
    t = tally({"keep": 9, "tell": 9, "phone": 2}, OFFERED)
    assert t.is_tie and t.leaders == ("keep", "tell")
    with pytest.raises(VoteError, match="tie between keep and tell .9 votes each"):
        decide(t)
    d = decide(t, tie_break="tell")
    assert (d.choice, d.how) == ("tell", How.TIE_BREAK)


def test_a_tie_cannot_be_settled_for_a_choice_that_did_not_tie():
    t = tally({"keep": 9, "tell": 9, "phone": 2}, OFFERED)
    with pytest.raises(VoteError, match="not one of the tied choices"):
        decide(t, tie_break="phone")


def test_nobody_voting_is_a_tie_between_everything():
    t = tally({}, OFFERED)
    assert t.leaders == tuple(OFFERED) and t.majority is None
    with pytest.raises(VoteError, match="nobody voted"):
        decide(t)
    assert decide(t, tie_break="phone").how is How.TIE_BREAK


def test_the_teacher_can_overrule_a_clear_majority():
    t = tally({"keep": 20, "tell": 3}, OFFERED)
    d = decide(t, override="tell")
    assert (d.choice, d.how) == ("tell", How.OVERRIDE)


def test_overriding_with_the_majority_choice_is_just_the_majority():
    t = tally({"keep": 20, "tell": 3}, OFFERED)
    assert decide(t, override="keep").how is How.MAJORITY


def test_override_must_name_a_choice_on_offer():
    with pytest.raises(VoteError, match="'flee' is not a choice on offer"):
        decide(tally({"keep": 1}, OFFERED), override="flee")


@pytest.mark.parametrize(
    ("counts", "message"),
    [
        ({"flee": 3}, "'flee'.*not on offer"),
        ({"keep": -1}, "cannot be negative"),
        ({"keep": 2.5}, "whole number"),
        ({"keep": True}, "whole number"),
        ({"keep": 10**9}, "typing slip"),
    ],
)
def test_slips_in_the_counts_are_refused_with_a_reason(counts, message):
    with pytest.raises(VoteError, match=message):
        tally(counts, OFFERED)


def test_no_choices_no_vote():
    with pytest.raises(VoteError, match="no choices"):
        tally({}, [])


@pytest.mark.parametrize(
    ("votes", "choice", "how"),
    [
        ({"keep": 5, "tell": 2}, "keep", How.MAJORITY),
        ({"keep": 5, "tell": 5}, "tell", How.TIE_BREAK),
        ({"keep": 5, "tell": 2}, "tell", How.OVERRIDE),
        ({"keep": 5, "tell": 2}, "phone", How.OVERRIDE),
        (None, "keep", How.NO_VOTE),
    ],
)
def test_a_recorded_vote_explains_itself(votes, choice, how):
    assert explain(votes, choice).how is how


def test_votes_ride_in_the_save_and_explain_the_step(mini):
    """The engine keeps the counts on the log entry; explain() reads the override back out."""
    state = engine.new_game(mini, seed=1)
    offered = [c.id for c in engine.choices(mini, state) if c.enabled]
    t = tally({"keep": 4, "tell": 11}, offered)
    d = decide(t, override="keep")
    state = engine.choose(mini, state, d.choice, votes=t.as_dict())
    entry = state.log[-1]
    assert entry.votes == {"keep": 4, "tell": 11}
    again = engine.State.from_json(state.to_json())
    assert explain(again.log[-1].votes, again.log[-1].choice, offered).how is How.OVERRIDE


def test_one_line_of_counts_reads_slashes_spaces_and_empty_places():
    from game.classroom.votes import parse_counts

    offered = ["a", "b", "c"]
    assert parse_counts("12/10/8", offered) == {"a": 12, "b": 10, "c": 8}
    assert parse_counts("12 10 8", offered) == {"a": 12, "b": 10, "c": 8}
    assert parse_counts("/5", offered) == {"b": 5}
    assert parse_counts("  ", offered) == {}
    with pytest.raises(VoteError, match="count 2 \\('x'\\) is not a whole number"):
        parse_counts("1/x", offered)
    with pytest.raises(VoteError, match="4 counts typed"):
        parse_counts("1 2 3 4", offered)
    # the numeric keypad's '.' separates too: '5.3.2' was typed into a box that dropped the dots, 532 votes
    assert parse_counts("5.3.2", offered) == {"a": 5, "b": 3, "c": 2}
    with pytest.raises(VoteError, match="4 counts typed"):
        parse_counts("1.5/2/3", offered)  # a decimal is no count: said, not read as 15
    with pytest.raises(VoteError, match=r"^count 1 \(-5\) cannot be negative$"):  # by its place, not an id
        parse_counts("-5/3/2", offered)
    with pytest.raises(VoteError, match=r"^count 2 \(999999999999…\) is more than any class"):
        parse_counts("1/" + "9" * 30, offered)


def test_a_tally_above_the_class_size_is_a_slip():
    from game.classroom.votes import check_class_size

    check_class_size(tally({"a": 12, "b": 10, "c": 8}, ["a", "b", "c"]), 30)
    check_class_size(tally({"a": 200}, ["a"]), None)
    with pytest.raises(VoteError, match="201 votes \\(12 \\+ 189 \\+ 0\\), but the class has 30 students"):
        check_class_size(tally({"a": 12, "b": 189}, ["a", "b", "c"]), 30)


def test_majority_is_said_only_when_it_is_one():
    plural = decide(tally({"a": 12, "b": 10, "c": 8}, ["a", "b", "c"]))
    assert plural.how is How.MAJORITY and not plural.is_majority
    assert plural.label == "most votes" and plural.words == "the most votes, short of a majority"
    real = decide(tally({"a": 16, "b": 10, "c": 4}, ["a", "b", "c"]))
    assert real.is_majority and real.label == "majority" and real.words == "the class's majority"
    half = decide(tally({"a": 15, "b": 10, "c": 5}, ["a", "b", "c"]))
    assert not half.is_majority  # half is not more than half
    assert explain({"a": 1, "b": 2}, "a").label == "override"
