"""`--set NAME=VALUE` for the commands that start a game (play, walk): one parser, shared.

Kept out of `play.py`, which imports the terminal UI, so the tools can use
it without it (an import-linter contract holds them apart).
"""

from __future__ import annotations

from typing import Any


def parse_overrides(story: Any, items: list[str]) -> dict[str, Any]:
    """Turn `name=value` strings into typed values for the story's variables."""
    out: dict[str, Any] = {}
    for item in items:
        name, sep, raw = item.partition("=")
        name = name.strip()
        if not sep:
            raise SystemExit(f"tauride: --set takes NAME=VALUE, got '{item}'")
        var = story.variables.get(name)
        if var is None:
            known = ", ".join(story.variables) or "none"
            raise SystemExit(f"tauride: --set {name}: no such variable (the variables are: {known})")
        raw = raw.strip()
        if var.type == "bool":
            if raw.lower() not in ("true", "false"):
                raise SystemExit(f"tauride: --set {name}: expected true or false, got '{raw}'")
            out[name] = raw.lower() == "true"
        elif var.type == "int":
            try:
                out[name] = int(raw)
            except ValueError:
                raise SystemExit(f"tauride: --set {name}: expected a whole number, got '{raw}'") from None
            if var.range is not None and not var.range[0] <= out[name] <= var.range[1]:
                lo, hi = var.range
                raise SystemExit(f"tauride: --set {name}: {out[name]} is outside its range {lo} to {hi}")
        else:
            out[name] = raw
    return out
