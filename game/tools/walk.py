"""`tauride walk [DIR]`: play a story thousands of times at random and report what breaks.

Exit status 1 when a playthrough found a defect (dead end, loop with no
exit, an expression failing at run time, a value pushed outside its range),
or, with `--strict`, when some scene or choice was never reached; else 0,
so CI can run it. Every defect is printed with the command that replays it.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
import tempfile
from pathlib import Path
from typing import Any

from ..locate import add_chair_option, default_story_dir, load_or_explain
from ..output import emit, write_shared
from .walker import DEFAULT_MAX_STEPS, DEFAULT_RUNS, KIND_TITLES, KINDS, WalkReport


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", nargs="?", help="story folder (default: the shipped story)")
    parser.add_argument("-n", "--runs", type=int, default=DEFAULT_RUNS,
                        help=f"random playthroughs (default {DEFAULT_RUNS})")
    parser.add_argument("--seed", type=int, default=0, help="seed of the first playthrough; the others follow (default 0)")
    parser.add_argument("--max-steps", type=int, default=DEFAULT_MAX_STEPS,
                        help=f"a playthrough with more choices than this is a loop with no exit (default {DEFAULT_MAX_STEPS})")
    parser.add_argument("--exhaustive", action="store_true",
                        help="enumerate every distinct path instead (for small stories); --max-steps bounds its length")
    parser.add_argument("--max-paths", type=int, default=100_000, help="exhaustive mode: stop after this many paths")
    parser.add_argument("--from", dest="start", metavar="SCENE", help="begin every playthrough at this scene")
    parser.add_argument("--set", dest="overrides", metavar="NAME=VALUE", action="append", default=[],
                        help="set a variable at the start (repeatable)")
    parser.add_argument("--json", metavar="FILE", help="also write the full report as JSON (for `tauride map --heat`)")
    add_chair_option(parser)
    parser.add_argument("--strict", action="store_true", help="also fail when a scene or choice was never reached")
    parser.add_argument("--replay-dir", metavar="DIR",
                        help=f"where replays longer than {LONG_REPLAY} choices are written, one file each, for "
                             "`tauride play --replay FILE` (default: tauride-replays in the system's temporary folder)")


def run(args: argparse.Namespace) -> int:
    from ..engine import ChoiceError
    from ..overrides import parse_overrides
    from .walker import exhaustive_walk, random_walk

    for flag, value in (("-n/--runs", args.runs), ("--max-steps", args.max_steps), ("--max-paths", args.max_paths)):
        if value < 1:
            print(f"tauride: {flag} must be at least 1 (got {value})", file=sys.stderr)
            return 1
    folder = args.folder or str(default_story_dir())
    story = load_or_explain(folder, args.chair)
    if story is None:
        return 1
    overrides = parse_overrides(story, args.overrides)
    if args.start and args.start not in story.scenes:
        print(f"tauride: --from {args.start}: there is no such scene", file=sys.stderr)
        return 1
    try:
        if args.exhaustive:
            report = exhaustive_walk(story, max_depth=args.max_steps, max_paths=args.max_paths, seed=args.seed,
                                     start=args.start, overrides=overrides)
        else:
            report = random_walk(story, args.runs, seed=args.seed, max_steps=args.max_steps, start=args.start,
                                 overrides=overrides)
    except ChoiceError as err:
        print(f"tauride: {err}", file=sys.stderr)
        return 1
    replay_dir = Path(args.replay_dir) if args.replay_dir else Path(tempfile.gettempdir()) / "tauride-replays"
    sys.stdout.write(format_report(report, story, folder, replay_dir))
    if args.json:
        emit(json.dumps(report.to_json(), indent=1, ensure_ascii=False) + "\n", args.json, said="report written to")
    failed = bool(report.findings) or (args.strict and bool(report.unreached_scenes or report.untaken_choices))
    return 1 if failed else 0


LONG_REPLAY = 12
"""A replay of more choices than this goes to a file (`--replay FILE`): a line of 500 steps helps no one."""


def replay_file(report: WalkReport, seed: int, path: list[str], kind: str, folder: Path) -> str:
    """Write a long replay's steps, one a line, into `folder`; returns the file's name."""
    target = folder / f"{report.story_id}-{kind}-seed{seed}.txt"
    write_shared(target, f"# tauride walk: {kind}, seed {seed}, {len(path)} choice(s)\n" + "\n".join(path) + "\n")
    return str(target)


def replay_command(report: WalkReport, folder: str, seed: int, path: list[str], replay_dir: Path | None = None,
                   kind: str = "finding") -> str:
    """The command line that plays a finding back, ready to paste (a long path is written to a file first)."""
    parts = ["tauride", "play", "--scenes", folder, "--seed", str(seed)]
    if report.start:
        parts += ["--from", report.start]
    for k, v in report.overrides.items():
        parts += ["--set", f"{k}={str(v).lower() if isinstance(v, bool) else v}"]
    if replay_dir is not None and len(path) > LONG_REPLAY:
        parts += ["--replay", replay_file(report, seed, path, kind, replay_dir)]
    else:
        parts += ["--replay", ",".join(path) if path else '""']
    return " ".join(shlex.quote(p) if p != '""' else p for p in parts)


def format_report(report: WalkReport, story: Any, folder: str, replay_dir: Path | None = None) -> str:
    """The report a writer reads: coverage, endings, then every defect with its replay command."""
    out: list[str] = []
    w = out.append
    n_scenes = len(story.scenes)
    n_choices = sum(len(s.choices) for s in story.scenes.values())
    what = "distinct paths" if report.mode == "exhaustive" else "random playthroughs"
    cpu = (f"; {report.per_cpu_second:,.0f} per second of processor time"
           if report.cpu_seconds and report.seconds > 1.25 * report.cpu_seconds else "")
    w(f"{story.title}: {report.runs:,} {what} in {report.seconds:.2f} s "
      f"({report.per_second:,.0f} per second{cpu}, {report.steps:,} choices)")
    if report.mode == "exhaustive":
        if report.truncated:
            w(f"  stopped at --max-paths {report.runs:,}: the story has more paths than that")
        if report.cut:
            w(f"  {report.cut:,} paths were cut at {report.max_steps} choices (an ending was still reachable; "
              f"raise --max-steps to follow them)")
    w(f"Scenes reached: {n_scenes - len(report.unreached_scenes)} of {n_scenes}; "
      f"choices taken: {n_choices - len(report.untaken_choices)} of {n_choices}")
    w("")
    total_end = sum(report.endings.values())
    w(f"Endings ({total_end:,} {'paths' if report.mode == 'exhaustive' else 'playthroughs'} ended):")
    for sid in sorted(report.endings, key=lambda s: -report.endings[s]):
        n = report.endings[sid]
        title = story.scenes[sid].ending.title
        w(f"  {n:>8,}  {100 * n / max(report.runs, 1):5.1f}%  {sid} — {title}")
    never = [s.id for s in story.endings if s.id not in report.endings]
    for sid in never:
        w(f"  {0:>8}  {0:5.1f}%  {sid} — {story.scenes[sid].ending.title}  (never reached)")
    if report.events or report.unfired_events:
        w("")
        w("Events (playthroughs in which each fired):")
        for e in story.events:
            n = report.events.get(e.id, 0)
            unfired = f"  (never fired: {e.condition_source})" if not n else ""
            w(f"  {n:>8,}  {e.id} → {e.goto}{unfired}")
    if report.unreached_scenes:
        w("")
        w("Scenes never reached:")
        for sid in report.unreached_scenes:
            w(f"  {story.scenes[sid].pos}: {sid}")
    if report.untaken_choices:
        w("")
        w("Choices never taken:")
        for key in report.untaken_choices:
            sid, cid = key.split(".")
            c = story.scenes[sid].choice(cid)
            cond = f"  (if {c.condition_source})" if c.condition_source else ""
            cond += f"  (selectable_if {c.selectable_source})" if c.selectable_source else ""
            w(f"  {c.pos}: {key}{cond}")
    w("")
    problems = report.problems
    if not problems:
        w("No problems found: no dead ends, no loops without exit, no run-time errors, no values out of range.")
    else:
        counts = ", ".join(f"{sum(1 for f in problems if f.kind == k)} {KIND_TITLES[k]}" for k in KINDS
                           if any(f.kind == k for f in problems))
        w(f"{len(problems)} problem(s): {counts}")
        for f in problems:
            w("")
            w(f"{KIND_TITLES[f.kind]} — met in {f.count:,} playthrough(s)")
            w(f"  {f.message}")
            w(f"  seed {f.seed}, {len(f.path)} choice(s){'' if f.path else ' (at the start)'}; "
              f"replay: {replay_command(report, folder, f.seed, f.path, replay_dir, f.kind)}")
    if report.long_walks and (long := report.long_walk) is not None:
        w("")
        w(f"Long walks (information, not a problem): {report.long_walks:,} playthrough(s) were still going after "
          f"{report.max_steps} choices, each where an ending could still be reached (a hub the walker kept "
          f"returning to). Raise --max-steps to follow them.")
        w(f"  first: seed {long.seed}; "
          f"replay: {replay_command(report, folder, long.seed, long.path, replay_dir, 'long-walk')}")
    return "\n".join(out) + "\n"
