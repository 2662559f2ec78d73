"""Games the autosave never loses: an unfinished game set aside, every finished playthrough kept.

The rule lives in game.save_keep and runs inside `SaveStore.autosave`, so
every shell (full-screen, served, plain) keeps the same games.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from game import engine
from game.save_keep import finished_name, unfinished_autosave
from game.saves import SaveError, SaveStore


def finished(mini, seed: int = 1, answer: str | None = None):
    s = engine.choose(mini, engine.new_game(mini, seed=seed), "keep", answer=answer)
    return engine.choose(mini, s, "end")


def names(folder: Path) -> list[str]:
    return sorted(p.stem for p in folder.glob("*.json"))


def test_a_new_game_autosaved_over_an_unfinished_one_sets_it_aside_whole(mini, tmp_path: Path) -> None:
    store = SaveStore(tmp_path)
    old = engine.choose(mini, engine.new_game(mini, seed=1), "tell")
    store.autosave(mini, old, meta={"who": "Anna"})
    raw = (tmp_path / "autosave.json").read_bytes()
    assert unfinished_autosave(store, mini).name == "earlier game"  # type: ignore[union-attr]
    new = engine.choose(mini, engine.new_game(mini, seed=2), "keep")
    done = store.autosave(mini, new)
    assert done.kept == ("earlier game",)
    assert (tmp_path / "earlier game.json").read_bytes() == raw  # moved as it was, meta included
    assert store.load("autosave", mini) == new
    # a third game: the second is kept too, under the next free name
    third = engine.choose(mini, engine.new_game(mini, seed=3), "tell")
    assert store.autosave(mini, third).kept == ("earlier game 2",)
    assert store.load("earlier game 2", mini) == new


def test_the_same_playthrough_moving_on_or_back_just_moves_the_autosave(mini, tmp_path: Path) -> None:
    store = SaveStore(tmp_path)
    s1 = engine.choose(mini, engine.new_game(mini, seed=1), "keep")
    s2 = engine.choose(mini, s1, "wait")
    for state in (s1, s2, engine.undo(mini, s2, 2), s1):
        assert store.autosave(mini, state).kept == ()
    # a new game with no choice made has nothing to lose, and an empty autosave is simply replaced
    store2 = SaveStore(tmp_path / "b")
    store2.autosave(mini, engine.new_game(mini, seed=5))
    assert store2.autosave(mini, s1).kept == ()
    assert names(tmp_path) == ["autosave"]


def test_an_unreadable_autosave_is_set_aside_not_written_over(mini, tmp_path: Path) -> None:
    store = SaveStore(tmp_path)
    (tmp_path / "autosave.json").write_text('{"format": "tauride-save", "vers')
    done = store.autosave(mini, engine.choose(mini, engine.new_game(mini, seed=1), "keep"))
    assert done.kept == ("unreadable autosave",)
    assert (tmp_path / "unreadable autosave.json").read_text() == '{"format": "tauride-save", "vers'


def test_reaching_an_ending_keeps_the_playthrough_named_by_ending_and_time(mini, tmp_path: Path) -> None:
    store = SaveStore(tmp_path)
    end = finished(mini, answer="Because the wire was bad news")
    done = store.autosave(mini, end, meta={"who": "Anna"})
    assert done.finished is not None and done.finished.startswith("finished - The end - 20")
    kept = store.load(done.finished, mini)
    assert kept == end and kept.log[0].answer == "Because the wire was bad news"
    info = next(i for i in store.list(mini) if i.name == done.finished)
    assert info.finished and info.scene_title == "Home" and info.meta == {"who": "Anna"}
    # autosaving the same ending again (loading it, quitting) keeps no second copy
    assert store.autosave(mini, end).finished is None
    assert len([n for n in names(tmp_path) if n.startswith("finished")]) == 1


def test_finished_games_survive_new_games_and_are_never_written_over(mini, tmp_path: Path) -> None:
    store = SaveStore(tmp_path)
    first = store.autosave(mini, finished(mini, seed=1)).finished
    second = store.autosave(mini, finished(mini, seed=2)).finished  # same ending, same minute: its own save
    assert first and second and first != second
    store.autosave(mini, engine.choose(mini, engine.new_game(mini, seed=3), "tell"))  # a new game over them
    assert {first, second} <= set(names(tmp_path))
    with pytest.raises(SaveError, match="is a finished game, kept as it ended"):
        store.write(first, mini, engine.new_game(mini, seed=4))
    assert store.load(first, mini) == finished(mini, seed=1)


def test_an_old_autosave_at_an_ending_is_kept_before_a_new_game_replaces_it(mini, tmp_path: Path) -> None:
    """A save made before finished games were kept (no `kind`): the next game's autosave keeps it first."""
    store = SaveStore(tmp_path)
    end = finished(mini)
    store.write("autosave", mini, end)
    data = json.loads((tmp_path / "autosave.json").read_text())
    del data["kind"]
    (tmp_path / "autosave.json").write_text(json.dumps(data))
    done = store.autosave(mini, engine.choose(mini, engine.new_game(mini, seed=9), "keep"))
    assert len(done.kept) == 1 and done.kept[0].startswith("finished - The end")
    assert store.load(done.kept[0], mini) == end


def test_a_finished_name_fits_a_save_name_whatever_the_ending_is_called(mini) -> None:
    from datetime import datetime

    from game.saves import check_name

    state = finished(mini)
    ending = mini.scenes["fin"].ending
    long = type(ending)(title="A/very: long? title " * 10, epilogue="", history="")
    scenes = dict(mini.scenes)
    scenes["fin"] = type(scenes["fin"])(**{**scenes["fin"].__dict__, "ending": long})
    story = type(mini)(**{**mini.__dict__, "scenes": scenes})
    name = finished_name(story, state, datetime(2026, 12, 7, 14, 5))
    assert check_name(name + " 9999") == name + " 9999" and name.endswith(" - 2026-12-07 14.05")
    assert "/" not in name and ":" not in name and "?" not in name


def test_the_class_report_counts_a_finished_game_and_its_autosave_once(mini, tmp_path: Path) -> None:
    from game.classroom.report import build

    folder = tmp_path / "9B" / "anna"
    store = SaveStore(folder)
    done = store.autosave(mini, finished(mini), meta={"student": "Anna"})
    assert done.finished and names(folder) == sorted(["autosave", done.finished])
    report = build(mini, [tmp_path / "9B"])
    assert len(report.students) == 1 and report.superseded == 1


def test_a_new_game_of_the_same_origin_keeps_the_old_one_when_the_shell_says_so(mini, tmp_path: Path) -> None:
    store = SaveStore(tmp_path)
    old = engine.choose(mini, engine.choose(mini, engine.new_game(mini, seed=4), "keep"), "wait")
    store.autosave(mini, old)
    new = engine.choose(mini, engine.new_game(mini, seed=4), "keep")  # same seed: same origin
    assert store.autosave(mini, new, new_game=True).kept == ("earlier game",)
    assert store.load("earlier game", mini) == old
