"""Print the figures of a story: scenes, hours, endings, words, playthrough lengths.

    python scripts/story_figures.py [SCENES_DIR] [--walks N] [--seed S]

Words are counted in what a player reads: scene text (every branch of every
`{if}`, as written), ending epilogues and choice texts for the total; the
rendered text of the scenes actually visited, plus the ending's epilogue, for
a playthrough. The shortest and longest playthrough, the mean and the 5th/50th/95th
percentiles (overall and per ending) come from seeded random walks (uniform
over the choices available at each step), so they are figures found by
sampling, not proven extremes; the number of walks is printed with them. Everything runs through the engine's public step functions, the same
ones the game calls.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from game.engine import available_ids, choose, new_game, scene_text  # noqa: E402
from game.engine.step import is_ending  # noqa: E402
from game.story_folder import load_folder  # noqa: E402
from game.story.model import Story  # noqa: E402

MAX_STEPS = 400
"""A walk longer than this is a loop the writer did not mean; the tests fail it."""

_WORD = re.compile(r"[A-Za-z0-9\u00C0-\u024F\u0400-\u04FF]+(?:['’-][A-Za-z0-9\u00C0-\u024F\u0400-\u04FF]+)*")
_MARKUP = re.compile(r"\{[^{}\n]*\}")


def count_words(text: str) -> int:
    """Words a reader sees: template markers and Markdown punctuation do not count."""
    return len(_WORD.findall(_MARKUP.sub(" ", text)))


@dataclass(frozen=True)
class Walk:
    """One random playthrough."""

    seed: int
    ending: str | None
    """The ending scene reached, or None if the walk got stuck or ran too long."""
    path: tuple[str, ...]
    """Scene ids in the order entered, the start scene first."""
    steps: int
    words: int
    """Words of rendered scene text along the path, plus the ending's epilogue (0 unless counted)."""
    stuck: str | None = None
    """Why the walk stopped short of an ending, for the failure message."""


def random_walk(story: Story, seed: int, *, words: bool = False, max_steps: int = MAX_STEPS) -> Walk:
    """Play from the start, choosing uniformly among the available choices with `random.Random(seed)`."""
    rng = random.Random(seed)
    state = new_game(story, seed=seed)
    path = [state.scene]
    total = count_words(scene_text(story, state)) if words else 0
    for step in range(max_steps):
        if is_ending(story, state):
            ending = story.scenes[state.scene].ending
            if words and ending is not None:
                total += count_words(ending.epilogue)
            return Walk(seed, state.scene, tuple(path), step, total)
        ids = available_ids(story, state)
        if not ids:
            return Walk(seed, None, tuple(path), step, total, f"no choice available in '{state.scene}'")
        state = choose(story, state, rng.choice(ids))
        path.append(state.scene)
        if words:
            total += count_words(scene_text(story, state))
    return Walk(seed, None, tuple(path), max_steps, total, f"no ending after {max_steps} steps")


def total_words(story: Story) -> int:
    """Words of scene text written, in all branches: scene texts, choices and epilogues."""
    n = 0
    for scene in story.scenes.values():
        n += count_words(scene.text_source)
        n += sum(count_words(c.text_source) for c in scene.choices)
        if scene.ending is not None:
            n += count_words(scene.ending.epilogue)
    return n


def scene_words(story: Story) -> int:
    """Words of the scene texts alone (the figure the brief and the issue count)."""
    return sum(count_words(s.text_source) for s in story.scenes.values())


def percentile(ordered: list[int], p: int) -> int:
    """The p-th percentile of sorted values, nearest rank (no interpolation: a word count read by some walk)."""
    if not ordered:
        raise ValueError("no values")
    rank = max(1, -(-p * len(ordered) // 100))  # ceil(p/100 * n), at least the first
    return ordered[rank - 1]


def _hour_start(story: Story, scene_ids: tuple[str, ...]) -> int:
    """The earliest story time a file's scenes set, so files list in clock order (01-… after 22-…)."""
    times = [t for t in (story.scenes[s].time for s in scene_ids) if t is not None]
    return min(times) if times else story.clock_end


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default=str(REPO / "scenes"))
    parser.add_argument("--walks", type=int, default=10_000, help="random playthroughs to sample (default 10000)")
    parser.add_argument("--seed", type=int, default=0, help="first seed (default 0)")
    args = parser.parse_args(argv)

    story = load_folder(args.folder)
    walks = [random_walk(story, args.seed + i, words=True) for i in range(args.walks)]
    done = [w for w in walks if w.ending is not None]
    endings = Counter(w.ending for w in done)

    print(f"{story.title} ({args.folder})")
    print(f"  scenes            {len(story.scenes)}")
    print(f"  hours (files)     {len(story.hours)}")
    print(f"  endings           {len(story.endings)}")
    print(f"  words, scene text {scene_words(story)}")
    print(f"  words, all text   {total_words(story)}  (scene text, choices, epilogues)")
    print(f"  per file:")
    for hour in sorted(story.hours, key=lambda h: _hour_start(story, h.scenes)):
        ws = sum(count_words(story.scenes[s].text_source) for s in hour.scenes)
        print(f"    {hour.file:<28} {len(hour.scenes):>3} scenes {ws:>6} words")
    if done:
        short = min(done, key=lambda w: w.words)
        long = max(done, key=lambda w: w.words)
        print(f"  playthrough words over {len(walks)} random walks:")
        print(f"    shortest  {short.words:>6}  ({len(short.path)} scenes, seed {short.seed}, ends {short.ending})")
        print(f"    longest   {long.words:>6}  ({len(long.path)} scenes, seed {long.seed}, ends {long.ending})")
        print(f"    mean      {sum(w.words for w in done) // len(done):>6}")
        ordered = sorted(w.words for w in done)
        print("    percentiles  " + "  ".join(f"p{p} {percentile(ordered, p)}" for p in (5, 50, 95)))
        print("  playthrough words by ending (mean, p95, longest):")
        for ending in sorted({w.ending for w in done}, key=str):
            ws = sorted(w.words for w in done if w.ending == ending)
            print(f"    {ending:<28} {sum(ws) // len(ws):>6} {percentile(ws, 95):>6} {ws[-1]:>6}")
    print("  endings reached:")
    for scene in sorted(story.endings, key=lambda s: -endings[s.id]):
        mark = "  (historical)" if scene.ending is not None and scene.ending.historical else ""
        print(f"    {scene.id:<28} {endings[scene.id] / len(walks):7.2%}{mark}")
    stuck = [w for w in walks if w.ending is None]
    if stuck:
        print(f"  {len(stuck)} walks did not end; first: seed {stuck[0].seed}: {stuck[0].stuck}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
