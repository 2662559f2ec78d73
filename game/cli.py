"""`tauride`: one entry point for playing, writing and teaching.

Each command lives in its own module with `configure(parser)` and
`run(args) -> int`; only the module of the command asked for is imported,
so `tauride` starts as fast as the game itself can.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import os
import sys

from .errors import TaurideError

COMMANDS: dict[str, tuple[str, str]] = {
    "play": ("game.play", "play a story (the default command)"),
    "validate": ("game.tools.validate", "check a story folder and print every problem with file:line:col"),
    "schema": ("game.tools.schema_cmd", "print the JSON Schema for scene files (for editors)"),
    "new": ("game.tools.new", "start a new story: a small, valid, playable folder to write over"),
    "map": ("game.tools.map", "draw the story graph: Mermaid, Graphviz DOT, SVG or PNG, optionally coloured by visits"),
    "walk": ("game.tools.walk", "play a story thousands of times at random and report dead ends, loops and errors"),
    "transcript": ("game.classroom.transcript_cmd", "a playthrough as a readable Markdown or HTML document"),
    "report": ("game.classroom.report_cmd", "a class report from a folder of saves: choices, endings, departures from history"),
    "guide": ("game.classroom.guide_cmd", "a teacher's sheet generated from the story files (Markdown or HTML)"),
    "serve": ("game.classroom.serve_cmd", "serve the game to a room of browsers from this computer (textual-serve)"),
    "class": ("game.classroom.class_cmd", "group play on a projected screen: the class votes at every decision"),
}
"""Command name -> (module, one-line help). Add a command by adding a line here."""


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tauride",
        description="Tauride: choice-based interactive fiction for the terminal. Without a command, plays the shipped story.",
    )
    from . import __version__

    parser.add_argument("--version", action="version", version=f"tauride {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module, help_text) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        if command in (None, name):  # only import what this run needs
            importlib.import_module(module).configure(p)
    return parser


@functools.cache
def parser_for(command: str | None) -> argparse.ArgumentParser:
    """`build_parser(command)`, built once per process: a parser is not changed by parsing, and building
    one looks up argparse's messages in the locale's catalogues, file by file (a classroom server's fork
    server builds the games' before it forks, `game.classroom.zygote`)."""
    return build_parser(command)


def _closed_streams_as_devnull() -> None:
    """A standard stream the shell closed (`tauride play --plain <&-`) is None in Python: read it as an empty
    input and write it nowhere, as `< /dev/null` and `> /dev/null` are, not as a traceback on `None`."""
    for name, mode in (("stdin", "r"), ("stdout", "w"), ("stderr", "w")):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, mode, encoding="utf-8"))


def main(argv: list[str] | None = None) -> int:
    _closed_streams_as_devnull()
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0].startswith("-") and argv[0] not in ("-h", "--help", "--version")):
        argv.insert(0, "play")
    command = argv[0] if argv and argv[0] in COMMANDS else None
    parser = parser_for(command)
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    module = importlib.import_module(COMMANDS[args.command][0])
    try:
        return int(module.run(args) or 0)
    except TaurideError as err:  # the one root: whatever a command did not say itself is said here, never a traceback
        print(f"tauride: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
