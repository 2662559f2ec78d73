"""Two chairs, one afternoon: a story folder that holds several points of view.

The chairs of *July Days* share one clock, one source list, one glossary, one
source packet and one historical timeline (the folder's own files; no
copies), and every moment both chairs witness carries one time: the sailor's
17:00 at the colonnade is the committee man's 17:00 at the door.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from game.story import StoryError, load_story
from game.story_folder import chair_ids, load_folder

REPO = Path(__file__).resolve().parent.parent
SCENES = REPO / "scenes"


@pytest.fixture(scope="module")
def committee():  # type: ignore[no-untyped-def]
    return load_folder(str(SCENES))


@pytest.fixture(scope="module")
def sailor():  # type: ignore[no-untyped-def]
    return load_folder(str(SCENES), chair="sailor")


def test_the_folder_lists_both_chairs() -> None:
    assert chair_ids(str(SCENES)) == ["committee", "sailor"]


def test_each_chair_is_its_own_story_with_its_own_identity(committee, sailor) -> None:  # type: ignore[no-untyped-def]
    assert (committee.chair, sailor.chair) == ("committee", "sailor")
    assert committee.id != sailor.id, "saves tell the chairs apart by the story id"
    assert sailor.start == "anchor_square" and committee.start == "armoured_cars"
    assert not set(sailor.scenes) & {"armoured_cars", "telegram"}, "the committee man's scenes are not the sailor's"


def test_the_chairs_share_one_clock_one_source_list_one_glossary_one_packet_one_timeline(committee, sailor) -> None:  # type: ignore[no-untyped-def]
    assert (committee.clock_start, committee.clock_end) == (sailor.clock_start, sailor.clock_end)
    assert committee.sources == sailor.sources
    assert committee.glossary == sailor.glossary
    assert committee.documents == sailor.documents
    assert committee.timeline == sailor.timeline and committee.timeline
    # One copy of each: the sailor's folder holds no clock, sources, glossary, documents or timeline.
    for path in (SCENES / "sailor").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        for key in ("clock:", "sources:\n  ", "glossary:", "documents:", "timeline:"):
            assert f"\n{key}" not in "\n" + text, f"{path.name} copies '{key.strip()}'"


def test_moments_both_chairs_witness_carry_the_same_time(committee, sailor) -> None:  # type: ignore[no-untyped-def]
    def witnessed(story):  # type: ignore[no-untyped-def]
        return {s.witness: s.time for s in story.scenes.values() if s.witness}

    mine, theirs = witnessed(committee), witnessed(sailor)
    shared = set(mine) & set(theirs)
    assert {"sailors_at_palace", "trotsky_frees_chernov", "downpour", "loyal_regiments_at_palace"} <= shared
    at = {t.id: t.time for t in committee.timeline}
    for moment in shared:
        assert mine[moment] == theirs[moment] == at[moment], moment
    # The sailor's 17:00 at the colonnade and the committee man's 17:00 at the door.
    assert sailor.scenes["tauride_arrival"].time == committee.scenes["sailors_at_gate"].time == 17 * 60


def _files(tmp: Path) -> dict[str, bytes]:
    return {str(p.relative_to(tmp)): p.read_bytes() for p in sorted(tmp.rglob("*.yaml"))}


def _two_chairs(tmp: Path, *, witness_time: str = "17:00", chair_extra: str = "") -> None:
    (tmp / "story.yaml").write_text(
        'title: T\nid: t\nchair: {id: inside, title: Inside}\nstart: door\nclock: {start: "15:00", end: "20:00"}\n'
        "sources: {A: A book}\n", encoding="utf-8")
    (tmp / "timeline.yaml").write_text(
        'timeline:\n  - {id: arrive, time: "17:00", title: They arrive, text: At five., sources: [A]}\n', encoding="utf-8")
    (tmp / "17.yaml").write_text(
        f'scenes:\n  - {{id: door, witness: arrive, time: "{witness_time}", title: Door, text: The door.,'
        " ending: {title: E, epilogue: E., history: H.}}\n", encoding="utf-8")
    (tmp / "out").mkdir()
    (tmp / "out" / "chair.yaml").write_text(
        f"chair: {{id: out, title: Outside}}\ntitle: T outside\nid: t-out\nstart: gate\n{chair_extra}", encoding="utf-8")
    (tmp / "out" / "17.yaml").write_text(
        "scenes:\n  - {id: gate, witness: arrive, title: Gate, text: The gate.,"
        " ending: {title: E, epilogue: E., history: H.}}\n", encoding="utf-8")


def test_a_witness_takes_its_time_from_the_timeline(tmp_path: Path) -> None:
    _two_chairs(tmp_path)
    out = load_story(_files(tmp_path), chair="out")
    assert out.scenes["gate"].time == 17 * 60 and out.chair == "out" and out.id == "t-out"
    assert load_story(_files(tmp_path)).scenes["door"].time == 17 * 60


def test_a_witness_whose_time_disagrees_is_an_error_at_its_line(tmp_path: Path) -> None:
    _two_chairs(tmp_path, witness_time="17:05")
    with pytest.raises(StoryError) as err:
        load_story(_files(tmp_path))
    (problem,) = [p for p in err.value.problems if "timeline" in p.message]
    assert problem.path == "17.yaml" and problem.line == 2
    assert "17:05" in problem.message and "17:00" in problem.message and "arrive" in problem.message


def test_a_chair_may_not_copy_the_shared_clock(tmp_path: Path) -> None:
    _two_chairs(tmp_path, chair_extra='clock: {start: "16:00", end: "20:00"}\n')
    with pytest.raises(StoryError) as err:
        load_story(_files(tmp_path), chair="out")
    assert any("clock" in p.message and p.path.endswith("chair.yaml") for p in err.value.problems)


def test_an_unknown_chair_names_the_chairs_there_are(tmp_path: Path) -> None:
    _two_chairs(tmp_path)
    with pytest.raises(StoryError) as err:
        load_story(_files(tmp_path), chair="sailor")
    assert "inside, out" in str(err.value)


@pytest.mark.parametrize("command", [["play", "--plain"], ["validate"], ["walk", "-n", "1"], ["guide"],
                                     ["report", "."], ["map"]])
def test_a_wrong_chair_is_said_as_a_wrong_option_not_a_broken_story(command: list[str], capsys) -> None:  # type: ignore[no-untyped-def]
    """`--chair sailr` asked for something the story does not have; the story's files are fine. Every command
    says so in one line naming the option (with the chair it may mean), never "the story has errors"."""
    from game.cli import main

    assert main([*command, "--chair", "sailr"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("tauride: --chair sailr: no chair 'sailr' in this story (its chairs: committee, sailor) "
                          "Did you mean 'sailor'?")
    assert "has errors" not in err and "story.yaml" not in err


def test_the_teachers_sheet_has_the_role_play_lesson_plan() -> None:
    from game.classroom.guide import to_markdown

    sheet = to_markdown(load_folder(str(SCENES)))
    plan = sheet[sheet.index("## Role-play: two chairs, one afternoon (2 × 45 minutes)"):sheet.index("## Hours and scenes")]
    assert "`tauride class --chair committee`" in plan and "`tauride class --chair sailor`" in plan
    assert "`tauride serve --class CLASS --chair pick`" in plan, "students may pick their chair at sign-in"
    assert "**Lesson 1 (45 minutes)" in plan and "**Lesson 2 (45 minutes)" in plan and "tauride report" in plan
    assert plan.count("\n1. ") == 1 and "\n6. " in plan  # the debrief questions
    assert "| 17:00 | The Kronstadt sailors reach the Tauride Palace |" in plan


def test_every_chair_is_a_history_story_as_its_folder_says(committee, sailor) -> None:  # type: ignore[no-untyped-def]
    """`history: true` is the story's, shared like its clock: the sailor's chair is checked and debriefed too."""
    assert committee.history and sailor.history


def test_the_sailors_chair_walks_clean_within_the_shared_clock(sailor) -> None:  # type: ignore[no-untyped-def]
    """Every playthrough of the sailor's chair ends by the story's `clock.end` (the walker's check), as the committee's does."""
    from game.tools.walker import random_walk

    assert [p.message for p in random_walk(sailor, 600, seed=3).problems] == []


def test_validate_names_the_files_it_does_not_read(make_story, capsys) -> None:  # type: ignore[no-untyped-def]
    """'extra.YAML' and a subfolder without chair.yaml were skipped without a word: a writer's scenes in them
    never appeared, and nothing said why. They are warnings now (--strict fails on them, as on any)."""
    from conftest import MINI_MANIFEST, MINI_SCENES

    from game.cli import main

    folder = make_story({"story.yaml": MINI_MANIFEST, "16.yaml": MINI_SCENES, "extra.YAML": "scenes: []\n"})
    (folder / "drafts").mkdir()
    (folder / "drafts" / "old.yaml").write_text("scenes: []\n")
    assert main(["validate", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "extra.YAML: warning: not read: a story file's name ends in .yaml or .yml, in small letters" in out
    assert "drafts: warning: not read: a subfolder is read only as a chair, with a chair.yaml" in out
    assert "2 warning(s)" in out
    assert main(["validate", "--strict", str(folder)]) == 1
