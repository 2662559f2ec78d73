"""The words the screens use for durations, values, bars and moves."""

from __future__ import annotations

import pytest

from game.story.model import Variable
from game.tui.marking import entry_of, mark_terms, reveal_points
from game.tui.text import bar, delta_words, duration, value_words
from game.views.terms import TermFinder


def test_durations_read_as_a_person_says_them():
    assert [duration(m) for m in (5, 59, 60, 90, 125)] == ["5 min", "59 min", "1 h", "1 h 30 min", "2 h 5 min"]


def test_values_are_words_and_ranged_numbers_get_a_bar():
    temper = Variable("temper", "int", 6, range=(0, 10), shown=True)
    assert bar(temper, 6) == "██████░░░░"
    assert bar(temper, 0) == "░" * 10 and bar(temper, 10) == "█" * 10
    assert bar(temper, 99) == "█" * 10  # never wider than its range
    assert bar(Variable("flag", "bool", False), True) is None
    assert [value_words(v) for v in (True, False, 3, "Kronstadt")] == ["yes", "no", "3", "Kronstadt"]


def test_moves_are_arrows_with_numbers_not_colours():
    assert (delta_words(2, 5), delta_words(5, 2), delta_words(3, 3)) == ("▲3", "▼3", "")
    assert delta_words(False, True) == "changed" and delta_words(None, 3) == ""


def test_first_mentions_become_links_and_existing_links_are_left_alone(wire_finder):
    text, spans = mark_terms(wire_finder, "Chkheidze sees Chkheidze in Catherine Hall.")
    assert text == "[Chkheidze](gloss:chkheidze) sees Chkheidze in [Catherine Hall](gloss:hall)."
    assert [s.entry for s in spans] == ["chkheidze", "hall"]
    untouched = "See [Chkheidze](https://example.org) and `Kronstadt`."
    assert mark_terms(wire_finder, untouched)[0] == untouched
    assert entry_of("gloss:hall") == "hall" and entry_of("https://example.org") is None


def test_typed_reveal_never_pauses_inside_a_link():
    text = "A [long name here](gloss:x) b"
    points = reveal_points(text)
    inside = range(text.index("["), text.index(")") + 1)
    assert not any(p in inside for p in points[:-1]) and points[-1] == len(text)


@pytest.fixture
def wire_finder(make_story):
    from wire_story import FILES

    from game.story_folder import load_folder

    return TermFinder(load_folder(str(make_story(FILES, name="wire"))).glossary)
