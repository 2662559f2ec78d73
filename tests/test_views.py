"""The pure views of a playthrough: journal, debrief, timeline, glossary terms.

Each test plays the small story in wire_story.py through the engine and
checks the view's exact output.
"""

from __future__ import annotations

from typing import Callable

import pytest
from wire_story import FILES, MANIFEST, SCENES

from game import engine
from game.story_folder import load_folder
from game.views import (
    ChoiceRef,
    SourceRef,
    TermSpan,
    Vote,
    debrief,
    find_terms,
    historical_path,
    journal,
    journal_problem,
    search,
    terms_met,
    timeline,
)

SP = SourceRef("SP", "W. S. Woytinsky, Stormy Passage (1961)")


@pytest.fixture
def wire(make_story: Callable[..., object]):
    return load_folder(str(make_story(FILES)))


def play(story, *ids: str, seed: int = 7):
    state = engine.new_game(story, seed=seed)
    for cid in ids:
        state = engine.choose(story, state, cid)
    return state


# ------------------------------------------------------------------ journal
def test_journal_of_a_new_game_is_the_current_scene(wire):
    [entry] = journal(wire, play(wire))
    assert (entry.step, entry.scene, entry.clock_text, entry.place_name, entry.hour) == (
        0, "office", "16:00", "Tauride Palace", "Four o'clock")
    assert entry.text == "Chkheidze hands you the form. Resolve is 2."
    assert entry.choice is None and entry.current


def test_journal_keeps_each_text_and_choice_as_it_read_then(wire):
    entries = journal(wire, play(wire, "read", "sit", "sit"))
    assert [(e.clock_text, e.title, e.text, e.choice, e.event, e.current) for e in entries] == [
        ("16:00", "The wire", "Chkheidze hands you the form. Resolve is 2.",
         ChoiceRef("read", "Read it aloud (resolve 2)"), None, False),
        ("16:00", "The session", "The benches roar. Resolve is 2.", ChoiceRef("sit", "Sit it out"), None, False),
        ("16:30", "The session", "The benches roar. Resolve is 2.", ChoiceRef("sit", "Sit it out"), "sailors", False),
        ("17:00", "The gate", "Sailors from Kronstadt at the gate of the Tauride.", None, None, True),
    ]
    assert [e.cost for e in entries] == [0, 30, 30, 0]


def test_journal_text_depends_on_the_state_at_the_time_not_now(wire):
    entries = journal(wire, play(wire, "keep"))
    # 'keep' raised resolve to 3 after the wire was read: the wire's entry still says 2.
    assert [e.text for e in entries] == [
        "Chkheidze hands you the form. Resolve is 2.",
        "The benches murmur. Resolve is 3.",
    ]
    assert entries[1].clock_text == "16:15"


def test_journal_records_votes_and_reflection_answers(wire):
    state = engine.new_game(wire, seed=1)
    state = engine.choose(wire, state, "keep", votes={"keep": 12, "read": 9}, answer="To buy time.")
    first = journal(wire, state)[0]
    assert first.votes == (Vote(ChoiceRef("keep", "Keep it secret"), 12), Vote(ChoiceRef("read", "Read it aloud (resolve 2)"), 9))
    assert first.answer == "To buy time."


def test_journal_marks_an_ending(wire):
    last = journal(wire, play(wire, "read", "leave"))[-1]
    assert (last.title, last.ending, last.current) == ("Home", "Asleep", True)


def test_journal_survives_a_log_the_story_no_longer_fits(make_story):
    story = load_folder(str(make_story(FILES)))
    state = play(story, "keep", "sit")
    changed = load_folder(str(make_story({"story.yaml": MANIFEST, "16.yaml": SCENES.replace("goto: hall, effects: [resolve += 1]", "goto: gate, effects: [resolve += 1]")}, name="changed")))
    entries = journal(changed, state)
    assert [(e.scene, e.current) for e in entries] == [("office", False), ("hall", True)]
    assert journal_problem(changed, state) == (
        "the playthrough could not be rebuilt in full (step 2: the log says scene 'hall', but the story now leads to "
        "'gate'); earlier steps are missing")
    assert journal_problem(story, state) is None


def test_search_finds_phrases_in_any_case_across_line_breaks(wire):
    entries = journal(wire, play(wire, "read", "sit"))
    hits = search(entries, "benches   ROAR")
    assert [(h.index, h.field, h.start, h.end) for h in hits] == [(1, "text", 4, 16), (2, "text", 4, 16)]
    assert [(h.index, h.field) for h in search(entries, "aloud")] == [(0, "choice")]
    assert [(h.index, h.field) for h in search(entries, "16:30")] == [(2, "clock")]
    assert [(h.index, h.field) for h in search(entries, "catherine")] == [(1, "place"), (2, "place")]
    assert search(entries, "  ") == []
    assert search(entries, "telegram") == []


# ------------------------------------------------------------------ debrief
def test_debrief_sets_each_decision_beside_history(wire):
    d = debrief(wire, play(wire, "read", "sit", "sit", "hide"))
    assert [(r.step, r.clock_text, r.title, r.chosen.text, [h.text for h in r.historical], r.followed) for r in d.rows] == [
        (0, "16:00", "The wire", "Read it aloud (resolve 2)", ["Keep it secret"], False),
        (1, "16:00", "The session", "Sit it out", ["Sit it out"], True),
        (2, "16:30", "The session", "Sit it out", ["Sit it out"], True),
        (3, "17:00", "The gate", "Hide", ["Go out to them"], False),
    ]
    assert d.rows[0].note == "Chkheidze kept the wire back."
    assert d.rows[0].sources == (SP,)
    assert d.left_history == 0
    assert d.followed == 2
    assert d.ending is not None
    assert (d.ending.title, d.ending.epilogue, d.ending.history, d.ending.historical, d.ending.sources) == (
        "Asleep", "You missed it.", "Nobody of the committee went home.", False, ())


def test_debrief_keeps_a_class_vote_and_answer(wire):
    state = engine.choose(wire, engine.new_game(wire, seed=1), "read", votes={"keep": 4, "read": 17}, answer="Trust them.")
    [row] = debrief(wire, state).rows
    assert row.votes == (Vote(ChoiceRef("keep", "Keep it secret"), 4), Vote(ChoiceRef("read", "Read it aloud (resolve 2)"), 17))
    assert (row.answer, row.followed) == ("Trust them.", False)


def test_debrief_of_the_historical_path_never_leaves_history(wire):
    d = debrief(wire, play(wire, "keep", "sit", "sit", "face"))
    assert all(r.followed for r in d.rows) and len(d.rows) == 4
    assert d.left_history is None
    assert d.ending is not None and d.ending.historical and d.ending.sources == (SP,)


def test_debrief_marks_the_first_departure_only(wire):
    d = debrief(wire, play(wire, "keep", "leave"))
    assert [r.followed for r in d.rows] == [True, False]
    assert d.left_history == 1


def test_debrief_before_an_ending_has_no_ending(wire):
    d = debrief(wire, play(wire))
    assert d.rows == () and d.left_history is None and d.ending is None


def test_debrief_skips_scenes_without_a_historical_choice(mini):
    state = engine.choose(mini, engine.new_game(mini, seed=1), "keep")
    state = engine.choose(mini, state, "wait")  # scene 'b' has no historical choice
    assert [r.scene for r in debrief(mini, state).rows] == ["a"]


# ------------------------------------------------------------------ timeline
def test_historical_path_follows_the_marked_choices_with_the_clock(wire):
    rows, stopped = historical_path(wire)
    assert [(r.clock_text, r.title, r.choice.id if r.choice else None, r.ending) for r in rows] == [
        ("16:00", "The wire", "keep", None),
        ("16:15", "The session", "sit", None),
        ("16:45", "The session", "sit", None),
        ("17:15", "The gate", "face", None),  # the 17:00 event fires after the sitting that passes 17:00
        ("17:15", "Dawn", None, "The session holds"),
    ]
    assert rows[3].note == "The Kronstadt sailors arrived about 5 p.m."
    assert stopped is None


def test_historical_path_crosses_connecting_scenes_towards_history(mini):
    # Scene 'b' records no choice: of its ways on, 'end' reaches the historical ending soonest.
    rows, stopped = historical_path(mini)
    assert [(r.clock_text, r.title, r.choice.id if r.choice else None, r.historical) for r in rows] == [
        ("16:00", "The wire", "keep", True), ("16:15", "The session", "end", None), ("16:15", "Home", None, None)]
    assert rows[-1].historical_ending and stopped is None


def test_historical_path_stops_where_no_choice_can_be_taken(make_story):
    scenes = SCENES.replace("{id: sit, text: Sit it out, goto: hall, cost: 30m, historical: true}",
                            "{id: sit, text: Sit it out, goto: hall, cost: 30m, historical: true, if: told}")
    scenes = scenes.replace("{id: leave, text: Go home, goto: home}", "{id: leave, text: Go home, goto: home, if: told}")
    rows, stopped = historical_path(load_folder(str(make_story({"story.yaml": MANIFEST, "16.yaml": scenes}))))
    assert [(r.title, r.choice.id if r.choice else None) for r in rows] == [("The wire", "keep"), ("The session", None)]
    assert stopped == "no choice can be taken in 'The session'"


def test_historical_path_prefers_the_way_that_changes_least(make_story):
    scenes = SCENES.replace("      - {id: read,", "      - {id: shout, text: Shout, goto: hall, effects: [told = true]}\n"
                            "      - {id: nod, text: Nod, goto: hall}\n      - {id: read,")
    scenes = scenes.replace("goto: hall, effects: [resolve += 1], cost: 15m, historical: true}",
                            "goto: hall, effects: [resolve += 1], cost: 15m}")
    rows, _ = historical_path(load_folder(str(make_story({"story.yaml": MANIFEST, "16.yaml": scenes}))))
    assert (rows[0].choice, rows[0].historical) == (ChoiceRef("nod", "Nod"), None)


def test_timeline_marks_where_the_player_is_and_where_the_paths_parted(wire):
    t = timeline(wire, play(wire, "keep", "sit", "leave"))
    assert t.diverged == 2
    assert t.here == 3 and t.player[t.here].title == "Home"
    lines = [(ln.clock_text, ln.history.title if ln.history else None, ln.player.title if ln.player else None)
             for ln in t.side_by_side()]
    assert lines == [
        ("16:00", "The wire", "The wire"),
        ("16:15", "The session", "The session"),
        ("16:45", "The session", "The session"),  # same scene, different choice: the paths part here
        ("16:45", None, "Home"),
        ("17:15", "The gate", None),
        ("17:15", "Dawn", None),
    ]


def test_timeline_on_the_historical_path_has_not_diverged(wire):
    t = timeline(wire, play(wire, "keep", "sit"))
    assert t.diverged is None
    assert [r.title for r in t.player] == ["The wire", "The session", "The session"]
    assert len(t.history) == 5


def test_timeline_diverges_at_the_first_different_choice(wire):
    t = timeline(wire, play(wire, "read"))
    assert t.diverged == 0
    assert [(ln.clock_text, bool(ln.history), bool(ln.player)) for ln in t.side_by_side()][:3] == [
        ("16:00", True, True), ("16:00", False, True), ("16:15", True, False)]


# ------------------------------------------------------------------ terms
def test_terms_longest_match_first_whole_words(wire):
    text = "Nikolai Chkheidze met Chkheidze's aide; Chkheidzes is not a name."
    assert find_terms(wire, text) == [
        TermSpan(0, 17, "chkheidze", "Nikolai Chkheidze"),
        TermSpan(22, 31, "chkheidze", "Chkheidze"),
    ]


def test_terms_case_rules_and_line_breaks(wire):
    text = "The Tauride, the Tauride, the tauride.\nThe Catherine\nHall; catherine hall."
    spans = find_terms(wire, text)
    assert [(s.entry, s.text) for s in spans] == [
        ("tauride", "The Tauride"), ("tauride", "the Tauride"), ("hall", "Catherine\nHall")]
    assert [text[s.start:s.end] for s in spans] == [s.text for s in spans]


def test_terms_in_a_story_without_glossary(make_story):
    story = load_folder(str(make_story({"story.yaml": MANIFEST.split("glossary:")[0],
                                       "16.yaml": SCENES.replace("place: tauride", "").replace("place: hall", "")})))
    assert find_terms(story, "Chkheidze") == []


def test_terms_met_are_places_and_mentions_in_the_order_met(wire):
    assert [g.id for g in terms_met(wire, play(wire))] == ["tauride", "chkheidze"]
    assert [g.id for g in terms_met(wire, play(wire, "read", "sit", "sit"))] == ["tauride", "chkheidze", "hall", "kronstadt"]


def test_terms_prefer_the_longest_match_at_the_same_place(make_story):
    office = "  - {id: office, term: Chkheidze's office, kind: place, text: A room in the left wing.}\n"
    story = load_folder(str(make_story({"story.yaml": MANIFEST + office, "16.yaml": SCENES})))
    assert [(s.entry, s.text) for s in find_terms(story, "In Chkheidze's office, Chkheidze waits.")] == [
        ("office", "Chkheidze's office"), ("chkheidze", "Chkheidze")]


def test_timeline_rows_say_whether_history_records_the_choice(wire):
    t = timeline(wire, play(wire, "keep", "sit", "sit", "hide"))
    assert [(r.title, r.historical) for r in t.player] == [
        ("The wire", True), ("The session", True), ("The session", True), ("The gate", False), ("Home", None)]
    assert t.diverged == 3


def test_arriving_at_an_ending_history_did_not_have_is_leaving_history(make_story):
    from conftest import MINI_MANIFEST, MINI_SCENES

    scenes = MINI_SCENES.replace("history: Really., historical: true}", "history: Really.}")
    story = load_folder(str(make_story({"story.yaml": MINI_MANIFEST, "16.yaml": scenes})))
    t = timeline(story, play(story, "keep", "end"))
    assert [r.historical for r in t.player] == [True, None, None]
    assert t.diverged == 2
