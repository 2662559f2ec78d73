"""`tauride guide`: the teacher's sheet is generated from whatever story folder it is given."""

from __future__ import annotations

import re
from pathlib import Path

from class_story import write_class_story

from game.classroom.guide import historical_route, reading, scene_words, words
from game.cli import main
from game.story import Story


def test_words_count_what_a_reader_reads_not_template_markup():
    assert words("Resolve is {resolve}. {if secret}Kept.{else}Open, well-known.{/if}") == 5
    assert words("") == 0


def test_reading_time_rounds_up_and_says_when_it_is_short():
    assert reading(30) == "under a minute"
    assert reading(181) == "2 min"
    assert reading(180 * 75) == "1 h 15 min"


def test_a_rounded_reading_time_says_about_but_a_short_one_does_not():
    assert reading(181, about=True) == "about 2 min"
    assert reading(30, about=True) == "under a minute"


def test_the_historical_route_follows_the_marked_choices(class_story: Story):
    assert [s.id for s in historical_route(class_story)] == ["wire", "session", "gate", "saved"]
    assert scene_words(class_story.scenes["saved"]) == 7  # "You are heard." + "The sailors go home."


def test_markdown_sheet_has_every_part_a_teacher_needs(tmp_path: Path, capsys):
    folder = write_class_story(tmp_path / "story")
    assert main(["guide", str(folder)]) == 0
    text = capsys.readouterr().out
    heads = [line for line in text.splitlines() if line.startswith("## ")]
    assert heads == ["## Hours and scenes", "## Decision points", "## Endings", "## People and places",
                     "## Discussion prompts", "## Sources"]
    assert ("Story clock 15:30–23:00 (7 h 30 min) · 2 scene files · 6 scenes · 3 decision points · 3 endings · "
            "77 words in all branches (under a minute to read everything)") in text
    assert "passes 4 scenes and 3 choices, 3 of them decisions history records: about 62 words as read" in text
    assert "| Four o'clock | 2 | 41 | under a minute |" in text
    assert "- **The wire from the Fifth Army** — 16:00 · Chkheidze's office · 24 words" in text
    assert "- Keep it secret — **✔ what really happened**\n  - *Reflection asked:* Why did you keep the telegram secret?" in text
    assert ("> **Invented scene.** This scene did not happen as written; the note says what did.\n>\n"
            "> An invented moment at the gate.") in text
    assert "- **The palace holds** — ✔ close to history. The regiments arrived before dawn. [FIG]" in text
    assert "- **Chkheidze's office** *(invented)*: A small room off the left wing." in text
    assert "- Who should decide what the crowd is told? *(end of Four o'clock)*" in text
    assert "- **[SP]** W. S. Woytinsky, *Stormy Passage* (New York: Vanguard, 1961), p. 296." in text


def test_html_sheet_is_self_contained(tmp_path: Path):
    folder = write_class_story(tmp_path / "story")
    out = tmp_path / "sheet.html"
    assert main(["guide", str(folder), "-o", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<script" not in page
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    assert "<li>Keep it secret — <strong>✔ what really happened</strong>" in page
    assert "<table>" in page  # the hours table, rendered from the Markdown
    assert ("<p><strong>Invented scene.</strong> This scene did not happen as written; "
            "the note says what did.</p>") in page


def test_a_new_story_gets_its_own_sheet(tmp_path: Path, make_story, capsys):
    """The shared mini story, which the guide has never seen, still gets a sheet."""
    assert main(["guide", str(make_story()), "--format", "md"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("# Mini — teacher's sheet") and "### The wire (16:00)" in text


def test_a_broken_story_is_an_error_not_a_sheet(tmp_path: Path, capsys):
    folder = write_class_story(tmp_path / "story")
    (folder / "17.yaml").write_text("scenes:\n  - id: gate\n    goto: nowhere\n")
    assert main(["guide", str(folder)]) == 1
    err = capsys.readouterr().err
    assert "17.yaml" in err and "tauride validate" in err


NIGHT = """\
hour:
  title: Half past midnight
scenes:
  - id: night
    title: The small hours
    time: "00:30"
    text: Still sitting.
    choices:
      - {id: sing, text: Sing along, goto: saved, if: resolve > 2, historical: true}
      - {id: sing_too, text: Sing along, goto: lost, if: resolve <= 2}
      - {id: leave, text: Go home, goto: home}
"""


def test_hours_follow_the_story_clock_and_alike_choices_are_listed_once(tmp_path: Path, capsys):
    folder = write_class_story(tmp_path / "story")
    (folder / "story.yaml").write_text((folder / "story.yaml").read_text().replace('end: "23:00"', 'end: "02:00"'))
    (folder / "01-night.yaml").write_text(NIGHT)  # sorts first by name, comes last by the clock
    assert main(["guide", str(folder)]) == 0
    text = capsys.readouterr().out
    assert text.index("| Four o'clock |") < text.index("| Five o'clock |") < text.index("| Half past midnight |")
    assert text.index("### Sailors at the gate") < text.index("### The small hours")
    assert "- Sing along — **✔ what really happened**\n- Go home\n" in text


def test_the_sheets_figures_agree_with_each_other_and_the_clock_runs_past_midnight():
    """The route's words are the chapters' words (one count, `views.chapters.words_read`); July Days runs from
    08:00 to 06:00 the next morning: 22 hours, not the nine scene files it was once called."""
    from game.classroom.guide import clock_span, to_markdown
    from game.story_folder import load_folder
    from game.views.chapters import chapter_plans, historical_path_words

    july = load_folder(str(Path(__file__).resolve().parent.parent / "scenes"))
    assert clock_span(july) == "22 hours"
    assert historical_path_words(july) == sum(p.words for p in chapter_plans(july))
    assert f"about {historical_path_words(july):,} words as read" in to_markdown(july)
