"""Long playthroughs: a step copies nothing that grows, and undo replays only a few choices.

The story is a ring of corridors a playthrough never leaves (the one the
benchmarks use for undo at 5,000 choices), so logs of any length can be
played; every state is checked against a replay from the start, which is
what undo has always meant.
"""

from __future__ import annotations

import json
import random
import tracemalloc
from dataclasses import replace
from pathlib import Path

import pytest

from game import engine
from game.engine import State, step
from game.engine.log import SNAPSHOT_EVERY, Log
from game.story import Story
from game.story_folder import load_folder
from game.tools.generate import write_ring


@pytest.fixture(scope="module")
def ring(tmp_path_factory: pytest.TempPathFactory) -> Story:
    folder = tmp_path_factory.mktemp("ring")
    write_ring(str(folder), 200)
    return load_folder(str(folder))


def play(story: Story, n: int, seed: int = 3) -> list[State]:
    rng = random.Random(seed)
    states = [engine.new_game(story, seed=seed)]
    for _ in range(n):
        st = states[-1]
        states.append(engine.choose(story, st, rng.choice(engine.available_ids(story, st))))
    return states


def test_undo_gives_the_state_a_replay_from_the_start_gives(ring: Story) -> None:
    states = play(ring, 300)
    last = states[-1]
    for steps in (1, 2, SNAPSHOT_EVERY - 1, SNAPSHOT_EVERY, SNAPSHOT_EVERY + 1, 77, 299, 300, 301, 5000):
        back = engine.undo(ring, last, steps)
        keep = max(0, 300 - steps)
        assert back == states[keep] == engine.replay(ring, last.origin, list(last.log)[:keep])
        assert back.rng == states[keep].rng and dict(back.visits) == dict(states[keep].visits)
        # and play goes on from it as it did the first time
        if keep < 300:
            again = engine.choose(ring, back, last.log[keep].choice)
            assert again == states[keep + 1]


def test_undo_at_5000_choices_replays_fewer_than_a_snapshot_interval(ring: Story, monkeypatch) -> None:
    last = play(ring, 5000)[-1]
    calls: list[str] = []
    real = step.choose

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(args[2])
        return real(*args, **kwargs)

    monkeypatch.setattr(step, "choose", counted)
    for steps in range(1, 2 * SNAPSHOT_EVERY):
        calls.clear()
        engine.undo(ring, last, steps)
        assert len(calls) < SNAPSHOT_EVERY, f"undo of {steps} replayed {len(calls)} choices"


def test_undo_at_5000_choices_reads_no_more_of_the_log_than_it_replays(ring: Story, monkeypatch) -> None:
    """Undo must not list the log: every whole-log read (iterating, slicing, indexing far from the end,
    comparing) goes through `Log.__reversed__`, so its yields count the entries undo read that way."""
    last = play(ring, 5000)[-1]
    read = [0]
    real = Log.__reversed__

    def counted(self: Log):  # type: ignore[no-untyped-def]
        for entry in real(self):
            read[0] += 1
            yield entry

    monkeypatch.setattr(Log, "__reversed__", counted)
    for steps in (1, 2, SNAPSHOT_EVERY, 3 * SNAPSHOT_EVERY):
        read[0] = 0
        engine.undo(ring, last, steps)
        assert read[0] < SNAPSHOT_EVERY + steps, f"undo of {steps} at 5,000 choices read {read[0]:,} log entries"
    read[0] = 0
    assert last.own_steps == 5000 and engine.played_by_chapter(last.log) == 0 and read[0] == 0


def test_the_chapter_steps_at_the_head_of_a_log_are_counted_at_every_length(ring: Story) -> None:
    states = play(ring, 40)
    entries = [replace(e, by_chapter=i < 7 or i == 20) for i, e in enumerate(states[-1].log)]
    # the same count as reading the entries one by one, however the log was built
    for n in (0, 1, 6, 7, 8, 21, 40):
        head = entries[:n]
        assert engine.played_by_chapter(Log.of(head)) == engine.played_by_chapter(tuple(head)) == min(n, 7)
    built = engine.replay(ring, states[0].origin, entries)
    assert engine.played_by_chapter(built.log) == 7 and built.own_steps == 33
    assert engine.played_by_chapter(State.from_json(json.loads(json.dumps(built.to_json()))).log) == 7
    # undo stops at the chapter's start, and a step played after it does not move that start
    assert len(engine.undo(ring, built, 100).log) == 7
    assert engine.played_by_chapter(engine.undo(ring, built, 100).log) == 7


def test_a_step_late_in_a_long_playthrough_copies_nothing_that_grows(ring: Story) -> None:
    states = play(ring, 20_000)
    last = states[-1]
    assert len(last.visits) == 200 and len(last.chosen) > 300
    del states
    choice = engine.available_ids(ring, last)[0]
    tracemalloc.start()
    try:
        engine.choose(ring, last, choice)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # copying the log (20,000 entries), the visit counts and the choices taken would take hundreds of KB
    assert peak < 16_000, f"one step allocated {peak:,} bytes"


def test_a_save_of_a_long_playthrough_reads_back_equal_and_undoes_the_same(ring: Story) -> None:
    states = play(ring, 600)
    last = states[-1]
    data = json.loads(json.dumps(last.to_json()))
    assert isinstance(data["log"], list) and isinstance(data["visits"], dict) and data["chosen"] == sorted(data["chosen"])
    loaded = State.from_json(data)
    assert loaded == last and isinstance(loaded.log, Log)
    # a log read from a save keeps no snapshots: undo replays it from the start, once, and gets the same
    assert engine.undo(ring, loaded, 5) == states[595] == engine.undo(ring, last, 5)


def test_the_log_reads_like_the_tuple_it_replaced(ring: Story) -> None:
    last = play(ring, 100)[-1]
    entries = list(last.log)
    assert len(last.log) == 100 and last.log[-1] == entries[-1] and last.log[0] == entries[0]
    assert last.log[10:20] == tuple(entries[10:20]) and last.log == tuple(entries)
    assert list(reversed(last.log)) == entries[::-1]
    assert engine.new_game(ring).log == () and not engine.new_game(ring).log
    with pytest.raises(IndexError):
        last.log[100]
    assert Log.of(entries) == last.log and hash(Log.of(entries)) == hash(last.log)


def test_the_ring_story_used_for_long_playthroughs_loads(tmp_path: Path) -> None:
    write_ring(str(tmp_path), 10)
    story = load_folder(str(tmp_path))
    assert len(story.scenes) == 10 and not any(s.ending for s in story.scenes.values())
