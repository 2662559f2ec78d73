"""`tauride report`: a class folder of saves, corrupt and foreign files included, added up."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from class_story import make_class, play, save, write_class_story

from game.classroom.report import build
from game.classroom.report_render import to_html, to_rich
from game.cli import main
from game.story import Story


@pytest.fixture
def klass(tmp_path: Path, class_story: Story) -> Path:
    return make_class(tmp_path / "saves", class_story)


def test_each_student_counts_once_and_bad_files_are_listed_not_fatal(class_story: Story, klass: Path):
    r = build(class_story, [klass])
    assert [s.name for s in r.students] == ["Anna (9B)", "Boris (9B)", "Clara (9B)", "Dmitri (9B)", "Eva (9B)", "Fyodor (9B)"]
    assert r.files == 16 and r.superseded == 6
    reasons = {p.relative_to(klass).as_posix(): why for p, why in ((s.path, s.reason) for s in r.skipped)}
    assert set(reasons) == {"greta/autosave.json", "hugo/autosave.json", "ivan/autosave.json", "notes.json"}
    assert reasons["greta/autosave.json"].startswith("the save is corrupt")
    assert reasons["hugo/autosave.json"].startswith("the save is empty")
    assert reasons["ivan/autosave.json"] == "this save belongs to the story 'july_days', not 'the_wire'"
    assert reasons["notes.json"] == "not a Tauride save"


def test_per_decision_counts_with_the_historical_choice_known(class_story: Story, klass: Path):
    points = {p.scene.id: p for p in build(class_story, [klass]).points}
    assert list(points) == ["wire", "session", "gate"]
    assert dict(points["wire"].counts) == {"keep": 3, "tell": 2, "phone": 1}
    assert points["wire"].historical_ids == ("keep",)
    assert dict(points["session"].counts) == {"wait": 5, "leave": 1}
    assert dict(points["gate"].counts) == {"speak": 2, "hide": 2}
    assert len(points["gate"].reached) == 4


def test_endings_unfinished_games_and_departures(class_story: Story, klass: Path):
    r = build(class_story, [klass])
    assert [(s.id, n) for s, n in r.endings] == [("saved", 2), ("lost", 2), ("home", 1)]
    assert [(s.id, n) for s, n in r.unfinished] == [("gate", 1)]
    deps = r.departures()
    assert [(p.scene.id, len(p.first_left), len(p.left)) for p in deps] == [("wire", 3, 3), ("gate", 1, 2), ("session", 0, 1)]


def test_how_long_they_played_in_choices_story_time_and_real_time(class_story: Story, klass: Path):
    r = build(class_story, [klass])
    steps = r.steps_summary()
    assert (steps.low, steps.median, steps.high) == (2, 3, 3)
    wall = r.wall_minutes_summary()
    assert (wall.count, wall.low, wall.high) == (6, 5, 10)
    assert r.story_minutes_summary().high == 60  # from the wire at 16:00 (the clock itself starts at 15:30) to 17:00


def test_without_recorded_time_real_time_is_said_to_be_unrecorded(tmp_path: Path, class_story: Story, capsys):
    save(tmp_path / "c", class_story, play(class_story, ["tell"]), "zoe")
    assert main(["report", str(tmp_path / "c"), "--scenes", class_story.root]) == 0
    out = capsys.readouterr().out
    assert re.search(r"real time played \(median\)\s+not recorded", out)
    assert "zoe" in out  # named after the folder when no name was typed


def test_terminal_report_shows_tables_bars_and_the_skipped(class_story: Story, klass: Path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "120")
    assert main(["report", str(klass), "--scenes", class_story.root]) == 0
    out = capsys.readouterr().out
    assert "The Wire — class report" in out
    assert "6 playthroughs from 16 files (6 earlier saves of the same games left out); 4 skipped" in out
    assert re.search(r"Keep it secret\s+3\s+█{24}\s+50%\s+✔ history", out)
    assert re.search(r"Read it aloud\s+2\s+█{16}·{8}\s+33%", out)
    assert re.search(r"not finished: at Sailors at the gate\s+1", out)
    assert re.search(r"The wire from the Fifth Army\s+3\s+3\s+6", out)
    assert "2 of 6 never left history" in out
    assert "this save belongs to the story 'july_days'" in out


def test_html_report_is_one_page_with_svg_charts(tmp_path: Path, class_story: Story, klass: Path):
    out = tmp_path / "report.html"
    assert main(["report", str(klass), "--scenes", class_story.root, "--html", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert page.count("<svg") == 5  # endings, three decision points, departures
    assert "<script" not in page and not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    assert "3 · 50% ✔ history" in page and "2 · 33%" in page
    assert "notes.json" in page and "Skipped files (4)" in page


def test_a_folder_with_nothing_countable_still_reports(tmp_path: Path, class_story: Story, capsys):
    (tmp_path / "junk").mkdir()
    (tmp_path / "junk" / "a.json").write_text("[1, 2]")
    assert main(["report", str(tmp_path / "junk"), str(tmp_path / "nowhere"), "--scenes", class_story.root]) == 1
    out = capsys.readouterr().out
    assert "No playthroughs of this story were found." in out
    assert "no such file or folder" in out and "not a Tauride save" in out
    r = build(class_story, [tmp_path / "junk"])
    assert "No playthroughs of this story were found." in to_html(r)


def test_two_separate_games_by_one_student_both_count(tmp_path: Path, class_story: Story):
    save(tmp_path / "c", class_story, play(class_story, ["keep", "wait", "speak"]), "yuri", {"student": "Yuri"})
    save(tmp_path / "c", class_story, play(class_story, ["tell", "wait", "hide"]), "yuri", {"student": "Yuri"}, slot="second try")
    r = build(class_story, [tmp_path / "c"])
    assert sorted(s.name for s in r.students) == ["Yuri", "Yuri #2"] and r.superseded == 0


def test_a_save_the_story_has_outgrown_is_skipped_with_the_reason(tmp_path: Path, class_story: Story):
    save(tmp_path / "c", class_story, play(class_story, ["keep", "wait"]), "old")
    folder = write_class_story(tmp_path / "edited")
    (folder / "16.yaml").write_text((folder / "16.yaml").read_text().replace("id: wait", "id: linger"))
    from game.story_folder import load_folder

    r = build(load_folder(str(folder)), [tmp_path / "c"])
    assert not r.students and "the story has changed since this save was made" in r.skipped[0].reason


def test_each_students_line_says_where_they_first_left_history(class_story: Story, klass: Path):
    from game.classroom.report_render import student_rows

    rows = {row[0]: row for row in student_rows(build(class_story, [klass]))}
    assert rows["Anna (9B)"][1:] == ("The palace holds", "3", "16:00–17:00", "5 min", "3/3", "never")
    assert rows["Clara (9B)"][-2:] == ("1/3", "The wire from the Fifth Army")
    assert rows["Eva (9B)"][-1] == "Sailors at the gate"
    assert rows["Fyodor (9B)"][1] == "(at Sailors at the gate)"


def test_reflections_are_gathered_by_question_for_the_teacher_to_read(tmp_path: Path, class_story: Story, klass: Path,
                                                                       capsys, monkeypatch):
    r = build(class_story, [klass])
    assert r.reflections() == [("Why did you keep the telegram secret?", [
        ("Anna (9B)", "Anna: so nobody panics <b>now</b>"), ("Boris (9B)", "Boris: so nobody panics <b>now</b>"),
        ("Eva (9B)", "Eva: so nobody panics <b>now</b>")])]
    monkeypatch.setenv("COLUMNS", "120")
    out = tmp_path / "r.html"
    assert main(["report", str(klass), "--scenes", class_story.root, "--html", str(out)]) == 0
    assert "Reflection: Why did you keep the telegram secret?" in capsys.readouterr().out
    page = out.read_text(encoding="utf-8")
    assert "<h3>Why did you keep the telegram secret?</h3>" in page
    assert "Eva: so nobody panics &lt;b&gt;now&lt;/b&gt;" in page


def test_csv_for_a_gradebook_and_the_decisions_with_names(tmp_path: Path, class_story: Story, klass: Path):
    import csv
    import stat

    # one student's name would be a formula in a spreadsheet; another kept time on task
    save(klass, class_story, play(class_story, ["tell", "leave"], seed=9), "zed",
         {"student": "=HYPERLINK(\"http://x\")", "class": "9B", "active_seconds": 600})
    out = tmp_path / "out" / "grades.csv"
    out.parent.mkdir()
    assert main(["report", str(klass), "--scenes", class_story.root, "--csv", str(out)]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    by = {r["student"]: r for r in rows}
    assert set(by) == {"Anna", "Boris", "Clara", "Dmitri", "Eva", "Fyodor", "'=HYPERLINK(\"http://x\")"}
    anna = by["Anna"]
    assert anna["class"] == "9B" and anna["finished"] == "yes" and anna["choices made"] == "3"
    assert anna["choices as history"] == anna["decision points"] == "3" and anna["reflections answered"] == "1"
    assert by["Fyodor"]["finished"] == "no" and by["Fyodor"]["ending"].startswith("(at ")
    assert by["'=HYPERLINK(\"http://x\")"]["active minutes"] == "10" and anna["active minutes"] == ""
    decisions = list(csv.DictReader((tmp_path / "out" / "grades-decisions.csv").open(encoding="utf-8", newline="")))
    wire = {r["option"]: r for r in decisions if r["decision"] == "The wire from the Fifth Army"}
    assert wire["Keep it secret"]["taken"] == "3" and wire["Keep it secret"]["students"] == "Anna; Boris; Eva"
    assert wire["Keep it secret"]["as history"] == "yes"
    assert wire["Read it aloud"]["students"].startswith("'=HYPERLINK") or "Clara" in wire["Read it aloud"]["students"]
    assert any(r["most divided"] == "yes" for r in decisions)
    assert wire["Keep it secret"]["most divided"] == "yes"  # 3/2/2 is the closest split in this class
    mode = stat.S_IMODE(out.stat().st_mode)
    assert mode & 0o044, f"a collected file must be readable by the teacher's other accounts, not {oct(mode)}"


def test_endings_that_read_alike_are_one_row_with_their_counts_added(tmp_path: Path):
    """Two ending scenes with one title (an outcome reached another way, or later) are one ending to a
    teacher: one row, one bar, the counts added (July Days has two such pairs)."""
    from game.story_folder import load_folder

    folder = write_class_story(tmp_path / "the-wire")
    hour = folder / "17.yaml"
    hour.write_text(hour.read_text(encoding="utf-8").replace("{title: The doors give,", "{title: Home early,"),
                    encoding="utf-8")
    story = load_folder(str(folder))
    r = build(story, [make_class(tmp_path / "saves", story)])
    assert [(e.title, e.count, e.historical) for e in r.ending_rows] == [
        ("Home early", 3, False), ("The palace holds", 2, True)]
    assert [(e.title, e.count) for e in r.unfinished_rows] == [("Sailors at the gate", 1)]
    page = to_html(r)
    chart = page[page.index("<h2>Endings</h2>"):page.index("<h2>", page.index("<h2>Endings</h2>") + 1)]
    assert chart.count("Home early") == 1 and "The doors give" not in chart
    text = _text_report(r)
    assert len(re.findall(r"^\s*Home early\s+3\s", text, re.M)) == 1  # the endings table's one row
    assert not re.search(r"^\s*Home early\s+[12]\s", text, re.M) and "The doors give" not in text


def _text_report(r) -> str:  # type: ignore[no-untyped-def]
    """The report as `tauride report` prints it to a terminal."""
    import io

    from rich.console import Console

    console = Console(width=120, record=True, file=io.StringIO())
    for part in to_rich(r):
        console.print(part)
    return console.export_text()
