"""A seeded mutation fuzzer for a story folder: break its files' text and YAML structure, then load.

Each round takes the files of a story (the shipped *July Days* in the
tests), mutates one or two of them — as text (delete, duplicate or swap
lines, cut a file short, insert a huge number, a tag, an anchor or alias,
deep nesting, a control character) or as YAML structure (delete, duplicate,
rename or retype a key, replace a value with one of another shape) — and
loads the result with the real loader (`story_input.load_named`: no cache,
the bytes handed over so nothing is written). A round passes when the story loads or
the load raises `StoryError` whose every problem has a place inside one of
the story's files; any other exception is a failure, reported with the seed
that replays it (`replay(folder, seed)`).
"""

from __future__ import annotations

import os
import random
import re
import traceback
from dataclasses import dataclass
from typing import Any, Callable

import yaml

from game.story import StoryError
from game.story_folder import story_files
from tests.story_input import load_named

_FAST_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_FAST_DUMPER: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
HUGE_INT = "9" * 5000
_TAGS = ["!!str", "!!int", "!!float", "!!bool", "!!null", "!!map", "!!seq", "!!binary", "!!timestamp",
         "!!python/object/apply:os.system", "!custom", "!", "!!set", "!!omap"]
_SCALARS: list[Any] = [0, -1, 10**13, 2.5, float("inf"), True, False, None, "", "x", "16:00", "99:99", "10m",
                       "not a thing", "[/]", "{resolve", "resolve +=", "a\u202eb", "\x07"]


def _junk_value(rng: random.Random) -> Any:
    """A value of a random shape: a scalar, a list, a mapping, or something deep."""
    kind = rng.randrange(6)
    if kind == 0:
        return rng.choice(_SCALARS)
    if kind == 1:
        return [rng.choice(_SCALARS) for _ in range(rng.randrange(4))]
    if kind == 2:
        return {rng.choice(["id", "text", "goto", "type", "x", "1"]): rng.choice(_SCALARS)}
    if kind == 3:
        deep: Any = "bottom"
        for _ in range(rng.randrange(5, 60)):
            deep = [deep]
        return deep
    if kind == 4:
        return {}
    return []


def _paths(data: Any, prefix: tuple[Any, ...] = (), seen: frozenset[int] = frozenset()) -> list[tuple[Any, ...]]:
    """Every place in the data, each container entered once per branch (a mutation may have made a cycle)."""
    out = [prefix]
    if id(data) in seen or len(prefix) > 40:
        return out
    seen = seen | {id(data)}
    if isinstance(data, dict):
        for k, v in data.items():
            out += _paths(v, prefix + (k,), seen)
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += _paths(v, prefix + (i,), seen)
    return out


def _parent(data: Any, path: tuple[Any, ...]) -> Any:
    for step in path[:-1]:
        data = data[step]
    return data


def mutate_structure(text: str, rng: random.Random) -> str:
    """Change the file's YAML data at one random place, and write it back as YAML."""
    try:
        data = yaml.load(text, Loader=_FAST_LOADER)
    except Exception:
        return text
    if _paths(data) and any(len(p) > 40 for p in _paths(data)):
        return text  # deep or cyclic already: writing it back would only recurse
    paths = [p for p in _paths(data) if p]
    if not paths:
        return yaml.dump(_junk_value(rng), Dumper=_FAST_DUMPER, allow_unicode=True)
    path = rng.choice(paths)
    parent = _parent(data, path)
    key = path[-1]
    op = rng.randrange(6)
    if op == 0:  # delete
        del parent[key]
    elif op == 1:  # retype
        parent[key] = _junk_value(rng)
    elif op == 2 and isinstance(parent, dict):  # rename (a typo, or a key of another item)
        value = parent.pop(key)
        parent[rng.choice([str(key)[:-1] or "x", str(key) + "s", "goto", "id", "choices", "ending", "if"])] = value
    elif op == 3 and isinstance(parent, list):  # duplicate an item (duplicate ids)
        parent.insert(int(key), parent[key])
    elif op == 4:  # wrap in a list or mapping
        parent[key] = rng.choice([[parent[key]], {"value": parent[key]}])
    else:  # a value from elsewhere in the file
        other = rng.choice(paths)
        parent[key] = _parent(data, other)[other[-1]] if other[:len(path)] != path else None
    try:
        return str(yaml.dump(data, Dumper=_FAST_DUMPER, allow_unicode=True, sort_keys=False, width=200))
    except Exception:
        return text


def mutate_text(text: str, rng: random.Random) -> str:
    """Change the file's text at random places: lines, characters, and what YAML makes of them."""
    lines = text.split("\n")
    for _ in range(rng.randrange(1, 4)):
        op = rng.randrange(11)
        j = rng.randrange(len(lines)) if lines else 0
        if not lines:
            lines = [""]
        if op == 0:
            del lines[j]
        elif op == 1:
            lines.insert(j, lines[j])  # a duplicate key, or a duplicate list item
        elif op == 2:
            k = rng.randrange(len(lines))
            lines[j], lines[k] = lines[k], lines[j]
        elif op == 3:
            lines = lines[:j]  # cut short
        elif op == 4 or op == 5:  # a value replaced by a huge number, a tag, or nesting
            m = re.search(r":\s+(\S.*)$", lines[j])
            if m:
                new = rng.choice([HUGE_INT, "-" + HUGE_INT, "1" * 101, f"{rng.choice(_TAGS)} {m.group(1)}",
                                  "[" * 200 + "]" * 200, "{a: " * 60 + "1" + "}" * 60, "*nowhere", "&a x",
                                  "1e999", "0." + "0" * 5000 + "1"])
                lines[j] = lines[j][:m.start(1)] + new
        elif op == 6:  # an anchor here, an alias there
            m = re.search(r":\s+(\S.*)$", lines[j])
            if m:
                lines[j] = lines[j][:m.start(1)] + "&x " + m.group(1)
                k = rng.randrange(len(lines))
                mk = re.search(r":\s+(\S.*)$", lines[k])
                if mk and k != j:
                    lines[k] = lines[k][:mk.start(1)] + "*x"
        elif op == 7:  # a stray character
            i = rng.randrange(len(lines[j]) + 1)
            lines[j] = lines[j][:i] + rng.choice(["\t", "{", "}", "[", "]", ":", "'", '"', "\x00", "\ufeff", "#",
                                                  "- ", "? ", "%", "@", "\\", "<<: ", "---", "..."]) + lines[j][i:]
        elif op == 8:  # indentation broken
            lines[j] = rng.choice(["", " ", "   ", "\t"]) + lines[j].lstrip(" ") if rng.random() < 0.5 else " " + lines[j]
        elif op == 9:  # the whole file replaced by a scalar, an empty document, or a list
            return rng.choice(["~", "null", "---", "", "[]", "- a", "42", HUGE_INT, "!!str x", "!!null x", "...", "%YAML 1.1\n---\n"])
        else:  # a second document
            lines.insert(j, "---")
    return "\n".join(lines)


@dataclass
class Finding:
    """A round that raised something other than StoryError, or a problem with no place."""

    seed: int
    files: dict[str, str]
    error: str

    def __str__(self) -> str:
        changed = ", ".join(self.files)
        return f"seed {self.seed} (changed {changed}):\n{self.error}"


_PLACE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): ")


def mutate(originals: dict[str, str], rng: random.Random) -> dict[str, str]:
    """One or two files of the story, changed."""
    out: dict[str, str] = {}
    for name in rng.sample(sorted(originals), k=rng.choice([1, 1, 1, 2])):
        text = originals[name]
        for _ in range(rng.randrange(1, 3)):
            text = mutate_structure(text, rng) if rng.random() < 0.5 else mutate_text(text, rng)
        out[name] = text
    return out


def run_round(folder: str, originals: dict[str, str], seed: int,
              load: Callable[[str, dict[str, bytes]], Any] = load_named) -> Finding | None:
    """Mutate and load once; None when the loader answered as it must."""
    rng = random.Random(seed)
    changed = mutate(originals, rng)
    contents = {n: changed.get(n, t).encode("utf-8", "surrogatepass") for n, t in originals.items()}
    try:
        load(folder, contents)
        return None
    except StoryError as err:
        problems = err.problems
    except BaseException:
        return Finding(seed, changed, traceback.format_exc())
    if not problems:
        return Finding(seed, changed, "StoryError with no problems")
    for p in problems:
        m = _PLACE.match(str(p))
        if not m or int(m["line"]) < 1 or int(m["col"]) < 1:
            return Finding(seed, changed, f"a problem without a place: {p}")
    return None


def story_texts(folder: str) -> dict[str, str]:
    """The story's files by name, as text."""
    return {os.path.basename(p): open(p, encoding="utf-8").read() for p in story_files(folder)}


def fuzz(folder: str, seeds: range) -> list[Finding]:
    originals = story_texts(folder)
    return [f for f in (run_round(folder, originals, s) for s in seeds) if f is not None]
