"""`tauride validate [DIR]`: every problem in a story, with file:line:col.

Exit status 1 when there are errors (or warnings, with --strict), else 0,
so CI can run it. `--history` (on with `--strict`) adds the checks a
historical story owes its readers: see `game/tools/history.py`.
"""

from __future__ import annotations

import argparse
import sys

from ..locate import add_chair_option, default_story_dir


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", nargs="?", help="story folder (default: the shipped story)")
    add_chair_option(parser)
    parser.add_argument("--strict", action="store_true",
                        help="treat warnings as errors, and run the history checks on a story with `history: true`")
    parser.add_argument("--history", action="store_true",
                        help="check the history: decision points cite sources, glossary words, the clock along every "
                             "path, inventions owned up to")


def run(args: argparse.Namespace) -> int:
    from ..locate import open_story
    from ..story import Problem, Severity, StoryError

    folder = args.folder or str(default_story_dir())
    from ..story.problems import NoSuchChair

    try:
        story = open_story(folder, args.chair)
    except NoSuchChair as err:  # the command asked wrongly; the story itself was not checked
        print(f"tauride: --chair {err.chair}: {err.reason}", file=sys.stderr)
        return 1
    except StoryError as err:
        errors = [p for p in err.problems if p.severity is Severity.ERROR]
        for p in err.problems:
            print(p, file=sys.stderr if p.severity is Severity.ERROR else sys.stdout)
        warnings = len(err.problems) - len(errors)
        print(f"{folder}: {len(errors)} error(s), {warnings} warning(s)", file=sys.stderr)
        return 1
    from ..story_folder import passed_over

    notices = list(story.warnings) + passed_over(folder)
    for p in notices:
        print(p)
    history: list[Problem] = []
    run_history = args.history or (args.strict and story.history)  # fiction owes no history notes
    if run_history:
        from .history import check_history

        others = [open_story(folder, c.id) for c in story.chairs if c.id != story.chair]
        history = check_history(story, others)
        for p in history:
            print(p, file=sys.stderr)
    endings = len(story.endings)
    checked = f", {len(history)} history problem(s)" if run_history else ""
    print(
        f"{folder}{f' (chair {story.chair})' if story.chair else ''}: {'ok' if not history else 'loads'} — '{story.title}', {len(story.scenes)} scenes in "
        f"{len(story.hours)} files, {endings} endings, {len(story.variables)} variables, "
        f"{len(notices)} warning(s){checked}"
    )
    return 1 if history or (args.strict and notices) else 0
