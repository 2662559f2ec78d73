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
