"""The classroom parts of a story: content note, chapters, source packet, meters, endings' verdicts.

Inline stories pin the format and its errors (each at its file:line:col);
the shipped story is held to what a teacher is promised; plain mode is run
as a player runs it, in a subprocess.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import MINI_MANIFEST, MINI_SCENES, REPO, SCENES

from game import engine
from game.story import StoryError
from game.story.model import Story
from game.story_folder import load_folder
from game.views.chapters import ChapterError, chapter_plans, chapter_state
from game.views.reading import READ_ALOUD_WPM, count_words
from game.views.teaching import PARAPHRASE_NOTE, document_markdown, ending_verdict, meters

TEACHING = """\
content_note:
  age: 15
  text: >
    Shooting,
    and a killing.
chapters:
  - {title: The wire, start: a, so_far: It is four o'clock.}
  - {title: The session, start: b, so_far: The wire was kept secret.}
"""

DOCUMENTS = """\
documents:
  - id: memoir
    title: The memoir
    author: W. S. Woytinsky
    date: 4 July 1917
    text: We decided to keep the message secret.
    citation: W. S. Woytinsky, Stormy Passage (New York, 1961).
  - id: photo
    title: The photograph
    author: Viktor Bulla
    date: 4 July 1917
    paraphrase: true
    text: People run for the walls.
    citation: Photograph, Nevsky Prospekt.
"""

LINKED = MINI_SCENES.replace(
    "history: {note: It happened., sources: [SP]}",
    "history: {note: It happened., sources: [SP], documents: [memoir]}\n    discussion: ['Read [doc:photo]. Who fired?']",
)


def story_of(make_story, manifest_extra: str = TEACHING, scenes: str = LINKED, docs: str | None = DOCUMENTS) -> Story:
    files = {"story.yaml": MINI_MANIFEST + manifest_extra, "16.yaml": scenes}
    if docs is not None:
        files["documents.yaml"] = docs
    return load_folder(str(make_story(files)))


def problems_of(make_story, **kwargs: str | None) -> list[str]:
    with pytest.raises(StoryError) as err:
        story_of(make_story, **kwargs)  # type: ignore[arg-type]
    return [str(p) for p in err.value.problems]


# ------------------------------------------------------------------ the format
def test_the_content_note_chapters_and_documents_load(make_story) -> None:
    story = story_of(make_story)
    assert story.content_note is not None and story.content_note.age == 15
    assert story.content_note.text == "Shooting, and a killing."
    assert [(c.number, c.title, c.start) for c in story.chapters] == [(1, "The wire", "a"), (2, "The session", "b")]
    assert [(d.number, d.id) for d in story.documents.values()] == [(1, "memoir"), (2, "photo")]
    assert story.scenes["a"].history is not None and story.scenes["a"].history.documents == ("memoir",)


def test_a_prompt_names_a_document_by_its_number_and_title(make_story) -> None:
    story = story_of(make_story)
    assert story.scenes["a"].discussion == ("Read Document 2 (The photograph). Who fired?",)


def test_a_story_without_them_still_loads(make_story) -> None:
    story = story_of(make_story, manifest_extra="", scenes=MINI_SCENES, docs=None)
    assert story.content_note is None and story.chapters == () and dict(story.documents) == {}


def test_a_note_naming_a_missing_document_is_an_error_at_its_place(make_story) -> None:
    found = problems_of(make_story, scenes=LINKED.replace("documents: [memoir]", "documents: [memior]"))
    assert any(p.startswith(str(Path("16.yaml"))) or "16.yaml:" in p for p in found)
    assert any("document 'memior' is not in any file's documents:. Did you mean 'memoir'?" in p for p in found)


def test_a_prompt_naming_a_missing_document_is_an_error(make_story) -> None:
    found = problems_of(make_story, scenes=LINKED.replace("[doc:photo]", "[doc:foto]"))
    assert any("16.yaml:" in p and "prompt names document 'foto'" in p and "Did you mean 'photo'?" in p for p in found)


def test_a_duplicate_document_id_is_an_error(make_story) -> None:
    found = problems_of(make_story, docs=DOCUMENTS.replace("id: photo", "id: memoir"))
    assert any("documents.yaml:" in p and "duplicate document id 'memoir'" in p for p in found)


def test_a_document_without_its_citation_is_an_error_at_its_place(make_story) -> None:
    found = problems_of(make_story, docs=DOCUMENTS.replace("    citation: Photograph, Nevsky Prospekt.\n", ""))
    assert any("documents.yaml:" in p and "citation" in p for p in found)


def test_a_chapter_at_a_scene_that_does_not_exist_is_an_error(make_story) -> None:
    found = problems_of(make_story, manifest_extra=TEACHING.replace("start: b,", "start: sailor,"))
    assert any("story.yaml:" in p and "chapter 2 starts at 'sailor', which is not a scene. Did you mean 'sailors'?" in p
               for p in found)


@pytest.mark.parametrize("age", ["fifteen", "30", "-1"])
def test_a_content_note_with_an_impossible_age_is_an_error(make_story, age: str) -> None:
    found = problems_of(make_story, manifest_extra=TEACHING.replace("age: 15", f"age: {age}"))
    assert any("story.yaml:" in p and "age" in p for p in found)


# ------------------------------------------------------------------ chapters
def test_a_chapter_starts_in_the_state_the_historical_choices_reach(make_story) -> None:
    story = story_of(make_story)
    session = chapter_state(story, 2, seed=3)
    by_hand = engine.choose(story, engine.new_game(story, seed=3), "keep")  # the historical choice, 16:00 -> 16:15
    assert session.scene == "b" == by_hand.scene
    assert session.vars == by_hand.vars and session.vars == {"resolve": 3, "secret": True}
    assert session.clock == by_hand.clock
    # the same steps, marked as the chapter's (not the player's) so no view counts them
    assert all(e.by_chapter for e in session.log) and not any(e.by_chapter for e in by_hand.log)
    assert tuple(replace(e, by_chapter=False) for e in session.log) == by_hand.log


def test_a_chapter_that_does_not_exist_says_which_do(make_story) -> None:
    story = story_of(make_story)
    with pytest.raises(ChapterError, match=r"there is no chapter 3: choose 1 to 2 \(1\. The wire; 2\. The session\)"):
        chapter_state(story, 3)


def test_a_chapter_off_the_historical_path_is_refused(make_story) -> None:
    # history keeps the wire secret and goes home at 16:15, so the 17:00 sailors never come on that path
    story = story_of(make_story, manifest_extra=TEACHING.replace("start: b,", "start: sailors,"))
    with pytest.raises(ChapterError, match="starts at scene 'sailors', which the historical path does not pass through"):
        chapter_state(story, 2)
    with pytest.raises(ChapterError, match="does not pass through"):
        chapter_plans(story)


def test_a_chapters_minutes_are_its_words_read_aloud(make_story) -> None:
    long_text = " ".join(["word"] * 400)
    story = story_of(make_story, scenes=LINKED.replace("text: The benches fill.", f"text: {long_text}"))
    first, second = chapter_plans(story)
    # chapter 1: 'The wire', its text and both choices read out
    assert first.words == count_words("Resolve is 2. Open.") + count_words("Keep it secret") + count_words("Read it aloud (2)")
    assert first.minutes == 1 and first.span == "16:00–16:15"
    # chapter 2: 'The session' and its two choices, then the ending's text and epilogue
    assert second.words == 400 + count_words("Wait") + count_words("Go home") + count_words("Done.") + count_words("Over.")
    assert second.minutes == -(-405 // READ_ALOUD_WPM) == 3
    assert (second.scenes, second.decisions) == (2, 1)


# ------------------------------------------------------------------ the shipped story
@pytest.fixture(scope="module")
def july() -> Story:
    return load_folder(str(SCENES))


def test_july_days_declares_its_content_note(july: Story) -> None:
    note = july.content_note
    assert note is not None and note.age == 15
    for word in ("violence", "killing", "massacre", "slurs", "profanity"):
        assert word in note.text


def test_every_chapter_of_july_days_is_on_the_historical_path_and_fits_a_lesson(july: Story) -> None:
    plans = chapter_plans(july)
    assert len(plans) >= 4
    assert [p.chapter.start for p in plans][0] == july.start
    for p in plans:
        assert 5 <= p.minutes <= 15, p
        assert chapter_state(july, p.chapter.number).scene == p.chapter.start


def test_july_days_ships_a_packet_of_six_to_eight_documents_each_cited_and_used(july: Story) -> None:
    docs = list(july.documents.values())
    assert 6 <= len(docs) <= 8
    noted = {d for s in july.scenes.values() if s.history for d in s.history.documents}
    prompts = [p for s in july.scenes.values() for p in s.discussion] + [p for h in july.hours for p in h.discussion]
    for doc in docs:
        assert doc.citation and doc.author and doc.date, doc.id
        assert doc.id in noted, f"no note rests on {doc.id}"
        assert count_words(doc.text) <= 200, f"{doc.id} is more than a short excerpt"
    assert sum(1 for p in prompts if "Document " in p) >= 10
    assert all(d.label in " ".join(prompts) for d in docs)


def test_a_paraphrase_says_it_is_one_wherever_it_is_shown(july: Story) -> None:
    for doc in july.documents.values():
        shown = document_markdown(doc)
        assert (PARAPHRASE_NOTE in shown) == doc.paraphrase
        assert doc.citation in shown


def test_every_meter_says_what_it_measures_and_whether_high_is_good(july: Story) -> None:
    shown = meters(july, engine.new_game(july).vars)
    assert len(shown) == 4
    for m in shown:
        assert "High" in m.meaning or "high" in m.meaning, m


def test_each_ending_says_whether_it_is_history(july: Story) -> None:
    verdicts = {s.id: ending_verdict(s.ending) for s in july.endings if s.ending}
    historical = [sid for sid, v in verdicts.items() if v.startswith("The historical outcome")]
    assert historical == ["end_marseillaise"]
    assert all(v.startswith("A counterfactual ending") for sid, v in verdicts.items() if sid not in historical)


# ------------------------------------------------------------------ plain mode, as a player meets it
def plain(*args: str, lines: str = "", tmp: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "game", "play", "--plain", "--save-dir", str(tmp / "saves"), *args],
                          cwd=REPO, input=lines, capture_output=True, text=True, timeout=120)


def test_plain_mode_starts_a_chapter_after_the_content_note_and_the_story_so_far(tmp_path: Path) -> None:
    done = plain("--chapter", "3", "--seed", "1", lines="meters\nhistory\ndocuments\ndocuments 8\n", tmp=tmp_path)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.startswith("Content note · for ages 15+. This story shows political violence")
    assert "\nChapter 3: The sailors at the gate.\nThe story so far: At four o'clock a wire" in out
    assert "Time: 17:00." in out and "(Type meters for what they measure.)" in out
    assert "Meters: 4.\n  1. Temper of the street: 8 of 10. How close the crowd outside is to violence. High is danger" in out
    assert "Documents this note rests on: 1.\nDocument 1 (Woytinsky, the memoir this story grows from). W. S. Woytinsky" in out
    assert "Source packet: 8 documents." in out
    assert 'Document 8 (Lenin, "Three Crises"). V. I. Lenin' in out and "Source: V. I. Lenin" in out


def test_plain_mode_says_the_content_note_before_a_new_game_but_not_when_loading(tmp_path: Path) -> None:
    first = plain("--seed", "1", lines="1\nquit\n", tmp=tmp_path)  # a choice, so the game is autosaved
    assert first.stdout.startswith("Content note · for ages 15+.")
    again = plain("--load", "autosave", lines="quit\n", tmp=tmp_path)
    assert again.returncode == 0 and "Content note" not in again.stdout


@pytest.mark.parametrize("args, message", [
    (["--chapter", "9"], "tauride: --chapter 9: there is no chapter 9: choose 1 to 5 (1. The armoured cars;"),
    (["--chapter", "2", "--from", "telegram"], "tauride: --chapter starts a new game at a chapter; it does not go with"),
    (["--chapter", "2", "--set", "resolve=3"], "a chapter starts in the state history gives it; leave out --set"),
])
def test_a_bad_chapter_gets_a_message_not_a_traceback(tmp_path: Path, args: list[str], message: str) -> None:
    done = plain(*args, tmp=tmp_path)
    assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr


def test_validate_history_names_a_chapter_off_the_historical_path_at_its_line(make_story, tmp_path: Path) -> None:
    folder = make_story({"story.yaml": MINI_MANIFEST + TEACHING.replace("start: b,", "start: sailors,"),
                         "16.yaml": LINKED, "documents.yaml": DOCUMENTS})
    done = subprocess.run([sys.executable, "-m", "game", "validate", "--history", str(folder)],
                          cwd=REPO, capture_output=True, text=True, timeout=60)
    line = 1 + (MINI_MANIFEST + TEACHING).splitlines().index("  - {title: The session, start: b, so_far: The wire was kept secret.}")
    assert done.returncode == 1
    assert f"story.yaml:{line}:" in done.stderr
    assert "chapter 2 ('The session') starts at scene 'sailors', which the historical path does not pass through" in done.stderr


def test_the_lesson_plan_in_the_classroom_guide_matches_the_chapters(july: Story) -> None:
    """docs/classroom.md's chapter table says what `tauride guide` computes from the story."""
    import re

    text = (REPO / "docs" / "classroom.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\d)\. (.+?) \| (\S+) \| (\d+) \| (\d+) min \|", text, re.MULTILINE)
    plans = chapter_plans(july)
    assert [(int(n), title, span, int(votes), int(minutes)) for n, title, span, votes, minutes in rows] == [
        (p.chapter.number, p.chapter.title, p.span, p.decisions, p.minutes) for p in plans]
    total = sum(p.words for p in plans)
    said = int(re.search(r"historical\s+route alone is about ([\d,]+) words read aloud", text).group(1).replace(",", ""))
    assert abs(said - total) <= 100, (said, total)
