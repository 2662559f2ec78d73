"""`tauride guide [DIR]`: a teacher's sheet generated from a story folder, as Markdown or HTML."""

from __future__ import annotations

import argparse
import sys

from ..locate import add_chair_option
from ..output import emit
from .common import CommandError, load


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dir", metavar="DIR", nargs="?", help="story folder (default: the shipped story)")
    parser.add_argument("--format", choices=("md", "html"), default=None,
                        help="md (default) or html; guessed from -o FILE's extension when not given")
    parser.add_argument("-o", "--output", metavar="FILE", help="write here instead of standard output")
    add_chair_option(parser)


def run(args: argparse.Namespace) -> int:
    from .guide import to_html, to_markdown

    fmt = args.format or ("html" if (args.output or "").lower().endswith((".html", ".htm")) else "md")
    try:
        story = load(args.dir, args.chair)
        emit(to_html(story) if fmt == "html" else to_markdown(story), args.output)
    except CommandError as err:
        print(f"tauride: {err}", file=sys.stderr)
        return 1
    return 0
