"""A class split between the two chairs of *July Days*: seeded plain-mode playthroughs, then the joint debrief.

Four students play the real program (`python -m game play --plain --chair …`)
with seeded answers on stdin, each into their own save folder of one class
folder; `tauride report` over that folder must hand every save to the chair
it was played in and show, hour by hour, the shared timeline beside what
each half of the class decided.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from game.classroom.joint import build_joint
from game.classroom.report_render import joint_to_html
from game.cli import main
from game.story_folder import load_folder

REPO = Path(__file__).resolve().parent.parent
SCENES = REPO / "scenes"
STUDENTS = {"anna": ("committee", 1), "boris": ("committee", 2), "clara": ("sailor", 3), "dmitri": ("sailor", 4)}


def _play(chair: str, seed: int, saves: Path) -> str:
    rng = random.Random(seed)
    answers = "".join(f"{rng.choice('12')}\n" for _ in range(60))
    proc = subprocess.run(
        [sys.executable, "-m", "game", "play", "--plain", "--scenes", str(SCENES), "--chair", chair,
         "--save-dir", str(saves), "--seed", str(seed)],
        cwd=REPO, input=answers.encode(), capture_output=True, timeout=120,
    )
    out = proc.stdout.decode("utf-8") + proc.stderr.decode("utf-8")
    assert "Traceback" not in out, out
    return out


@pytest.fixture(scope="module")
def klass(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("class") / "9B"
    for name, (chair, seed) in STUDENTS.items():
        _play(chair, seed, root / name)
    return root


def test_saves_record_the_chair_they_were_played_in(klass: Path) -> None:
    for name, (chair, _) in STUDENTS.items():
        saves = list((klass / name).glob("*.json"))
        assert saves, f"{name} has no save"
        for path in saves:
            ref = json.loads(path.read_text(encoding="utf-8"))["story"]
            assert ref["chair"] == chair and ref["id"] == ("july-days" if chair == "committee" else "july-days-sailor")


def test_the_joint_report_has_both_halves_side_by_side_hour_by_hour(klass: Path) -> None:
    stories = [load_folder(str(SCENES), chair=c) for c in ("committee", "sailor")]
    joint = build_joint(stories, [klass])
    assert [len(r.students) for r in joint.chairs] == [2, 2] and joint.skipped == []
    rows = joint.rows()
    five = next(r for r in rows if r.start == 17 * 60)
    assert "The Kronstadt sailors reach the Tauride Palace" in [e.title for e in five.happened]
    # Each half decided something, and the sailors' morning is theirs alone.
    assert any(row.decided[0] for row in rows) and any(row.decided[1] for row in rows)
    morning = [r for r in rows if r.start < 12 * 60]
    assert morning and all(not r.decided[0] for r in morning) and any(r.decided[1] for r in morning)
    page = joint_to_html(joint)
    assert "committee: decided" in page and "sailor: decided" in page and "Anchor Square" in page


def test_tauride_report_over_the_class_folder_prints_both_columns(klass: Path, tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    html = tmp_path / "report.html"
    assert main(["report", str(klass), "--scenes", str(SCENES), "--html", str(html)]) == 0
    out = capsys.readouterr().out
    assert "the joint debrief" in out and "committee: decided" in out and "sailor: decided" in out
    assert "17:00" in out and "Kronstadt" in out  # the shared timeline's row (Rich wraps the narrow columns)
    assert "sailor: decided" in html.read_text(encoding="utf-8")
    # Each student's chair, in the terminal and on the page.
    roll = out[out.index("Each student's chair"):]
    assert "committee (On the Executive Committee)" in roll and "anna, boris" in roll
    assert "sailor (A Kronstadt sailor)" in roll and "clara, dmitri" in roll
    assert "<th>sailor (A Kronstadt sailor)</th><td>clara, dmitri</td>" in html.read_text(encoding="utf-8")


def test_a_sailors_save_reopens_the_sailors_chair(klass: Path) -> None:
    save = sorted((klass / "clara").glob("*.json"))[0]
    proc = subprocess.run(
        [sys.executable, "-m", "game", "play", "--plain", "--scenes", str(SCENES), "--save-dir", str(klass / "clara"),
         "--load", save.stem],
        cwd=REPO, input=b"look\n", capture_output=True, timeout=60,
    )
    out = proc.stdout.decode("utf-8")
    assert "Traceback" not in out + proc.stderr.decode("utf-8")
    assert "belongs to the story" not in out + proc.stderr.decode("utf-8")
    sailor = load_folder(str(SCENES), chair="sailor")
    assert any(scene.title in out for scene in sailor.scenes.values() if scene.id != "anchor_square"), out[-2000:]


def test_the_teacher_assigns_a_chair_to_a_served_class(tmp_path: Path) -> None:
    from game.classroom.serve_cmd import game_command
    from game.classroom.students import student

    argv = game_command(tmp_path, "9B-sailors", str(SCENES), chair="sailor")(student("Clara"))
    assert "--chair=sailor" in argv and "--student=Clara" in argv
    assert "--chair=sailor" not in game_command(tmp_path, "9B", None)(student("Anna"))
