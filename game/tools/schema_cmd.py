"""`tauride schema`: the JSON Schema editors use to complete and check scene files."""

from __future__ import annotations

import argparse

from ..output import emit


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--output", help="write to this file instead of stdout")


def run(args: argparse.Namespace) -> int:
    from ..story.schema import json_schema_text

    emit(json_schema_text(), args.output)
    return 0
