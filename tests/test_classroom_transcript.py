"""`tauride transcript`: the playthrough as Markdown and as one self-contained HTML page."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from class_story import play, save, write_class_story

from game.classroom.playthrough import load_playthrough, trace
from game.classroom.transcript import to_html, to_markdown
from game.cli import main
from game.story import Story

VOTES = {"keep": {"keep": 9, "tell": 9, "phone": 3}, "wait": {"wait": 4, "leave": 17}, "hide": {"speak": 10, "hide": 12}}
ANSWER = "Because the crowd would <b>panic</b>.\nAnd the troops were far."


@pytest.fixture
def class_save(tmp_path: Path, class_story: Story) -> Path:
    state = play(class_story, ["keep", "wait", "hide"], votes=VOTES, answers={"keep": ANSWER})
    return save(tmp_path / "saves", class_story, state, "anna", {"student": "Anna", "class": "9B", "mode": "class"})


def test_markdown_follows_the_play_hour_by_hour(class_story: Story, class_save: Path):
    text = to_markdown(load_playthrough(class_story, class_save))
    heads = [line for line in text.splitlines() if line.startswith("## ")]
    assert heads == ["## Four o'clock", "## Five o'clock", "## The end: The doors give",
                     "## Debrief: your choices against history", "## Reflections", "## Discussion prompts",
                     "## People and places met", "## Sources"]
    assert "*Anna · class 9B · played together as a class · saved " in text
    assert "**Finished at 17:00: “The doors give” (not as it happened)**" in text
    assert "3 choices · story time 16:00 → 17:00 (1 h 00 min) · 2 of 3 decisions as history" in text
    # the scene as it read then (Resolve was 2 before the choice raised it), with the clock and place
    assert "### The wire from the Fifth Army\n*16:00 · Chkheidze's office*\n\nChkheidze turns" in text
    assert "Resolve is 2." in text
    assert "**Chosen:** Keep it secret ✔ *as history*" in text
    assert "**Chosen:** Stay inside ✘ *left history*" in text


def test_markdown_keeps_the_votes_and_how_each_was_settled(class_story: Story, class_save: Path):
    text = to_markdown(load_playthrough(class_story, class_save))
    assert "Class vote, 21 votes — a tie, settled by the teacher:" in text
    assert "Class vote, 21 votes — the teacher overruled the vote:" in text
    assert "Class vote, 22 votes — the class's majority:" in text
    assert re.search(r"\| Keep it secret \*\*← taken\*\* \*\(history\)\* \| 9 \| █+", text)
    assert re.search(r"\| Slip out by the side door \| 17 \| █+", text)


def test_markdown_keeps_the_reflection_as_typed_but_inert(class_story: Story, class_save: Path):
    text = to_markdown(load_playthrough(class_story, class_save))
    assert "**Why did you keep the telegram secret?** *(after “Keep it secret”, 16:00)*" in text
    assert "> Because the crowd would \\<b\\>panic\\</b\\>.\n> And the troops were far." in text


def test_markdown_has_notes_with_full_citations_prompts_and_debrief(class_story: Story, class_save: Path):
    text = to_markdown(load_playthrough(class_story, class_save))
    assert ("> **What really happened.**\n>\n> Woytinsky has the wire reach *Chkheidze* at about 4 p.m.\n>\n"
            "> Sources:\n>\n> - [SP] W. S. Woytinsky, *Stormy Passage* (New York: Vanguard, 1961), p. 296.") in text
    assert ("> **Invented scene.** This scene did not happen as written; the note says what did.\n>\n"
            "> An invented moment at the gate.") in text
    # the hour's prompts come when the hour is over, and every prompt is gathered at the end
    assert text.index("> **For discussion — end of “Four o'clock”**") < text.index("## Five o'clock")
    assert ("- Why keep good news from your own side? *(The wire from the Fifth Army)*\n"
            "- Who should decide what the crowd is told? *(Four o'clock)*\n"
            "- What could the leaders have done at the gate? *(Five o'clock)*") in text
    assert "| 3 | 17:00 | Sailors at the gate | Stay inside | Go out and speak | left history |" in text
    assert ("## People and places met\n\n- **Chkheidze's office** *(invented)* — A small room off the left wing.\n"
            "- **Nikolai Chkheidze** — Chairman of the Soviet.\n- **Catherine Hall** — The great hall of the palace.") in text
    assert "- **[FIG]** Orlando Figes, *A People's Tragedy* (London: Cape, 1996), ch. 10." in text


def test_an_unfinished_solo_game_says_where_it_stands_and_keeps_the_hour_open(class_story: Story):
    pt = trace(class_story, play(class_story, ["tell"]))
    text = to_markdown(pt)
    assert "**In progress: at “The session resumes”, 16:05**" in text
    assert "## Where the playthrough stands" in text
    assert "Class vote" not in text and "## Reflections" not in text
    assert "For discussion — end of" not in text  # the hour is not over yet
    assert "| 1 | 16:00 | The wire from the Fifth Army | Read it aloud | Keep it secret | left history |" in text


def test_html_is_one_self_contained_page(class_story: Story, class_save: Path):
    page = to_html(load_playthrough(class_story, class_save))
    assert page.startswith("<!DOCTYPE html>") and "<style>" in page
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page), "no external resources"
    assert "<script" not in page and "@import" not in page and "url(" not in page
    assert "Because the crowd would &lt;b&gt;panic&lt;/b&gt;." in page  # typed text never becomes markup
    assert "<p>Class vote, 21 votes — a tie, settled by the teacher:</p>" in page
    assert "<p><strong>Chosen:</strong> Stay inside ✘ <em>left history</em></p>" in page
    assert ("<li><strong>[SP]</strong> W. S. Woytinsky, <em>Stormy Passage</em> (New York: Vanguard, 1961), "
            "p. 296.</li>") in page
    assert '<h2 id="the-end-the-doors-give">The end: The doors give</h2>' in page


def test_the_html_is_the_markdown_rendered(class_story: Story, class_save: Path):
    """One document, not two twins: the page's body is exactly the Markdown rendered by markdown-it."""
    from game.classroom.page import _md_document

    pt = load_playthrough(class_story, class_save)
    assert _md_document().render(to_markdown(pt)) in to_html(pt)


def test_story_html_in_text_is_shown_not_run(tmp_path: Path):
    from game.story_folder import load_folder

    folder = write_class_story(tmp_path / "s")
    f = folder / "16.yaml"
    f.write_text(f.read_text().replace("Resolve is {resolve}.", "<script>alert(1)</script> Resolve is {resolve}."))
    story = load_folder(str(folder))
    page = to_html(trace(story, play(story, ["tell"])))
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_cli_writes_markdown_to_stdout_and_html_to_a_file(tmp_path: Path, class_save: Path, capsys):
    scenes = str(write_class_story(tmp_path / "story2"))
    assert main(["transcript", str(class_save), "--scenes", scenes]) == 0
    assert capsys.readouterr().out.startswith("# The Wire — a playthrough")
    out = tmp_path / "anna.html"
    assert main(["transcript", str(class_save), "--scenes", scenes, "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert main(["transcript", str(class_save), "--scenes", scenes, "--format", "md", "-o", str(tmp_path / "a.txt")]) == 0
    assert (tmp_path / "a.txt").read_text(encoding="utf-8").startswith("# The Wire")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "corrupt"),
        (json.dumps({"hello": 1}), "not a Tauride save"),
        (json.dumps({"format": "tauride-save", "version": 1, "story": {"id": "other"}, "state": {}}),
         "belongs to the story 'other'"),
    ],
)
def test_cli_names_a_bad_save_and_fails_cleanly(tmp_path: Path, capsys, content: str, message: str):
    scenes = str(write_class_story(tmp_path / "story"))
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    assert main(["transcript", str(bad), "--scenes", scenes]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"tauride: {bad}") and message in err


def test_a_save_the_story_no_longer_fits_is_reported(tmp_path: Path, class_story: Story, class_save: Path, capsys):
    folder = write_class_story(tmp_path / "edited")
    f = folder / "16.yaml"
    f.write_text(f.read_text().replace("id: keep", "id: keep_it"))
    assert main(["transcript", str(class_save), "--scenes", str(folder)]) == 1
    assert "the story has changed since this save was made" in capsys.readouterr().err


def test_a_folder_of_saves_gives_every_transcript_and_an_index(tmp_path: Path, class_story: Story, capsys):
    import stat

    from class_story import make_class
    klass = make_class(tmp_path / "saves", class_story)
    out = tmp_path / "transcripts"
    assert main(["transcript", str(klass), "--scenes", class_story.root, "-o", str(out)]) == 0
    files = sorted(p.name for p in out.iterdir())
    assert files == ["Anna (9B).html", "Boris (9B).html", "Clara (9B).html", "Dmitri (9B).html", "Eva (9B).html",
                     "Fyodor (9B).html", "index.html"]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert '<a href="Anna%20%289B%29.html">Anna (9B)</a>' in index and "Files not read (4)" in index
    from urllib.parse import unquote

    links = re.findall(r'<a href="([^"]+)">', index)  # each opens its file, as a browser reads the address
    assert sorted(unquote(link) for link in links) == [f for f in files if f != "index.html"]
    assert "<em>not finished</em>" in index  # Fyodor stopped at the gate
    anna = (out / "Anna (9B).html").read_text(encoding="utf-8")
    assert "so nobody panics &lt;b&gt;now&lt;/b&gt;" in anna  # the same document as one transcript, escaped
    assert stat.S_IMODE((out / "index.html").stat().st_mode) & 0o044
    assert "wrote 6 transcripts" in capsys.readouterr().err


def test_the_index_links_names_with_hash_or_percent_to_their_own_files(class_story: Story, class_save: Path):
    """A file name is a path, not a URL: '#' began a fragment and '%25' was read as '%', so 'Zoe #1' and
    'Yan 100%' opened the wrong file, or none."""
    from urllib.parse import unquote, urlsplit

    from game.classroom.transcript_folder import index_html

    class Student:  # what the index reads of a report's student
        def __init__(self, name: str, pt: object) -> None:
            self.name, self.playthrough = name, pt

    class Report:
        def __init__(self, students: list[Student]) -> None:
            self.students, self.skipped, self.story = students, [], class_story

    pt = load_playthrough(class_story, class_save)
    names = ["Zoe #1 (9B).html", "Yan 100%25 (9B).html"]
    index = index_html(Report([Student("Zoe #1", pt), Student("Yan 100%25", pt)]), names)  # type: ignore[arg-type]
    links = re.findall(r'<a href="([^"]+)">', index)
    assert [unquote(urlsplit(link).path) for link in links] == names and all(not urlsplit(x).fragment for x in links)


def test_a_students_transcript_by_the_name_they_sign_in_with(tmp_path: Path, class_story: Story, capsys):
    """A served student's folder is named by a hash of their name: `--student` finds it as the server does."""
    from game.classroom.students import student, student_folder
    from game.saves import SaveStore

    klass = tmp_path / "saves" / "9B"
    SaveStore(student_folder(klass, student("Anna Petrova"))).write("autosave", class_story,
                                                                    play(class_story, ["keep"]), {"student": "Anna Petrova"})
    out = tmp_path / "anna.html"
    assert main(["transcript", str(klass), "--student", "anna petrova", "--scenes", class_story.root,
                 "-o", str(out)]) == 0
    assert "Anna Petrova" in out.read_text(encoding="utf-8")
    assert main(["transcript", str(klass), "--student", "Boris", "--scenes", class_story.root]) == 1
    assert "tauride: Boris has no game in" in capsys.readouterr().err


def test_a_folder_of_one_save_says_one_transcript(tmp_path: Path, class_story: Story, class_save: Path, capsys):
    out = tmp_path / "transcripts"
    assert main(["transcript", str(tmp_path / "saves"), "--scenes", class_story.root, "-o", str(out)]) == 0
    assert f"wrote 1 transcript to {out} (open" in capsys.readouterr().err


def test_a_folder_without_an_output_folder_is_refused_with_words(tmp_path: Path, class_story: Story, capsys):
    from class_story import make_class
    klass = make_class(tmp_path / "saves", class_story)
    assert main(["transcript", str(klass), "--scenes", class_story.root]) == 2
    assert "give the folder to write them to" in capsys.readouterr().err
    (tmp_path / "afile").write_text("x")
    assert main(["transcript", str(klass), "--scenes", class_story.root, "-o", str(tmp_path / "afile")]) == 2
