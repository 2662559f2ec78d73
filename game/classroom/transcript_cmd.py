"""`tauride transcript SAVE`: a playthrough as Markdown or one self-contained HTML page."""

from __future__ import annotations

import argparse
import sys

from .common import CommandError, add_scenes_option, emit, find_save, load


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("save", metavar="SAVE", help="a save file (or a slot name in the default save folder)")
    parser.add_argument("--format", choices=("md", "html"), default=None,
                        help="md (default) or html; guessed from -o FILE's extension when not given")
    parser.add_argument("-o", "--output", metavar="FILE", help="write here instead of standard output")
    add_scenes_option(parser)


def run(args: argparse.Namespace) -> int:
    from ..saves import SaveError
    from .playthrough import load_playthrough
    from .transcript import to_html, to_markdown

    fmt = args.format or ("html" if (args.output or "").lower().endswith((".html", ".htm")) else "md")
    try:
        path = find_save(args.save)
        story = load(args.scenes)
        pt = load_playthrough(story, path)
        emit(to_html(pt) if fmt == "html" else to_markdown(pt), args.output)
    except (CommandError, SaveError) as err:
        print(f"tauride: {err}", file=sys.stderr)
        return 1
    return 0
