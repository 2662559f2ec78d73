"""Each chair keeps its own game: a student who plays both chairs from one save folder loses neither.

The autosave slot is the chair's (`game.saves.autosave_name`): the folder's own
chair keeps 'autosave', another chair 'autosave-<id>'. Before, a sailor's game
set the committee man's autosave aside as 'unreadable autosave' and "Continue"
in the committee's chair found nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from game import engine
from game.classroom.room import newest_save
from game.saves import SaveStore, autosave_name, is_autosave_name, save_chair
from game.story_folder import load_folder

SCENES = Path(__file__).resolve().parent.parent / "scenes"


@pytest.fixture(scope="module")
def committee():  # type: ignore[no-untyped-def]
    return load_folder(str(SCENES))


@pytest.fixture(scope="module")
def sailor():  # type: ignore[no-untyped-def]
    return load_folder(str(SCENES), chair="sailor")


def _one_step(story):  # type: ignore[no-untyped-def]
    state = engine.new_game(story, seed=1)
    first = next(c for c in engine.choices(story, state) if c.enabled)
    return engine.choose(story, state, first.id)


def test_each_chair_has_its_own_autosave_slot(committee, sailor) -> None:  # type: ignore[no-untyped-def]
    assert autosave_name(committee) == "autosave"
    assert autosave_name(sailor) == "autosave-sailor"
    assert is_autosave_name("autosave-sailor") and is_autosave_name("Autosave") and not is_autosave_name("sailor")


def test_a_game_in_one_chair_never_takes_the_other_chairs_autosave(committee, sailor, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    store = SaveStore(tmp_path)
    theirs = _one_step(committee)
    store.autosave(committee, theirs, {"student": "Anna"})
    mine = _one_step(sailor)
    done = store.autosave(sailor, mine, {"student": "Anna"}, new_game=True)
    assert done.kept == (), "nothing of the committee's game was set aside"
    assert sorted(p.name for p in tmp_path.glob("*.json")) == ["autosave-sailor.json", "autosave.json"]
    assert store.load("autosave", committee).log == theirs.log
    assert store.load("autosave-sailor", sailor).log == mine.log
    assert save_chair(store.path("autosave-sailor")) == "sailor"
    assert newest_save(tmp_path) in (store.path("autosave"), store.path("autosave-sailor"))


def test_a_player_cannot_save_under_a_chairs_autosave_name_from_the_saves_dialog() -> None:
    from game.tui.screens.saves import checked_name

    assert checked_name("autosave-sailor") == "autosave-sailor"  # a valid file name; the dialog refuses it
    assert is_autosave_name(checked_name("autosave-sailor"))


def test_a_class_playing_one_chair_reads_that_chairs_game_in_the_teachers_view(  # type: ignore[no-untyped-def]
        committee, sailor, tmp_path: Path) -> None:
    """`serve --chair` assigns one chair: a student's newer game in the other chair is not read against it."""
    import os

    from game.classroom.room import RoomReader, read_row

    student = tmp_path / "anna"
    store = SaveStore(student)
    store.autosave(committee, _one_step(committee), {"student": "Anna"})
    store.autosave(sailor, _one_step(sailor), {"student": "Anna"})
    os.utime(store.path("autosave-sailor"), (2_000_000_000, 2_000_000_000))  # the sailor's game is the newer
    row = read_row(committee, student, False)
    assert row.problem is None and row.name == "Anna" and row.choices == 1
    assert row.scene == engine.scene_title(committee, store.load("autosave", committee))
    # picking chairs, each save is read with the chair it records: the newest, the sailor's
    picked = read_row(committee, student, False, {"committee": committee, "sailor": sailor})
    assert picked.problem is None and picked.chair == "sailor"
    assert [r.problem for r in RoomReader(committee, tmp_path).read()] == [None]


def test_one_rule_for_a_name_a_player_saves_under(committee, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """`SaveStore.name_problem`: the save dialog and plain `save` refuse the same names, in the same words."""
    store = SaveStore(tmp_path)
    for name in ("autosave", "autosave-sailor", "Autosave-committee"):
        assert "is kept by the game itself" in (store.name_problem(name) or "")
    assert "not a usable save name" in (store.name_problem("../x") or "")
    assert store.name_problem("before the vote") is None
    store.write("before the vote", committee, _one_step(committee), {})
    assert store.name_problem("before the vote") is None  # in use: replaceable, after asking


def _plain(saves: Path, text: str, *extra: str) -> str:
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "game", "play", "--plain", "--scenes", str(SCENES), "--save-dir",
                           str(saves), "--seed", "3", *extra], input=text.encode(), capture_output=True, timeout=60,
                          cwd=SCENES.parent)
    out = proc.stdout.decode()
    assert proc.returncode == 0 and "Traceback" not in out + proc.stderr.decode(), out + proc.stderr.decode()
    return out


def test_plain_save_never_takes_the_other_chairs_autosave_or_replaces_a_save_unasked(tmp_path: Path) -> None:
    """The repro: a sailor's game, then `save autosave-sailor` in the committee's chair wrote over it,
    and `save NAME` replaced any save of that name without a word."""
    _plain(tmp_path, "1\n1\nquit\n", "--chair", "sailor")
    sailors = (tmp_path / "autosave-sailor.json").read_bytes()

    out = _plain(tmp_path, "1\nsave autosave-sailor\nsave autosave\nsave mine\nquit\n")
    assert "Not saved: 'autosave-sailor' is kept by the game itself; choose another name." in out
    assert "Not saved: 'autosave' is kept by the game itself" in out
    assert (tmp_path / "autosave-sailor.json").read_bytes() == sailors
    mine = (tmp_path / "mine.json").read_bytes()

    out = _plain(tmp_path, "1\n2\nsave mine\nno\nquit\n")
    assert "There is a save called 'mine' already (15:10, " in out and "Replace it with this game?" in out
    assert "Kept the save 'mine' as it was; this game was not saved." in out
    assert (tmp_path / "mine.json").read_bytes() == mine

    out = _plain(tmp_path, "1\n2\nsave mine\nyes\nquit\n")
    assert "Saved as 'mine'" in out
    assert (tmp_path / "mine.json").read_bytes() != mine
