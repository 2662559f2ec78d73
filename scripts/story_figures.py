"""Print the figures of a story: scenes, hours, endings, words, playthrough lengths.

    python scripts/story_figures.py [SCENES_DIR] [--walks N] [--seed S]

The walker is `game.tools.walker.playthrough` (the one `tauride walk` and the
story tests use) and the word counter `game.views.reading`. Words are counted
in what a player reads: scene text (every branch of every
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
from collections import Counter
from pathlib import Path

from game.story.model import Story
from game.story_folder import load_folder
from game.tools.walker import percentile, playthrough
from game.views.reading import count_words, scene_text_words, story_words

REPO = Path(__file__).resolve().parent.parent


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
    walks = [playthrough(story, args.seed + i, words=True) for i in range(args.walks)]
    done = [w for w in walks if w.ending is not None]
    endings = Counter(w.ending for w in done)

    print(f"{story.title} ({args.folder})")
    print(f"  scenes            {len(story.scenes)}")
    print(f"  hours (files)     {len(story.hours)}")
    print(f"  endings           {len(story.endings)}")
    print(f"  words, scene text {scene_text_words(story)}")
    print(f"  words, all text   {story_words(story)}  (scene text, choices, epilogues)")
    print("  per file:")
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
