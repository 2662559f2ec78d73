"""`python -m benchmarks`: measure, then print every row with its floor and ratio."""

from __future__ import annotations

import argparse
import compileall
import os
import platform
import shutil
import sys
import tempfile
import time

from game.locate import default_story_dir
from game.story_folder import load_folder

from . import engine_cases, story_cases
from .measure import ROOT, Row


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "ms":
        return f"{value * 1000:,.2f} ms" if value < 0.1 else f"{value * 1000:,.0f} ms"
    if unit == "MiB":
        return f"{value:,.1f} MiB"
    if unit == "walks/s":
        return f"{value:,.0f}/s"
    return f"{value:,.3g} {unit}"


def print_table(rows: list[Row]) -> None:
    head = ("measure", "floor (same run)", "floor", "figure", "ratio", "target", "met",
            "CPU floor", "CPU figure", "CPU ratio", "met (CPU)")
    table = [head]
    yes = {True: "yes", False: "NO", None: ""}
    for r in rows:
        ratio = f"{r.ratio:.3f}×" if r.ratio is not None else "—"
        cpu_ratio = f"{r.cpu_ratio:.3f}×" if r.cpu_ratio is not None else ""
        cpu_unit = r.unit if r.unit == "walks/s" else "ms"  # a rate per CPU second, or CPU seconds
        cpu_floor = _fmt(r.cpu_floor, cpu_unit) if r.cpu_floor is not None else ""
        cpu_figure = _fmt(r.cpu_figure, cpu_unit) if r.cpu_figure is not None else ""
        table.append((r.measure, r.floor_label, _fmt(r.floor, r.unit), _fmt(r.figure, r.unit), ratio, r.target,
                      yes[r.met], cpu_floor, cpu_figure, cpu_ratio, yes[r.cpu_met]))
    widths = [max(len(row[i]) for row in table) for i in range(len(head))]
    for k, row in enumerate(table):
        print("  ".join(cell.ljust(w) if i in (0, 1, 5) else cell.rjust(w)
                        for i, (cell, w) in enumerate(zip(row, widths))).rstrip())
        if k == 0:
            print("  ".join("-" * w for w in widths))
    for r in rows:
        if r.note:
            print(f"note: {r.measure.strip()}: {r.note}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes and few repeats: checks the harness runs")
    parser.add_argument("--scenes", type=int, default=5000, help="size of the generated story (default 5000)")
    parser.add_argument("--only", action="append", default=[],
                        help="run only groups: load, load-memory (its memory row alone), cache, walk, save, undo, tui, serve")
    parser.add_argument("--peers", action="store_true",
                        help="Tauride beside inkjs on the same generated story (needs Node.js; informational)")
    args = parser.parse_args(argv)
    quick = args.quick
    if args.peers:
        from . import peers

        return peers.run(200 if quick else args.scenes, 1.0 if quick else 5.0)
    scenes = 200 if quick else args.scenes
    repeat = 2 if quick else 7
    groups = set(args.only) or {"load", "cache", "walk", "save", "undo", "tui", "serve"}

    # Measure the program as installed, with its bytecode compiled: where PYTHONDONTWRITEBYTECODE is set,
    # a source changed since its last .pyc would otherwise be compiled again in every sample's process.
    compileall.compile_dir(os.path.join(ROOT, "game"), quiet=1)
    print(f"Tauride benchmarks — Python {platform.python_version()} on {platform.machine()}, "
          f"{os.cpu_count()} CPUs, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    rows: list[Row] = []
    work = tempfile.mkdtemp(prefix="tauride-bench-")
    try:
        folder, label = story_cases.shipped_or_generated(str(default_story_dir()), work)
        story = load_folder(folder)
        if "load" in groups:
            rows += story_cases.validate_rows(scenes, repeat)
        if groups & {"load", "load-memory"}:
            rows += story_cases.validate_memory_rows(scenes, 3 if quick else 5)
        if "cache" in groups:
            rows += story_cases.cache_rows(folder, label, 5 if quick else 21)
        if "walk" in groups:
            rows += engine_cases.walk_rows(story, label, 0.5 if quick else 5.0)
        if "save" in groups:
            rows += engine_cases.save_rows(story, 5 if quick else 51)
        if "undo" in groups:
            rows += engine_cases.long_play_rows(work, quick)
        if "tui" in groups:
            try:
                from . import tui_cases
            except ImportError as exc:
                rows.append(Row("terminal rows (first frame, memory, keypress)", "—", None, None, "ms", "", None,
                                f"not measured: {exc}"))
            else:
                rows += tui_cases.rows(folder, story.title, quick)
        if "serve" in groups:
            try:
                from . import serve_cases
            except ImportError as exc:
                rows.append(Row("served classroom (a room signing in, its memory)", "—", None, None, "ms", "", None,
                                f"not measured: {exc}"))
            else:
                rows += serve_cases.rows(quick)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
