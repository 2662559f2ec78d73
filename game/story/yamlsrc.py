"""Read a YAML file into plain data plus the line and column of every value.

Why not `yaml.safe_load`: it forgets where values came from, silently keeps
the last of two equal keys, reads `16:00` as the number 960 and `no` as
False, and expands alias bombs without limit. Here libyaml (`CSafeLoader`)
composes the node tree once and we build the data ourselves from it, so one
parse gives both the data and the positions, and every hazard becomes a
`Problem` with a place instead of a traceback.

Scalars follow a small, predictable subset of YAML 1.2's core schema:
`true`/`false`, `null`/`~`, decimal integers and floats; everything else
(including `16:00`, `yes`, `on`, `+1`) stays a string.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from .problems import Problem

_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml is in PyYAML's wheels

_STR_TAG = "tag:yaml.org,2002:str"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"
_MERGE_TAG = "tag:yaml.org,2002:merge"


class _Loader(_BaseLoader):  # type: ignore[misc]
    """libyaml's composer with a resolver that leaves plain scalars to `_scalar`.

    PyYAML's YAML 1.1 resolver runs a Python regex chain for every value and
    tags dates (`1917-07-04`) as timestamps and `=` as "value", which we would
    then refuse as foreign tags. Only `<<` still needs telling apart, so the
    merge key can be reported.
    """

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode:
            return _MERGE_TAG if value == "<<" and implicit[0] else _STR_TAG
        return _SEQ_TAG if kind is yaml.SequenceNode else _MAP_TAG


MAX_FILE_BYTES = 8 * 1024 * 1024
"""A scene file larger than this is refused before parsing (a 5,000-scene story is ~4 MB in all)."""
MAX_DEPTH = 48
"""Nesting deeper than any real scene file; also stops self-referencing aliases."""
MAX_NODES = 1_000_000
"""Values built from one file, aliases expanded: bounds alias bombs ("billion laughs")."""

Path = tuple[Any, ...]
"""Where a value sits in a file's data: keys and list indices from the top."""

_INT = re.compile(r"[-]?(0|[1-9][0-9_]*)\Z")
_FLOAT = re.compile(r"[-]?([0-9][0-9_]*)?\.[0-9]+([eE][-+]?[0-9]+)?\Z")
_KNOWN_TAGS = {
    "tag:yaml.org,2002:merge",  # '<<' as a value is just text; as a key it is refused below
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}


@dataclass
class SourceFile:
    """One parsed file: its data, where each value came from, what went wrong."""

    path: str
    data: Any = None
    positions: dict[Path, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Path, tuple[int, int]] = field(default_factory=dict)
    """Where the *key* naming each mapping value was written (for unknown or duplicate keys)."""
    problems: list[Problem] = field(default_factory=list)
    styles: dict[Path, str] = field(default_factory=dict)
    """Quoting or block style of string values, to place errors inside them."""
    text: str = ""
    """The decoded file, kept to place errors inside block scalars."""
    lines: list[str] = field(default_factory=list)
    """`text` split into lines, made on first use (only errors need it)."""
    refused: set[Path] = field(default_factory=set)
    """Values dropped for a reported reason (a refused tag): no second error about them."""

    def data_at(self, loc: Path) -> Any:
        value = self.data
        for step in loc:
            value = value[step]
        return value

    def indent_of(self, line: int) -> int:
        """Leading spaces of a 1-based line (block scalars start their text there)."""
        if not self.lines and self.text:
            self.lines = self.text.splitlines()
        if 0 < line <= len(self.lines):
            text = self.lines[line - 1]
            return len(text) - len(text.lstrip(" "))
        return 0

    def where(self, loc: Path) -> tuple[int, int]:
        """Line and column of the value at `loc`, or of its nearest enclosing value."""
        loc = tuple(loc)
        while loc:
            pos = self.positions.get(loc)
            if pos is not None:
                return pos
            loc = loc[:-1]
        return self.positions.get((), (1, 1))

    def key_where(self, loc: Path) -> tuple[int, int]:
        """Line and column of the *key* naming the value at `loc` (for unknown keys)."""
        return self.key_positions.get(tuple(loc)) or self.where(loc)

    def problem(self, loc: Path, message: str, *, at_key: bool = False) -> Problem:
        line, col = self.key_where(loc) if at_key else self.where(loc)
        return Problem(self.path, line, col, message)


class _TooBig(Exception):
    def __init__(self, node: yaml.Node, message: str):
        self.node = node
        self.message = message


_ScalarNode = yaml.ScalarNode
_SequenceNode = yaml.SequenceNode
_MappingNode = yaml.MappingNode


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _scalar(node: yaml.ScalarNode) -> Any:
    """Resolve a plain (unquoted) scalar by our own small rules, not YAML 1.1's."""
    value: str = node.value
    if value in ("true", "True", "TRUE"):
        return True
    if value in ("false", "False", "FALSE"):
        return False
    if value in ("null", "Null", "NULL", "~", ""):
        return None
    if _INT.match(value):
        return int(value.replace("_", ""))
    if _FLOAT.match(value):
        return float(value.replace("_", ""))
    return value


class _Builder:
    """Turns a composed node tree into plain data, recording positions.

    This runs once per value of every scene file, so it is written for speed:
    node types are compared by identity, and the hot attributes are bound
    to locals.
    """

    def __init__(self, src: SourceFile):
        self.src = src
        self.count = 0
        self.positions = src.positions
        self.key_positions = src.key_positions
        self.styles = src.styles

    def _problem(self, node: yaml.Node, message: str) -> None:
        line, col = _mark(node)
        self.src.problems.append(Problem(self.src.path, line, col, message))

    def build(self, node: Any, path: Path, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooBig(node, f"too many values (over {MAX_NODES:,}); aliases may be expanding without bound")
        if depth > MAX_DEPTH:
            raise _TooBig(node, f"nested more than {MAX_DEPTH} levels deep (or an alias refers to itself)")
        mark = node.start_mark
        self.positions[path] = (mark.line + 1, mark.column + 1)
        kind = type(node)
        tag = node.tag
        if kind is _ScalarNode:
            if tag is not _STR_TAG and tag not in _KNOWN_TAGS:
                return self._foreign(node, path)
            if node.style:  # quoted or block scalars are always strings
                self.styles[path] = node.style
                return node.value
            return _scalar(node)
        if tag is not _SEQ_TAG and tag is not _MAP_TAG and tag not in _KNOWN_TAGS:
            return self._foreign(node, path)
        depth += 1
        if kind is _SequenceNode:
            build = self.build
            return [build(item, path + (i,), depth) for i, item in enumerate(node.value)]
        if kind is _MappingNode:
            out: dict[Any, Any] = {}
            key_positions = self.key_positions
            for key_node, value_node in node.value:
                if type(key_node) is not _ScalarNode:
                    self._problem(key_node, "a key must be a plain word, not a list or mapping")
                    continue
                if key_node.tag == _MERGE_TAG:
                    self._problem(key_node, "merge keys ('<<') are not supported; write the keys out")
                    continue
                key = key_node.value
                key_path = path + (key,)
                if key in out:
                    first = key_positions.get(key_path, (0, 0))[0]
                    self._problem(
                        key_node, f"duplicate key '{key}' (first given on line {first}); each key may appear once in a mapping"
                    )
                    continue
                kmark = key_node.start_mark
                key_positions[key_path] = (kmark.line + 1, kmark.column + 1)
                out[key] = self.build(value_node, key_path, depth)
            return out
        raise _TooBig(node, f"unexpected YAML node {kind.__name__}")  # pragma: no cover

    def _foreign(self, node: yaml.Node, path: Path) -> None:
        """Explicit tags such as !!python/object or !custom: reported, never constructed."""
        self.src.refused.add(path)
        shown = node.tag.replace("tag:yaml.org,2002:", "!!")
        self._problem(node, f"the tag '{shown}' is not allowed; scene files hold plain data only")
        return None


def read_yaml(path: str, text: bytes | str | None = None, *, display: str | None = None) -> SourceFile:
    """Parse one YAML file safely; problems are collected on the result, never raised."""
    src = SourceFile(display or path)
    try:
        if text is None:
            with open(path, "rb") as fh:
                raw = fh.read(MAX_FILE_BYTES + 1)
        else:
            raw = text.encode("utf-8") if isinstance(text, str) else text
    except OSError as exc:
        src.problems.append(Problem(src.path, 0, 0, f"cannot read the file: {exc.strerror or exc}"))
        return src
    if len(raw) > MAX_FILE_BYTES:
        src.problems.append(
            Problem(src.path, 1, 1, f"file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB; split the story into smaller files")
        )
        return src
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        src.problems.append(Problem(src.path, line, col, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8"))
        return src
    src.text = decoded
    try:
        node = yaml.compose(decoded, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = exc.problem or "invalid YAML"
        ctx = f" ({exc.context})" if exc.context else ""
        src.problems.append(Problem(src.path, line, col, f"YAML syntax: {what}{ctx}"))
        return src
    except yaml.YAMLError as exc:
        src.problems.append(Problem(src.path, 1, 1, f"YAML syntax: {exc}"))
        return src
    except RecursionError:
        src.problems.append(Problem(src.path, 1, 1, "nested too deeply to read"))
        return src
    if node is None:
        src.data = {}
        src.positions[()] = (1, 1)
        return src
    try:
        src.data = _Builder(src).build(node, (), 0)
    except _TooBig as exc:
        line, col = _mark(exc.node)
        src.problems.append(Problem(src.path, line, col, exc.message))
        src.data = None
    return src
