"""`tauride walk`: stories with one defect each; the walker must find it, name
the seed and path, and `tauride play --replay` must reproduce it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from game.cli import main
from game.story_folder import load_folder
from game.tools.replay import ReplayError, parse_steps, read_replay, replay_steps
from game.tools.walker import DEAD_END, NO_EXIT, RANGE, RUN_ERROR, exhaustive_walk, random_walk

REPO = Path(__file__).resolve().parent.parent

MANIFEST = """\
title: Defects
id: defects
start: hall
clock: {start: "15:00", end: "23:00"}
variables:
  n: {type: int, default: 0, range: [0, 3]}
  key: {type: bool, default: false}
  d: {type: int, default: 1}
"""


def story_with(scenes: str, manifest: str = MANIFEST) -> dict[str, str]:
    return {"story.yaml": manifest, "scenes.yaml": scenes}


CLEAN = """\
scenes:
  - id: hall
    title: Hall
    text: A hall.
    choices:
      - {id: left, text: Left, goto: left}
      - {id: right, text: Right, goto: right, effects: [key = true]}
  - id: left
    title: Left
    text: Left.
    choices:
      - {id: back, text: Back, goto: hall, cost: 1h}
      - {id: out, text: Out, goto: end_a, effects: [n += 1]}
  - id: right
    title: Right
    text: Right.
    choices:
      - {id: out, text: Out, goto: end_b}
  - id: end_a
    title: A
    text: The end.
    ending: {title: Ending A, epilogue: Over., history: None.}
  - id: end_b
    title: B
    text: The end.
    ending: {title: Ending B, epilogue: Over., history: None.}
events:
  - {id: late, at: "20:00", goto: end_b}
"""

DEAD = """\
scenes:
  - id: hall
    title: Hall
    text: A hall.
    choices:
      - {id: take_key, text: Take the key, goto: door, effects: [key = true]}
      - {id: walk_on, text: Walk on, goto: door}
  - id: door
    title: Door
    text: A locked door.
    choices:
      - {id: open, text: Open it, goto: fin, if: key}
  - id: fin
    title: Fin
    text: Out.
    ending: {title: Out, epilogue: Over., history: None.}
"""

LOOP = """\
scenes:
  - id: hall
    title: Hall
    text: A hall.
    choices:
      - {id: leave, text: Leave, goto: fin}
      - {id: stairs, text: Take the stairs, goto: up}
  - id: up
    title: Up
    text: Upstairs.
    choices:
      - {id: down, text: Down, goto: landing}
  - id: landing
    title: Landing
    text: A landing.
    choices:
      - {id: up, text: Up, goto: up}
  - id: fin
    title: Fin
    text: Out.
    ending: {title: Out, epilogue: Over., history: None.}
"""

RUNTIME = """\
scenes:
  - id: hall
    title: Hall
    text: A hall.
    choices:
      - {id: spend, text: Spend it, goto: count, effects: [d -= 1]}
      - {id: keep, text: Keep it, goto: count}
  - id: count
    title: Count
    text: "Each share is {12 / d}."
    choices:
      - {id: go, text: Go, goto: fin}
  - id: fin
    title: Fin
    text: Out.
    ending: {title: Out, epilogue: Over., history: None.}
"""

RANGE_OUT = """\
scenes:
  - id: hall
    title: Hall
    text: "n is {n}."
    choices:
      - {id: push, text: Push, goto: hall, effects: [n += 2]}
      - {id: stop, text: Stop, goto: fin}
  - id: fin
    title: Fin
    text: Out.
    ending: {title: Out, epilogue: Over., history: None.}
"""

UNREACHED = """\
scenes:
  - id: hall
    title: Hall
    text: A hall.
    choices:
      - {id: go, text: Go, goto: fin}
      - {id: secret, text: The secret door, goto: vault, if: n > 5}
  - id: vault
    title: Vault
    text: Gold.
    choices:
      - {id: go, text: Go, goto: fin}
  - id: fin
    title: Fin
    text: Out.
    ending: {title: Out, epilogue: Over., history: None.}
"""


def play_replay(folder: Path, seed: int, path: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Run `tauride play --plain --replay` as a person would, with no further input."""
    cmd = [sys.executable, "-m", "game", "play", "--plain", "--scenes", str(folder), "--save-dir", str(tmp_path / "saves"),
           "--seed", str(seed), "--replay", ",".join(path)]
    return subprocess.run(cmd, input="", capture_output=True, text=True, cwd=REPO, timeout=60)


def test_clean_story_passes_with_coverage_and_endings(make_story, capsys):
    folder = make_story(story_with(CLEAN))
    assert main(["walk", str(folder), "-n", "300"]) == 0
    out = capsys.readouterr().out
    assert "300 random playthroughs" in out
    assert "Scenes reached: 5 of 5; choices taken: 5 of 5" in out
    assert "end_a — Ending A" in out and "end_b — Ending B" in out
    assert "No problems found" in out


def test_walk_is_reproducible_from_its_seed(make_story):
    story = load_folder(str(make_story(story_with(CLEAN))))
    a = random_walk(story, 200, seed=5).to_json()
    b = random_walk(story, 200, seed=5).to_json()
    for key in ("scenes", "choices", "endings", "events", "findings"):
        assert a[key] == b[key]
    assert sum(a["endings"].values()) == 200


def test_dead_end_is_found_and_replays(make_story, tmp_path, capsys):
    folder = make_story(story_with(DEAD))
    assert main(["walk", str(folder), "-n", "50"]) == 1
    out = capsys.readouterr().out
    assert "dead end" in out
    assert "scene 'door' is not an ending, but no choice can be taken there" in out
    assert "hall.walk_on" in out and "--replay hall.walk_on" in out
    report = random_walk(load_folder(str(folder)), 50)
    (f,) = report.problems
    assert f.kind == DEAD_END and f.path == ["hall.walk_on"] and 0 < f.count < 50
    # The path replays to the dead end in the game itself.
    done = play_replay(folder, f.seed, f.path, tmp_path)
    assert done.returncode == 0, done.stderr
    assert "replay: 1 of 1 choice(s) replayed" in done.stderr
    assert "dead end: scene 'door'" in done.stderr
    assert "Scene: Door" in done.stdout and "1." not in done.stdout.split("Scene: Door", 1)[1]
    assert "No choice can be taken here: the story has a dead end." in done.stdout


def test_loop_with_no_exit_is_found_and_replays(make_story, tmp_path):
    folder = make_story(story_with(LOOP))
    story = load_folder(str(folder))
    report = random_walk(story, 40, max_steps=30)
    (f,) = report.problems
    assert f.kind == NO_EXIT
    assert "no ending after 30 choices" in f.message and "'landing', 'up'" in f.message
    assert f.path[:2] == ["hall.stairs", "up.down"] and len(f.path) == 30
    again = replay_steps(story, parse_steps(",".join(f.path)), seed=f.seed)
    assert again.done == 30 and again.state.scene in ("up", "landing") and not again.failed
    # exhaustive mode tells this trap from a path merely cut at the bound
    ex = exhaustive_walk(story, max_depth=10)
    assert [p.kind for p in ex.problems] == [NO_EXIT] and ex.endings == {"fin": 1}


def test_run_time_error_is_found_and_replays(make_story, tmp_path, capsys):
    folder = make_story(story_with(RUNTIME))
    assert main(["walk", str(folder), "-n", "20", "--seed", "100"]) == 1
    out = capsys.readouterr().out
    assert "expression failed at run time" in out and "division by zero" in out
    report = random_walk(load_folder(str(folder)), 20, seed=100)
    (f,) = report.problems
    assert f.kind == RUN_ERROR and f.path == ["hall.spend"] and 100 <= f.seed < 120
    assert "scenes.yaml:" in f.message  # points at the file
    done = play_replay(folder, f.seed, f.path, tmp_path)
    assert "replay: 0 of 1 choice(s) replayed" in done.stderr
    assert "step 1 (hall.spend):" in done.stderr and "division by zero" in done.stderr


def test_value_out_of_range_is_found_and_replays(make_story, tmp_path, capsys):
    folder = make_story(story_with(RANGE_OUT))
    story = load_folder(str(folder))
    report = random_walk(story, 200, max_steps=50)
    (f,) = report.problems
    assert f.kind == RANGE
    assert "effect 'n += 2' set 'n' to 4, outside its range [0, 3]" in f.message
    assert f.path == ["hall.push", "hall.push"]  # the shortest of the playthroughs that met it
    again = replay_steps(story, parse_steps(",".join(f.path)), seed=f.seed)
    assert any("outside its range [0, 3]" in n for n in again.notes)
    assert again.state.vars["n"] == 3  # clamped, as in play
    done = play_replay(folder, f.seed, f.path, tmp_path)
    assert "outside its range [0, 3]" in done.stderr
    assert main(["walk", str(folder), "-n", "50", "--max-steps", "50"]) == 1


def test_a_meter_declared_clamp_saturates_without_a_finding(make_story, capsys):
    """`clamp: true` says the writer means the value to stop at the range's end: no problem to report."""
    files = story_with(RANGE_OUT)
    files["story.yaml"] = files["story.yaml"].replace("range: [0, 3]", "range: [0, 3], clamp: true")
    assert "clamp: true" in files["story.yaml"]
    folder = make_story(files)
    story = load_folder(str(folder))
    assert random_walk(story, 200, max_steps=50).problems == []
    assert main(["walk", str(folder), "-n", "50", "--max-steps", "50"]) == 0
    assert "no values out of range" in capsys.readouterr().out


def test_unreached_scene_and_choice_are_listed_and_fail_only_strict(make_story, capsys):
    folder = make_story(story_with(UNREACHED))
    assert main(["walk", str(folder), "-n", "100"]) == 0
    out = capsys.readouterr().out
    assert "Scenes never reached:\n  " in out and "vault" in out
    assert "hall.secret  (if n > 5)" in out and "vault.go" in out
    assert main(["walk", str(folder), "-n", "100", "--strict"]) == 1


def test_exhaustive_enumerates_every_path(make_story):
    story = load_folder(str(make_story(story_with(DEAD))))
    report = exhaustive_walk(story)
    assert report.runs == 2  # take the key and get out; walk on and get stuck
    assert report.endings == {"fin": 1}
    assert [(f.kind, f.path) for f in report.problems] == [(DEAD_END, ["hall.walk_on"])]


def test_exhaustive_counts_paths_cut_at_the_bound(make_story, capsys):
    folder = make_story(story_with(CLEAN))
    assert main(["walk", str(folder), "--exhaustive", "--max-steps", "3"]) == 0
    out = capsys.readouterr().out
    assert "distinct paths" in out and "were cut at 3 choices" in out


def test_json_report_round_trips_to_replay(make_story, tmp_path, capsys):
    folder = make_story(story_with(DEAD))
    report_file = tmp_path / "walk.json"
    assert main(["walk", str(folder), "-n", "30", "--json", str(report_file)]) == 1
    data = json.loads(report_file.read_text())
    assert data["format"] == "tauride-walk" and data["runs"] == 30
    assert data["scenes"]["hall"] == 30 and data["findings"][0]["path"] == ["hall.walk_on"]
    spec = read_replay(str(report_file))
    assert spec.steps == [("hall", "walk_on")] and spec.seed == data["findings"][0]["seed"]
    done = play_replay(folder, spec.seed or 0, ["hall.walk_on"], tmp_path)
    assert "dead end" in done.stderr


def test_replay_reads_paths_from_text_and_rejects_garbage(tmp_path):
    f = tmp_path / "path.txt"
    f.write_text("# found by the walker\nhall.left left.back\nhall.right, right.out\n")
    assert read_replay(str(f)).steps == [("hall", "left"), ("left", "back"), ("hall", "right"), ("right", "out")]
    with pytest.raises(ReplayError, match="write each step as scene.choice"):
        parse_steps("hall.left,oops")
    with pytest.raises(ReplayError, match="no such file"):
        read_replay(str(tmp_path / "missing.json"))


def test_replay_that_no_longer_fits_says_where(make_story):
    story = load_folder(str(make_story(story_with(CLEAN))))
    result = replay_steps(story, [("hall", "left"), ("hall", "right")])
    assert result.failed and result.done == 1
    assert result.notes == ["step 2 (hall.right): expected to be in scene 'hall', but the story led to 'left'"]


@pytest.mark.skipif(not (REPO / "scenes" / "story.yaml").exists(), reason="no shipped story")
def test_shipped_story_walks_if_it_loads():
    from game.story import StoryError

    try:
        story = load_folder(str(REPO / "scenes"))
    except StoryError:
        pytest.skip("the shipped story is still being written")
    report = random_walk(story, 200)
    assert report.runs == 200 and sum(report.endings.values()) + sum(f.count for f in report.problems) >= 200


HUB = """\
scenes:
  - id: hall
    title: Hall
    text: A hall with doors.
    choices:
      - {id: study, text: The study, goto: study}
      - {id: garden, text: The garden, goto: garden}
      - {id: leave, text: Leave, goto: fin, if: visited(study) > 3}
  - id: study
    title: Study
    text: Books.
    choices:
      - {id: back, text: Back to the hall, goto: back}
  - id: garden
    title: Garden
    text: Roses.
    choices:
      - {id: hall, text: To the hall, goto: hall}
  - id: fin
    title: Fin
    text: Out.
    ending: {title: Out, epilogue: Over., history: None.}
"""


def test_a_hub_the_player_can_leave_is_a_long_walk_not_a_loop_with_no_exit(make_story, tmp_path, capsys):
    """An ending is reachable from every scene of the hub: the long runs are information, and exit 0."""
    folder = make_story(story_with(HUB))
    story = load_folder(str(folder))
    report = random_walk(story, 60, max_steps=6)
    assert report.problems == [] and report.long_walks > 0
    replays = tmp_path / "replays"
    assert main(["walk", str(folder), "-n", "60", "--max-steps", "30", "--replay-dir", str(replays)]) == 0
    out = capsys.readouterr().out
    assert "No problems found" in out and "Long walks (information, not a problem)" in out
    (written,) = replays.iterdir()  # 30 choices: too long for one line, so the replay is a file
    assert f"--replay {written}" in out
    steps = [line for line in written.read_text().splitlines() if not line.startswith("#")]
    assert len(steps) == 30 and steps[0].startswith("hall.")
    again = replay_steps(story, parse_steps(written.read_text()), seed=0)
    assert again.done == 30 and not again.failed


def test_a_trap_the_hub_leads_into_is_still_a_loop_with_no_exit(make_story):
    trap = HUB.replace("      - {id: hall, text: To the hall, goto: hall}", "      - {id: hall, text: Round the roses, goto: garden}")
    story = load_folder(str(make_story(story_with(trap))))
    report = random_walk(story, 60, max_steps=30)
    assert report.problems and all(f.kind == NO_EXIT and "'garden'" in f.message for f in report.problems)
    assert report.long_walks == 0


PAST_END = """\
scenes:
  - id: hall
    title: Hall
    text: A hall.
    choices:
      - {id: wait, text: Wait all night, goto: fin, cost: 9h}
      - {id: go, text: Go, goto: fin}
  - id: fin
    title: Fin
    text: Out.
    ending: {title: Out, epilogue: Over., history: None.}
"""


def test_the_clock_passing_the_story_end_is_a_walker_problem(make_story, capsys):
    """`clock.end` is enforced: a playthrough that runs the clock past it is reported with its replay."""
    folder = make_story(story_with(PAST_END))
    story = load_folder(str(folder))
    (f,) = random_walk(story, 30).problems
    assert f.kind == "clock-end" and f.path == ["hall.wait"]
    assert "the clock passed the story's end (23:00): choice 'wait' in scene 'hall' took it to 00:00" in f.message
    assert "scenes.yaml:" in f.message
    assert main(["walk", str(folder), "-n", "30"]) == 1
    assert "clock past the story's end" in capsys.readouterr().out


def test_random_walk_walks_every_playthrough_with_walk_states(make_story, monkeypatch: pytest.MonkeyPatch):
    """One walker: `random_walk` takes its steps through `walk_states`, so a seed is the same playthrough
    in `tauride walk`, the story tests and `story_figures`."""
    from game.tools import walker

    story = load_folder(str(make_story()))
    walked: list[list[str]] = []
    real = walker.walk_states

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        path: list[str] = []
        walked.append(path)
        for state in real(*args, **kwargs):
            path.append(state.scene)
            yield state

    monkeypatch.setattr(walker, "walk_states", counting)
    report = random_walk(story, runs=30, seed=5)
    assert len(walked) == 30
    monkeypatch.undo()
    for seed, path in zip(range(5, 35), walked):
        assert path == [s.scene for s in walker.walk_states(story, seed)]  # the plain walk of that seed
    assert sum(report.endings.values()) == sum(1 for p in walked if story.scenes[p[-1]].ending is not None)
