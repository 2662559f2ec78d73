"""Every number a story computes is bounded, and so is the work of checking a story (issue 11, expressions).

Before: `+=` and `-=` were added by the engine outside the bounded
arithmetic, so `n += n` on a loop reached 10¹⁸ and later broke rendering
and saving; and a story inside every per-file limit could cost 7.6 s and
812 MB to check (one 7.8 MB scene of 7,900 different long expressions).
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from game import engine
from game.engine import RunError
from game.story import StoryError, limits
from tests.story_input import load_dir

REPO = Path(__file__).resolve().parent.parent

MANIFEST = """\
title: Growth
id: growth
start: loop
clock: {start: "15:00", end: "06:00"}
variables:
  n: {type: int, default: 1}
  m: {type: int, default: 1}
"""


def loop_story(make_story, effect: str):
    scenes = f"""\
scenes:
  - id: loop
    title: Loop
    text: "n is {{n}}"
    choices:
      - {{id: again, text: Again, goto: loop, effects: ["{effect}", "m = m"]}}
      - {{id: stop, text: Stop, goto: fin}}
  - id: fin
    title: End
    text: Done.
    ending: {{title: End, epilogue: Over., history: None.}}
"""
    return load_dir(str(make_story({"story.yaml": MANIFEST, "s.yaml": scenes})))


@pytest.mark.parametrize(("effect", "sign"), [("n += n", ""), ("n -= 0 - n", "")])
def test_compound_assignment_is_bounded_like_every_sum(make_story, effect: str, sign: str) -> None:
    story = loop_story(make_story, effect)
    state = engine.new_game(story, seed=1)
    with pytest.raises(RunError) as info:
        for _ in range(80):
            state = engine.choose(story, state, "again")
    assert abs(state.vars["n"]) <= 10**12  # the last state that was made is still inside the bound
    message = str(info.value).split("/")[-1]
    assert message.startswith("s.yaml:6:9: ") and f"effect '{effect}': number {sign}" in message
    assert "is out of bounds (beyond ±1,000,000,000,000)" in message
    json.dumps(state.vars)  # and it still saves


def test_compound_assignment_inside_the_bound_is_unchanged(make_story) -> None:
    story = loop_story(make_story, "n += 2")
    state = engine.choose(story, engine.new_game(story, seed=1), "again")
    assert state.vars["n"] == 3


@pytest.mark.parametrize(
    ("declaration", "message"),
    [
        ("{type: int, default: 1000000000001}", "story.yaml:6:27: default 1000000000001 is beyond ±1,000,000,000,000"),
        ("{type: int, default: 0, range: [0, 10000000000000]}", "story.yaml:6:37: range [0, 10000000000000] reaches beyond"),
    ],
)
def test_declarations_past_the_bound_are_load_errors(make_story, declaration: str, message: str) -> None:
    manifest = MANIFEST.replace("n: {type: int, default: 1}", f"n: {declaration}")
    scenes = "scenes:\n  - {id: loop, title: L, text: '{n} {m}', ending: {title: E, epilogue: E, history: E}}\n"
    with pytest.raises(StoryError) as info:
        load_dir(str(make_story({"story.yaml": manifest, "s.yaml": scenes})))
    found = [str(p).split("/")[-1] for p in info.value.problems]
    assert len(found) == 1 and found[0].startswith(message), found


# ------------------------------------------------------------------ the story-wide budget


def heavy_scene(count: int, width: int = 245) -> str:
    """One scene whose text holds `count` different long `{…}` passages (about 1,000 characters each)."""
    passages = " ".join("{n" + " + 1" * width + f" + {i}" + "}" for i in range(count))
    return ("scenes:\n  - id: loop\n    title: Heavy\n    text: \"" + passages + "\"\n"
            "    ending: {title: E, epilogue: E, history: E}\n")


def test_different_expressions_past_the_story_limit_stop_the_check_with_a_place(make_story) -> None:
    count = limits.MAX_STORY_EXPRESSION_CHARS // 990 + 5
    with pytest.raises(StoryError) as info:
        load_dir(str(make_story({"story.yaml": MANIFEST, "s.yaml": heavy_scene(count)})))
    (problem,) = info.value.problems
    assert Path(problem.path).name == "s.yaml" and problem.line == 4
    assert problem.col > 990_000  # at the passage that passed the limit, not at the start of the text
    assert problem.message.startswith(
        "text: the story's different expressions and {…} passages add up to more than 1,000,000 characters")


def test_the_same_expression_repeated_costs_once(make_story) -> None:
    passage = "{n" + " + 1" * 245 + "}"
    text = " ".join([passage] * 1200)  # 1.2 million characters, all one expression
    scenes = ("scenes:\n  - id: loop\n    title: Heavy\n    text: \"" + text + "\"\n"
              "    ending: {title: E, epilogue: E, history: E}\n")
    manifest = MANIFEST.replace("  m: {type: int, default: 1}\n", "")
    story = load_dir(str(make_story({"story.yaml": manifest, "s.yaml": scenes})))
    assert story.scenes["loop"].text_source.count("{") == 1200


def test_story_files_past_the_story_byte_limit_stop_the_load(make_story, monkeypatch) -> None:
    monkeypatch.setattr(limits, "MAX_STORY_BYTES", 4000)
    filler = "".join(f"# {'x' * 60}\n" for _ in range(40))  # 2.5 kB of comments per file
    files = {"story.yaml": MANIFEST, "a.yaml": filler, "b.yaml": filler, "c.yaml": filler}
    with pytest.raises(StoryError) as info:
        load_dir(str(make_story(files)))
    assert [(Path(p.path).name, p.line, p.col) for p in info.value.problems] == [("b.yaml", 1, 1)]
    assert info.value.problems[0].message.startswith("the story's files add up to more than 0 MiB")


def test_story_files_past_the_story_value_limit_stop_the_load(make_story, monkeypatch) -> None:
    monkeypatch.setattr(limits, "MAX_STORY_VALUES", 500)
    many = "hour: {title: H, discussion: [" + ", ".join(["Why?"] * 300) + "]}\n"
    files = {"story.yaml": MANIFEST, "a.yaml": many, "b.yaml": many}
    with pytest.raises(StoryError) as info:
        load_dir(str(make_story(files)))
    (problem,) = info.value.problems
    assert Path(problem.path).name == "b.yaml"
    assert problem.message.startswith("the story's files hold more than 500 values in all, and this file passes")


@pytest.mark.slow
def test_the_reported_7_8_megabyte_scene_is_refused_quickly_and_small(make_story) -> None:
    """The reproduction from the issue, in a child process so its time and memory are its own."""
    folder = make_story({"story.yaml": MANIFEST, "s.yaml": heavy_scene(7900)})
    assert (folder / "s.yaml").stat().st_size > 7_800_000
    code = textwrap.dedent(f"""
        import resource, sys, time
        sys.path.insert(0, {str(REPO)!r})
        from game.story import StoryError
        from tests.story_input import load_dir
        t = time.process_time()
        try:
            load_dir({str(folder)!r})
        except StoryError as err:
            print(len(err.problems), err.problems[0].message[:60])
        print(time.process_time() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120).stdout.split("\n")
    assert out[0].startswith("1 text: the story's different expressions"), out
    cpu, peak_mb = out[1].split()
    assert float(cpu) < 3.0 and int(peak_mb) < 250, out
