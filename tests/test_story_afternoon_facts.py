"""*July Days*, three to six o'clock and the glossary, against the sources.

The December 2026 review of the story (errors, disputed claims stated as
fact, notes that rest on web chronicles, the narrator's inherited contempt)
named passages in the afternoon files and the glossary. Each test here holds
one of its findings, so a later edit cannot quietly bring the old words back.
The last test holds a rule of the writing: when an hour's event cuts into a
choice, the scene it sends the player to answers that choice first.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from game.story.model import Scene, Story
from game.story_folder import load_folder
from game.tools.walker import walk_states

REPO = Path(__file__).resolve().parent.parent
AFTERNOON = ("15-armoured-cars", "16-telegram", "17-sailors")
WALKS = 1500
"""Seeded playthroughs (seeds 0..WALKS-1) used to find where an event cuts into a choice."""


@pytest.fixture(scope="module")
def story() -> Story:
    return load_folder(str(REPO / "scenes"))


def _scenes(story: Story) -> list[Scene]:
    return [s for s in story.scenes.values() if s.hour in AFTERNOON]


def _texts(scene: Scene) -> str:
    """What a player reads in a scene: its text, its choices and any epilogue."""
    parts = [scene.text_source, *(c.text_source for c in scene.choices)]
    if scene.ending is not None:
        parts.append(scene.ending.epilogue)
    return "\n".join(parts)


def _notes(scene: Scene) -> str:
    parts = [scene.history.note if scene.history else ""]
    if scene.ending is not None:
        parts.append(scene.ending.history)
    return "\n".join(parts)


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _all_words(story: Story) -> str:
    """Text, notes, prompts and glossary of the afternoon files, on one line."""
    parts: list[str] = []
    for scene in _scenes(story):
        parts += [_texts(scene), _notes(scene), *scene.discussion]
    parts += [(h.summary or "") + " " + " ".join(h.discussion) for h in story.hours if h.id in AFTERNOON]
    parts += [e.term + " " + e.text for e in story.glossary.values()]
    return _flat("\n".join(parts))


def test_gots_was_given_hard_labour_by_the_tsar_and_death_only_in_1922(story: Story) -> None:
    words = _all_words(story)
    assert "sentenced to death under" not in words
    gots = _flat(story.glossary["gots"].text)
    assert "1907" in gots and "eight years' hard labour" in gots and "1922" in gots
    note = _flat(_notes(story.scenes["presidium_news"]))
    assert "eight years' hard labour" in note and "1922" in note


def test_the_izborsk_regiment_carries_no_number_from_memory(story: Story) -> None:
    """The English Soviet history's "117th" is wrong; "177th" is the order of battle as remembered, not read.

    Until a printed order of battle gives the number with a page, the
    player reads neither (docs/story-research.md).
    """
    words = _all_words(story)
    assert "117th" not in words and "177th" not in words
    assert story.glossary["izborsky"].term == "Izborsk Regiment"
    assert "Izborsk regiment" in _flat(_notes(story.scenes["telegram"]))


def test_yermolenko_is_an_ensign_of_the_16th_siberian_rifles(story: Story) -> None:
    words = _all_words(story)
    assert "Lieutenant Yermolenko" not in words
    entry = story.glossary["yermolenko"]
    assert entry.term == "Ensign Yermolenko"
    assert "16th Siberian Rifle" in _flat(entry.text)


def test_where_chernov_stood_is_the_barrel_against_the_cab_roof(story: Story) -> None:
    """Sukhanov's back seat is where Chernov sat after he was seized, not where he spoke."""
    note = _flat(_notes(story.scenes["chernov_out"]))
    assert "the back seat of a car ringed by sailors" not in note
    assert "barrel" in note and "cab" in note and "afterwards" in note
    chernov = _flat(story.glossary["chernov"].text)
    assert "back seat" not in chernov and "barrel" in chernov and "cab" in chernov


def test_the_mariinsky_says_only_what_knox_records(story: Story) -> None:
    """No false "sources differ"; and the dates known only from memory (from March, the move after July) are out."""
    text = _flat(story.glossary["mariinsky_palace"].text)
    assert "Sources differ" not in text and "until July" not in text
    assert "Knox" in text and "3 July 1917" in text and "Winter Palace" not in text


def test_four_kadet_ministers_resigned(story: Story) -> None:
    words = _all_words(story)
    assert "three or four" not in words
    assert "Four Kadet ministers" in _flat(story.glossary["provisional_government"].text)
    assert "Four Kadet ministers" in _flat(_notes(story.scenes["courtyard_cars"]))
    for minister in ("Shingarev", "Manuilov", "Shakhovskoi", "Stepanov"):  # names held only from memory
        assert minister not in words


def test_no_anachronisms_in_what_the_player_reads(story: Story) -> None:
    for scene in _scenes(story):
        text = _texts(scene)
        assert not re.search(r"\bokay\b", text, re.I), scene.id
        assert "cordite" not in text.lower(), scene.id


def test_chernovs_captors_are_not_settled_by_the_narrator(story: Story) -> None:
    """Trotsky suspected secret police; Sukhanov saw sailors. The narration may not choose."""
    assert "not sailors, not workers" not in _flat(story.scenes["chernov_out"].text_source)
    assert "Neither is a sailor" not in _flat(story.scenes["in_the_car"].text_source)
    for scene_id in ("chernov_out", "in_the_car", "chernov_driven_off"):
        note = _notes(story.scenes[scene_id])
        assert "Sukhanov" in note and "sailors" in note and "secret police" in note, scene_id


def test_both_orders_of_events_at_the_door_are_told(story: Story) -> None:
    note = _flat(_notes(story.scenes["trotsky_first"]))
    assert "Historically Chernov went out first" not in note
    assert "differ" in note and "memoir" in note and "Sukhanov" in note


RESEARCH_TALK = (
    "not re-checked", "not re-read", "could not be found", "page not verified", "2017 chronicle",
    "known here only at second hand", "no source read for this story", "checked in a book",
)


def test_notes_speak_to_the_player_not_the_researcher(story: Story) -> None:
    words = _all_words(story).lower()
    assert [p for p in RESEARCH_TALK if p in words] == []


def test_claims_read_only_in_chronicles_are_out_of_the_players_text(story: Story) -> None:
    words = _all_words(story)
    for claim in ("few hundred reliable Cossacks", "church bell signalled", "First bullet for Kerensky",
                  "from 7 to 25 July", "advised to remain indoors", "advised loyal citizens"):
        assert claim not in words, claim
    for scene in _scenes(story):
        if scene.history:
            assert "SOLZ" not in scene.history.sources and "ZVY" not in scene.history.sources, scene.id
    assert [e.id for e in story.glossary.values() if {"SOLZ", "ZVY"} & set(e.sources)] == []


def test_kronstadts_soviet_is_not_called_bolshevik_led(story: Story) -> None:
    text = _flat(story.glossary["kronstadt"].text)
    assert "led by Bolsheviks" not in text and "Raskolnikov" in text
    assert "Lamanov" not in text, "his chairmanship is held only from memory (docs/story-research.md)"


def test_the_narrator_does_not_carry_the_memoirs_contempt(story: Story) -> None:
    texts = {s.id: _flat(s.text_source) for s in _scenes(story)}
    assert "drunks in the front row then as now" not in texts["sailors_at_gate"]
    assert "drunk" not in texts["before_five"], "Sukhanov is given Woytinsky's word for the sailors"
    assert "notebook" not in texts["before_five"], "Sukhanov's Notes were written later, not as a diary"
    assert "does not know what a motion is" not in texts["end_palace_stormed"]
    assert "takes his watch" not in texts["end_palace_stormed"]
    assert "inventory" not in texts["session_resumes"] and "writing down the names" not in texts["session_resumes"]


def test_prompts_are_open(story: Story) -> None:
    prompts = " ".join(h.discussion[0] for h in story.hours if h.id == "15-armoured-cars")
    assert "Whose aid, against whom?" not in prompts
    for scene in _scenes(story):
        assert "parliament" not in " ".join([_texts(scene), _notes(scene), *scene.discussion]), scene.id
    for hour in story.hours:
        if hour.id in AFTERNOON:
            assert "parliament" not in " ".join(hour.discussion), hour.id
    assert "Neither committee was a parliament" in _flat(story.glossary["peasants_ec"].text)


def test_the_clock_in_the_words_matches_the_story_clock(story: Story) -> None:
    """Trotsky freed Chernov at 17:25 and the vote is at 17:40; the regiment's call was minutes before 16:45."""
    assert not re.search(r"(?<!quarter of )an hour ago", _flat(story.scenes["take_power"].text_source))
    assert "Twenty minutes ago" not in _flat(story.scenes["kshesinskaya_line"].text_source)


def _interruptions(story: Story) -> set[tuple[str, str, str]]:
    """(event, scene.choice it cut into, scene it sent the player to), for the afternoon's events."""
    afternoon_events = {e.id for e in story.events if e.pos is not None and any(h in e.pos.file for h in AFTERNOON)}
    found: set[tuple[str, str, str]] = set()
    for seed in range(WALKS):
        before = None
        for state in walk_states(story, seed):
            if before is not None:
                scene = story.scenes[before.scene]
                entry = state.log[-1]
                choice = scene.choice(entry.choice)
                assert choice is not None
                if entry.event in afternoon_events and state.scene != choice.goto:
                    found.add((entry.event, f"{scene.id}.{entry.choice}", state.scene))
            before = state
    return found


def test_an_event_that_cuts_into_a_choice_answers_it_first(story: Story) -> None:
    """The scene an afternoon event sends the player to has a line for each choice it interrupts."""
    found = _interruptions(story)
    assert {e for e, _, _ in found} >= {"cars_on_liteiny", "palace_stormed"}
    silent = [(e, c, s) for e, c, s in sorted(found) if f"chosen({c})" not in story.scenes[s].text_source]
    assert silent == []
