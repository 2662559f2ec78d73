"""`tauride report` over a class of the shipped story, which has two chairs, as the classroom guide runs it.

The joint debrief needs two halves: a class folder whose playthroughs are all
of one chair gets that chair's own report, and `--csv` its gradebook, without
the teacher naming the chair. Only a class that played both chairs is asked
which chair's gradebook to write. Each playthrough's story time runs from
where its own chair began (the committee man's afternoon starts at 15:00),
not from the shared clock's 08:00.

The saves are made with the engine along the historical route (the same
steps every time), into a class folder laid out as `tauride serve` writes it.
"""

from __future__ import annotations

import csv
import html
from pathlib import Path

import pytest
from class_story import save

from game import engine
from game.classroom.joint import build_joint
from game.classroom.report import build
from game.classroom.report_render import glance, student_rows
from game.cli import main
from game.saves import autosave_name
from game.story import Story
from game.story_folder import load_folder
from game.views.timeline import historical_path

SCENES = Path(__file__).resolve().parent.parent / "scenes"


@pytest.fixture(scope="module")
def committee() -> Story:
    return load_folder(str(SCENES), chair="committee")


@pytest.fixture(scope="module")
def sailor() -> Story:
    return load_folder(str(SCENES), chair="sailor")


def played(story: Story, choices: int | None = None) -> engine.State:
    """A new game in `story`'s chair, played along the historical route: its first `choices` steps, or to the end."""
    rows, _ = historical_path(story)
    state = engine.new_game(story)
    for row in [r for r in rows if r.choice is not None][:choices]:
        assert row.choice is not None
        state = engine.choose(story, state, row.choice.id)
    return state


def seat(klass: Path, story: Story, student: str, state: engine.State) -> None:
    """`student`'s autosave in the class folder, in the slot their chair's game keeps."""
    save(klass, story, state, student, {"student": student.capitalize(), "class": "9B"}, slot=autosave_name(story))


@pytest.fixture
def committee_class(tmp_path: Path, committee: Story) -> Path:
    """Three students who all sat on the committee: one choice made, two, and a finished game."""
    klass = tmp_path / "saves" / "9B"
    seat(klass, committee, "anna", played(committee, 1))
    seat(klass, committee, "boris", played(committee, 2))
    seat(klass, committee, "clara", played(committee))
    return klass


@pytest.fixture
def split_class(committee_class: Path, sailor: Story) -> Path:
    """The same class with two students who played the sailor."""
    seat(committee_class, sailor, "dmitri", played(sailor, 2))
    seat(committee_class, sailor, "eva", played(sailor))
    return committee_class


def run_report(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["report", *args, "--scenes", str(SCENES)])
    out, err = capsys.readouterr()
    return code, out, err


# ------------------------------------------------------------------ bug: --csv refused a one-chair class
def test_a_class_of_one_chair_gets_its_gradebook_without_naming_the_chair(
        committee_class: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run_report(capsys, str(committee_class), "--csv", "grades.csv")
    assert code == 0, err
    rows = list(csv.DictReader((tmp_path / "grades.csv").open(encoding="utf-8", newline="")))
    assert [r["student"] for r in rows] == ["Anna", "Boris", "Clara"]
    decisions = list(csv.DictReader((tmp_path / "grades-decisions.csv").open(encoding="utf-8", newline="")))
    guns = [r for r in decisions if r["decision"] == "Where to put the guns" and r["as history"] == "yes"]
    assert [(r["taken"], r["students"]) for r in guns] == [("2", "Boris; Clara")]  # Anna stands there still
    said = [line for line in out.splitlines() if "chair" in line and "grades.csv" in line]
    assert said == ["Every playthrough here is in the chair committee (On the Executive Committee), so this report "
                    "and grades.csv are that chair's."]


def test_a_class_that_played_only_the_other_chair_gets_that_chairs_gradebook(
        tmp_path: Path, sailor: Story, capsys: pytest.CaptureFixture[str]) -> None:
    klass = tmp_path / "saves" / "9B"
    seat(klass, sailor, "dmitri", played(sailor, 2))
    seat(klass, sailor, "eva", played(sailor))
    code, out, err = run_report(capsys, str(klass), "--csv", str(tmp_path / "grades.csv"))
    assert code == 0, err
    assert "in the chair sailor (A Kronstadt sailor)" in out
    rows = list(csv.DictReader((tmp_path / "grades.csv").open(encoding="utf-8", newline="")))
    assert [r["student"] for r in rows] == ["Dmitri", "Eva"]


def test_a_split_class_is_asked_which_chairs_gradebook_and_nothing_is_written(
        split_class: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out_file = tmp_path / "grades.csv"
    code, out, err = run_report(capsys, str(split_class), "--csv", str(out_file), "--html", str(tmp_path / "r.html"))
    assert code == 1
    assert err == "tauride: --csv makes one chair's gradebook: add --chair NAME (one of committee, sailor)\n"
    assert not out_file.exists() and not (tmp_path / "grades-decisions.csv").exists()
    code, out, err = run_report(capsys, str(split_class), "--chair", "sailor", "--csv", str(out_file))
    assert code == 0, err
    assert [r["student"] for r in csv.DictReader(out_file.open(encoding="utf-8", newline=""))] == ["Dmitri", "Eva"]


def test_one_chair_asked_for_names_the_chair_the_others_played(
        split_class: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--chair over a split class: the other chair's saves are skipped as that chair's, not "another story's"."""
    code, out, err = run_report(capsys, str(split_class), "--chair", "committee", "--html", str(tmp_path / "r.html"))
    assert code == 0, err
    page = html.unescape((tmp_path / "r.html").read_text(encoding="utf-8"))
    said = "played in the chair sailor (A Kronstadt sailor): this report is the chair committee's"
    assert page.count(said) == 2, "Dmitri's and Eva's saves"
    assert "belongs to the story" not in page


# ------------------------------------------------------------------ bug: a one-chair class got the joint debrief
def test_a_class_of_one_chair_gets_that_chairs_report_alone(
        committee_class: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "120")
    html = tmp_path / "report.html"
    code, out, err = run_report(capsys, str(committee_class), "--html", str(html))
    assert code == 0, err
    assert out.startswith("Every playthrough here is in the chair committee (On the Executive Committee), "
                          "so this report is that chair's.\nJuly Days — class report\n")
    assert "joint debrief" not in out and "No playthroughs" not in out
    assert "chair sailor" not in out and "sailor: decided" not in out and "the sailor's afternoon" not in out
    assert out.count("— class report") == 1 and "3 playthroughs from 3 files" in out
    page = html.read_text(encoding="utf-8")
    assert "joint debrief" not in page and "No playthroughs" not in page and "<h1>July Days</h1>" in page


def test_the_lone_chairs_report_keeps_the_files_it_could_not_count(
        committee_class: Path, sailor: Story, capsys: pytest.CaptureFixture[str]) -> None:
    (committee_class / "notes.json").write_text("[1, 2]")
    (committee_class / "greta").mkdir()
    (committee_class / "greta" / "autosave.json").write_text("")
    stories = [load_folder(str(SCENES), chair=c) for c in ("committee", "sailor")]
    alone = build_joint(stories, [committee_class]).alone()
    assert alone is not None and alone.story.chair == "committee" and len(alone.students) == 3
    assert alone.files == 5 and sorted(s.path.name for s in alone.skipped) == ["autosave.json", "notes.json"]
    code, out, _ = run_report(capsys, str(committee_class))
    assert code == 0 and "2 skipped" in out and "not a Tauride save" in out


def test_a_class_of_both_chairs_still_opens_with_the_joint_debrief(
        split_class: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    code, out, err = run_report(capsys, str(split_class))
    assert code == 0, err
    assert "the joint debrief" in out and "3 in the chair committee" in out and "2 in the chair sailor" in out
    assert "Every playthrough here" not in out


def test_a_folder_with_no_playthroughs_is_the_folders_own_chairs_report(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "junk").mkdir()
    (tmp_path / "junk" / "a.json").write_text("[1, 2]")
    code, out, _ = run_report(capsys, str(tmp_path / "junk"))
    assert code == 1
    assert "joint debrief" not in out and out.count("No playthroughs of this story were found.") == 1
    assert "not a Tauride save" in out


# ------------------------------------------------------------------ bug: story time counted from the shared clock's 08:00
def test_story_time_runs_from_where_the_chair_began(split_class: Path, committee: Story, sailor: Story,
                                                  capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    assert committee.scenes[committee.start].time == 15 * 60 and committee.clock_start == 8 * 60
    r = build(committee, [split_class])  # the committee's half (the sailors' saves are skipped here)
    rows = {row[0]: row[3] for row in student_rows(r)}
    assert rows == {"Anna (9B)": "15:00–15:10", "Boris (9B)": "15:00–15:15", "Clara (9B)": "15:00–04:15"}
    assert dict(glance(r))["story time played (median)"] == "15 min (from 10 min to 13 h 15 min)"
    # The sailor's chair begins at the shared clock's start, 08:00; the same rule gives its times too.
    joint = build_joint([committee, sailor], [split_class])
    assert {row[0]: row[3] for row in student_rows(joint.chairs[1])} == {
        "Dmitri (9B)": "08:00–09:30", "Eva (9B)": "08:00–05:30"}
    assert {row[0]: row[3] for row in student_rows(joint.chairs[0])} == rows
    # The terminal and the page say the same.
    monkeypatch.setenv("COLUMNS", "160")
    code, out, _ = run_report(capsys, str(split_class), "--chair", "committee", "--html", str(split_class.parent / "r.html"))
    assert code == 0 and "15:00–15:10" in out and "08:00–" not in out
    page = (split_class.parent / "r.html").read_text(encoding="utf-8")
    assert "<td>15:00–04:15</td>" in page and "15 min (from 10 min to 13 h 15 min)" in page
