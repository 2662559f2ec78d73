"""`tauride validate [DIR]`: every problem in a story, with file:line:col.

Exit status 1 when there are errors (or warnings, with --strict), else 0,
so CI can run it.
"""

from __future__ import annotations

import argparse
import sys

from ..locate import default_story_dir


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", nargs="?", help="story folder (default: the shipped story)")
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")


def run(args: argparse.Namespace) -> int:
    from ..story import Severity, StoryError, load_story

    folder = args.folder or str(default_story_dir())
    try:
        story = load_story(folder)
    except StoryError as err:
        errors = [p for p in err.problems if p.severity is Severity.ERROR]
        for p in err.problems:
            print(p, file=sys.stderr if p.severity is Severity.ERROR else sys.stdout)
        warnings = len(err.problems) - len(errors)
        print(f"{folder}: {len(errors)} error(s), {warnings} warning(s)", file=sys.stderr)
        return 1
    for p in story.warnings:
        print(p)
    endings = len(story.endings)
    print(
        f"{folder}: ok — '{story.title}', {len(story.scenes)} scenes in {len(story.hours)} files, "
        f"{endings} endings, {len(story.variables)} variables, {len(story.warnings)} warning(s)"
    )
    return 1 if args.strict and story.warnings else 0
