"""`tauride report DIR...`: a class's saves added up, in the terminal or as one HTML page."""

from __future__ import annotations

import argparse
import sys

from .common import CommandError, add_scenes_option, emit, load


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dirs", metavar="DIR", nargs="+", help="folders of saves (searched recursively) or save files")
    parser.add_argument("--html", metavar="FILE", help="also write the report as one self-contained HTML page")
    add_scenes_option(parser)


def run(args: argparse.Namespace) -> int:
    from rich.console import Console

    from .report import build
    from .report_render import to_html, to_rich

    try:
        story = load(args.scenes)
        report = build(story, args.dirs)
        if args.html:  # first: the page a teacher asked for is written whatever happens to the terminal
            emit(to_html(report), args.html)
        console = Console(markup=False, highlight=False)  # every part is a renderable; no text is read as markup
        for part in to_rich(report):
            console.print(part)
    except CommandError as err:
        print(f"tauride: {err}", file=sys.stderr)
        return 1
    return 0 if report.students or not report.skipped else 1
