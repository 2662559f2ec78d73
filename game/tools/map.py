"""`tauride map [DIR]`: draw the story graph as Mermaid, Graphviz DOT, SVG or PNG.

Mermaid and DOT are plain text and need nothing installed; SVG and PNG are
drawn by Graphviz's `dot` program when it is on PATH (the message says how
to install it when it is not). `--heat FILE` colours scenes and choices by
how often a walk (`tauride walk --json FILE`) or a class (a folder of
saves) visited them.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys

from ..errors import TaurideError
from ..locate import add_chair_option, load_or_explain
from ..output import emit
from ..story.model import Story
from .storymap import Heat

INSTALL_DOT = (
    "Graphviz's 'dot' program is needed to draw SVG or PNG and is not installed.\n"
    "  Debian/Ubuntu: sudo apt-get install graphviz\n"
    "  Fedora: sudo dnf install graphviz     macOS: brew install graphviz     Windows: winget install graphviz\n"
    "Or write text that needs nothing installed: --format mermaid (paste into Markdown) or --format dot."
)


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", nargs="?", help="story folder (default: the shipped story)")
    add_chair_option(parser)
    parser.add_argument("--format", choices=("mermaid", "dot", "svg", "png"), default=None,
                        help="output format (default: from -o's extension, else mermaid)")
    parser.add_argument("--heat", metavar="FILE",
                        help="colour by visits: a walk report (tauride walk --json FILE) or a folder of saves")
    parser.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout (PNG needs a file)")


def run(args: argparse.Namespace) -> int:
    from .storymap import to_dot, to_mermaid

    story = load_or_explain(args.folder, args.chair)
    if story is None:
        return 1
    fmt = args.format or _format_from_name(args.output)
    heat = None
    if args.heat:
        try:
            heat = read_heat(args.heat, story)
        except HeatError as err:
            print(f"tauride: --heat: {err}", file=sys.stderr)
            return 1
    source = to_mermaid(story, heat) if fmt == "mermaid" else to_dot(story, heat)
    drawn: str | bytes = source  # SVG and PNG: what Graphviz draws from the DOT source
    if fmt in ("svg", "png"):
        dot = shutil.which("dot")
        if dot is None:
            print(f"tauride: {INSTALL_DOT}", file=sys.stderr)
            return 1
        if fmt == "png" and not args.output:
            print("tauride: PNG is binary: give a file with -o map.png", file=sys.stderr)
            return 1
        done = subprocess.run([dot, f"-T{fmt}"], input=source.encode("utf-8"), capture_output=True, timeout=120)
        if done.returncode != 0:
            print(f"tauride: dot failed: {done.stderr.decode('utf-8', 'replace').strip()}", file=sys.stderr)
            return 1
        drawn = done.stdout
    emit(drawn, args.output, said="map written to")
    return 0


def _format_from_name(name: str | None) -> str:
    ext = os.path.splitext(name or "")[1].lower().lstrip(".")
    return {"mmd": "mermaid", "md": "mermaid", "gv": "dot", "dot": "dot", "svg": "svg", "png": "png"}.get(ext, "mermaid")


class HeatError(TaurideError):
    """The --heat file or folder could not be used."""


def read_heat(path: str, story: Story) -> Heat:
    """Visit counts from a walk report (JSON) or a folder of saves of this story."""
    from ..saves import SaveError, decode
    from .storymap import heat_from_walk

    if os.path.isdir(path):
        heat = Heat(source="")
        used = skipped = 0
        for name in sorted(os.listdir(path)):
            if not name.endswith(".json"):
                continue
            try:
                with open(os.path.join(path, name), encoding="utf-8") as fh:
                    data = json.load(fh)
                state = decode(data, story, name)
            except (OSError, ValueError, SaveError):
                skipped += 1
                continue
            used += 1
            for sid, n in state.visits.items():
                heat.scenes[sid] = heat.scenes.get(sid, 0) + n
            for e in state.log:
                key = f"{e.scene}.{e.choice}"
                heat.choices[key] = heat.choices.get(key, 0) + 1
        if not used:
            raise HeatError(f"no saves of '{story.id}' in {path}" + (f" ({skipped} other files skipped)" if skipped else ""))
        heat.source = f"{used} saves in {os.path.basename(os.path.normpath(path))}"
        return heat
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except OSError as err:
        raise HeatError(f"cannot read {path}: {err.strerror}") from None
    except json.JSONDecodeError as err:
        raise HeatError(f"{path} is not JSON (line {err.lineno}: {err.msg})") from None
    if not isinstance(data, dict) or data.get("format") != "tauride-walk":
        raise HeatError(f"{path} is not a walk report: make one with 'tauride walk --json {path}'")
    if data.get("story") != story.id:
        raise HeatError(f"{path} is a walk of the story '{data.get('story')}', not '{story.id}'")
    return heat_from_walk(data)
