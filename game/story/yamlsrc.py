"""Read a YAML file into plain data plus the line and column of every value.

Why not `yaml.safe_load`: it forgets where values came from, silently keeps
the last of two equal keys, reads `16:00` as the number 960 and `no` as
False, and expands alias bombs without limit. Here libyaml (`CSafeLoader`)
parses the file once and we build the data ourselves from its event stream,
so one parse gives both the data and the positions, and every hazard
becomes a `Problem` with a place instead of a traceback (or a crash: see
`_Builder`).

Scalars follow a small, predictable subset of YAML 1.2's core schema:
`true`/`false`, `null`/`~`, decimal integers and floats; everything else
(including `16:00`, `yes`, `on`, `+1`) stays a string. A number longer than
`MAX_NUMBER_CHARS` is refused with its place (Python will not even convert
an integer of more than 4,300 digits). The core tags are honoured exactly
(`!!str 123` is the text "123", `!!int "7"` the number 7) or refused where
the value is not of the tagged kind (`!!null x`); no other tag is read.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from .problems import Problem
from .schema_light import MAX_FILE_BYTES

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser when PyYAML has it; only its event stream is used (see `_Builder`)."""

MAX_DEPTH = 48
"""Nesting deeper than any real scene file."""
MAX_NODES = 250_000
"""Values read from one file, aliases expanded: bounds alias bombs ("billion laughs") and the
memory a file of tiny values can take. A 5,000-scene story in one file has about 190,000."""

Path = tuple[Any, ...]
"""Where a value sits in a file's data: keys and list indices from the top."""

MAX_NUMBER_CHARS = 100
"""Longest number read; far past any story value (expressions stay within ±10¹²), far short of
the 4,300 digits past which Python refuses to convert an integer at all."""

_INT = re.compile(r"[-]?(0|[1-9][0-9_]*)\Z")
_FLOAT = re.compile(r"[-]?([0-9][0-9_]*)?\.[0-9]+([eE][-+]?[0-9]+)?\Z")
_KNOWN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}


_AGAIN: Any = object()
"""Stands for what the plain reader left out or let go: read again from the file's text on first use."""


class SourceFile:
    """One parsed file: its data, where each value came from, what went wrong.

    A file the plain reader read (nearly every real one) records only where each item of a
    list starts (a scene, a choice, an event: what the story keeps for run-time messages). A story
    that loads without a problem asks for no other place, and a 5,000-scene story's half a
    million places (a libyaml mark and a path for every value and key) were most of what a
    load held. The first question about another place reads the text again, with the same
    reader, recording them all: the same places, found by the same code. Likewise the loader lets each
    file's data go (`release`) once its items are validated; a message that needs to name an
    item reads it again. A file read by the full reader (anchors, tags, problems) keeps all
    it recorded.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self._data: Any = None
        self._positions: dict[Path, Any] = {}
        self._key_positions: dict[Path, Any] = {}
        self._styles: dict[Path, str] = {}
        self.problems: list[Problem] = []
        self.refused: set[Path] = set()
        """Values left out (as None) because their tag was refused: already reported, not to be reported again."""
        self.raw = b""
        """The file's bytes once they decoded (the caller's own, not a copy); `text` is made from them when asked."""
        self.lines: list[str] = []
        """`text` split into lines, made on first use (only errors need it)."""
        self.values = 0
        """Values read (aliases expanded), for the story-wide budget (`limits.py`)."""
        self.plain = False
        """Read by the plain reader: what it did not record, or let go, can be read again from `text`."""
        self._partial = False
        """Only the places of the mappings that are items of lists were recorded (`positions`); no other."""

    @property
    def text(self) -> str:
        """The decoded file, to place errors inside block scalars and to read places again (made on each use:
        only problems need it, and a large story's text held beside its bytes was megabytes)."""
        return self.raw.decode("utf-8")

    @text.setter
    def text(self, value: str) -> None:
        self.raw = value.encode("utf-8")

    @property
    def data(self) -> Any:
        """The file's data: None if it could not be read (its problems say why)."""
        if self._data is _AGAIN:
            self._read_again()
        return self._data

    @data.setter
    def data(self, value: Any) -> None:
        self._data = value

    @property
    def read(self) -> bool:
        """Whether the file was read (its data exists, kept or to be read again), without reading it again."""
        return self._data is not None

    @property
    def positions(self) -> dict[Path, Any]:
        """Where each value starts: libyaml's mark (0-based line and column) or a (line, col) pair.
        Marks are kept as they come, since making a pair for each of 300,000 values costs a tenth of a load;
        read them through `where`."""
        if self._partial:
            self._read_again()
        return self._positions

    @positions.setter
    def positions(self, value: dict[Path, Any]) -> None:
        self._positions = value

    @property
    def key_positions(self) -> dict[Path, Any]:
        """Where the *key* naming each mapping value was written (for unknown or duplicate keys)."""
        if self._partial:
            self._read_again()
        return self._key_positions

    @key_positions.setter
    def key_positions(self, value: dict[Path, Any]) -> None:
        self._key_positions = value

    @property
    def styles(self) -> dict[Path, str]:
        """Quoting or block style of string values, to place errors inside them."""
        if self._partial:
            self._read_again()
        return self._styles

    @styles.setter
    def styles(self, value: dict[Path, str]) -> None:
        self._styles = value

    def release(self) -> None:
        """Let the data go once it has been validated into models; it is read again if a message needs it."""
        if self.plain and self._data is not None:
            self._data = _AGAIN

    def _read_again(self) -> None:
        """Read `text` again with the plain reader, recording places, and fill in what was left out."""
        again = SourceFile(self.path)
        if not _read_plain(again, self.text):  # pragma: no cover - the same text was read plainly before
            raise AssertionError(f"{self.path}: the file read differently the second time")
        _nothing_is_empty(again)
        if self._data is _AGAIN:
            self._data = again._data
        if self._partial:
            self._positions, self._key_positions, self._styles = again._positions, again._key_positions, again._styles
            self._partial = False

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
        if self._partial:
            pos = self._positions.get(loc)
            if pos is not None:  # an item (a scene, a choice): its place is recorded either way
                return _pair(pos)
            self._read_again()
        while loc:
            pos = self.positions.get(loc)
            if pos is not None:
                return _pair(pos)
            loc = loc[:-1]
        return _pair(self.positions.get((), (1, 1)))

    def key_where(self, loc: Path) -> tuple[int, int]:
        """Line and column of the *key* naming the value at `loc` (for unknown keys)."""
        pos = self.key_positions.get(tuple(loc))
        return _pair(pos) if pos is not None else self.where(loc)

    def problem(self, loc: Path, message: str, *, at_key: bool = False) -> Problem:
        line, col = self.key_where(loc) if at_key else self.where(loc)
        return Problem(self.path, line, col, message)


def _pair(pos: Any) -> tuple[int, int]:
    """(line, column), 1-based, from a libyaml mark or a pair."""
    if type(pos) is tuple:
        return pos
    return pos.line + 1, pos.column + 1


class _TooBig(Exception):
    """Reading stops: the file is too deep, too large, or its aliases are broken."""

    def __init__(self, mark: Any, message: str):
        self.mark = mark
        self.message = message


def _mark(event: Any) -> tuple[int, int]:
    return event.start_mark.line + 1, event.start_mark.column + 1


_MAYBE_NOT_TEXT = frozenset("tTfFnN~-.0123456789")
"""First characters of the plain scalars that are not text; most words skip every test below."""


_WORDS: dict[str, Any] = {
    "true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False,
    "null": None, "Null": None, "NULL": None, "~": None, "": None,
}
_NOT_A_WORD = object()
_MAYBE_NUMBER = frozenset("-.0123456789")


class _BadScalar(Exception):
    """A scalar that cannot be read as written: a number too long, or a value its tag does not fit."""


def _number(value: str, convert: Any) -> Any:
    if len(value) > MAX_NUMBER_CHARS:
        raise _BadScalar(
            f"a number of {len(value):,} characters is too long (at most {MAX_NUMBER_CHARS}); "
            "numbers in a story stay within ±1,000,000,000,000. Quote it if it is meant as text"
        )
    return convert(value.replace("_", ""))


def _scalar(value: str) -> Any:
    """Resolve a plain (unquoted) scalar by our own small rules, not YAML 1.1's."""
    if value and value[0] not in _MAYBE_NOT_TEXT:
        return value
    word = _WORDS.get(value, _NOT_A_WORD)
    if word is not _NOT_A_WORD:
        return word
    if value[0] in _MAYBE_NUMBER:  # what _INT and _FLOAT can match begins so ("" is a word)
        if _INT.match(value):
            return _number(value, int)
        if _FLOAT.match(value):
            return _number(value, float)
    return value


_TAG_KINDS = {
    "tag:yaml.org,2002:int": (int, "a whole number such as 12"),
    "tag:yaml.org,2002:float": (float, "a number such as 2.5"),
    "tag:yaml.org,2002:bool": (bool, "true or false"),
    "tag:yaml.org,2002:null": (type(None), "null (~ or nothing)"),
}
"""Core scalar tags other than `!!str`: what the text must read as under our rules, and how to say so."""


def _tagged_scalar(tag: str, value: str) -> Any:
    """A scalar with an explicit core tag, read exactly as the tag says or refused (never guessed).

    `!` (the non-specific tag) and `!!str` make the text a string whatever it
    looks like. The others need the text to read, by the rules of `_scalar`,
    as that kind (`!!int` also reads a quoted "7"; a whole number is a valid
    `!!float`); anything else is refused, since silently reading `!!null x`
    as "x", or as null, would both be guesses.
    """
    if tag == "!" or tag == "tag:yaml.org,2002:str":
        return value
    kind = _TAG_KINDS.get(tag)
    if kind is None:  # !!map or !!seq on a scalar
        raise _BadScalar(f"the tag '{_shown(tag)}' is for a {'mapping' if tag.endswith('map') else 'list'}, not a single value")
    want, what = kind
    found = _scalar(value.strip()) if value.strip() else None
    if want is float and type(found) is int:
        found = float(found)
    if type(found) is not want:
        raise _BadScalar(f"the tag '{_shown(tag)}' needs {what}, but the value is {value!r}")
    return found


def _shown(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


_ScalarEvent = yaml.ScalarEvent
_SequenceStartEvent = yaml.SequenceStartEvent
_MappingStartEvent = yaml.MappingStartEvent
_AliasEvent = yaml.AliasEvent
_CollectionEnd = (yaml.SequenceEndEvent, yaml.MappingEndEvent)
_COLLECTION_TAGS = {
    True: {"!", "tag:yaml.org,2002:map"},
    False: {"!", "tag:yaml.org,2002:seq"},
}
"""The tags a mapping (True) or a list (False) may carry: its own kind's, which change nothing."""
_SKIP_KEY = object()
"""The pending key of a mapping whose next value is to be dropped (a refused or repeated key)."""
_POS, _KEY_POS, _STYLE, _REFUSED = range(4)
"""Kinds of what is recorded about a path (an anchor keeps them to replay at each alias)."""


class _Anchor:
    """What an alias repeats: the value, and what was recorded under it (by relative path)."""

    __slots__ = ("value", "records", "depth", "open")

    def __init__(self) -> None:
        self.value: Any = None
        self.records: list[tuple[int, Path, Any]] = []
        self.depth = 0
        self.open = True


class _Builder:
    """Builds plain data and positions straight from libyaml's event stream.

    No node tree is made: PyYAML's composer recurses in C (a file of 100,000
    `[` overflowed the stack and killed the process) and keeps a Python node
    with two marks per value (an 8 MB file of `[0,0,…` took 1.4 GB and 13 s
    before a limit was checked). Here every limit is checked as the events
    arrive, so reading stops at the first value past a limit, with its line
    and column, and never recurses.
    """

    def __init__(self, src: SourceFile):
        self.src = src
        self.count = 0
        self.anchors: dict[str, _Anchor] = {}
        self.capturing: list[tuple[_Anchor, int]] = []
        """Anchors whose value is being read, with the length of their path."""

    def _problem(self, mark: Any, message: str) -> None:
        self.src.problems.append(Problem(self.src.path, mark.line + 1, mark.column + 1, message))

    def _record(self, kind: int, path: Path, value: Any) -> None:
        """Note what was recorded at `path` for every anchor being read (aliases replay it)."""
        for anchor, prefix in self.capturing:
            anchor.records.append((kind, path[prefix:], value))

    def build(self, get: Any) -> Any:
        """Read events up to the end of the document; returns the document's value."""
        src = self.src
        positions = src.positions
        styles = src.styles
        known = _KNOWN_TAGS
        # A frame: [container, path, is_mapping, pending key, anchor or None]
        stack: list[list[Any]] = []
        root: Any = None
        while True:
            ev = get()
            cls = type(ev)
            if cls in _CollectionEnd:
                frame = stack.pop()
                if frame[4] is not None:
                    self._close(frame[4], frame[0])
                continue
            if cls is yaml.DocumentEndEvent:
                return root
            top = stack[-1] if stack else None
            if top is not None and top[2] and top[3] is None:
                self._key(ev, top, get)
                continue
            # A value: where it goes.
            if top is None:
                path: Path = ()
            elif top[2]:
                key = top[3]
                top[3] = None
                if key is _SKIP_KEY:
                    _skip(ev, get)
                    continue
                path = top[1] + (key,)
            else:
                path = top[1] + (len(top[0]),)
            depth = len(stack)
            self.count += 1
            if self.count > MAX_NODES:
                raise _TooBig(ev.start_mark, f"too many values (over {MAX_NODES:,}); split the file into smaller ones")
            if depth > MAX_DEPTH:
                raise _TooBig(ev.start_mark, f"nested more than {MAX_DEPTH} levels deep")
            mark = pos = ev.start_mark
            if cls is _AliasEvent:
                value = self._alias(ev, path, depth)
            else:
                positions[path] = pos
                if self.capturing:
                    self._record(_POS, path, pos)
                anchor = None
                if ev.anchor is not None:
                    anchor = self.anchors[ev.anchor] = _Anchor()
                    self.capturing.append((anchor, len(path)))
                    anchor.records.append((_POS, (), pos))
                tag = ev.tag
                refusal = None
                if tag is not None and tag != "!" and tag not in known:
                    # Explicit tags such as !!python/object or !custom: reported, never constructed.
                    refusal = f"the tag '{_shown(tag)}' is not allowed; scene files hold plain data only"
                elif tag is not None and cls is not _ScalarEvent and tag not in _COLLECTION_TAGS[cls is _MappingStartEvent]:
                    what = "mapping" if cls is _MappingStartEvent else "list"
                    refusal = f"the tag '{_shown(tag)}' cannot be given to a {what}"
                elif cls is _ScalarEvent:
                    style = ev.style
                    try:
                        if tag is not None:
                            value = _tagged_scalar(tag, ev.value)
                        elif style:  # quoted or block scalars are always strings
                            value = ev.value
                        else:
                            value = _scalar(ev.value)
                    except _BadScalar as exc:
                        refusal = str(exc)
                    else:
                        if style and type(value) is str:
                            styles[path] = style
                            if self.capturing:
                                self._record(_STYLE, path, style)
                        if anchor is not None:
                            self._close(anchor, value)
                if refusal is not None:
                    src.refused.add(path)
                    if self.capturing:
                        self._record(_REFUSED, path, None)
                    self._problem(mark, refusal)
                    _skip(ev, get)
                    value = None
                    if anchor is not None:
                        self._close(anchor, None)
                elif cls is not _ScalarEvent:
                    value = {} if cls is _MappingStartEvent else []
                    stack.append([value, path, cls is _MappingStartEvent, None, anchor])
            if top is None:
                root = value
            elif top[2]:
                top[0][path[-1]] = value
            else:
                top[0].append(value)

    def _key(self, ev: Any, top: list[Any], get: Any) -> None:
        """Read the key of a mapping entry, or arrange for a bad entry to be dropped."""
        mark = ev.start_mark
        if type(ev) is not _ScalarEvent:
            what = "an alias" if type(ev) is _AliasEvent else "a list or mapping"
            self._problem(mark, f"a key must be a plain word, not {what}")
            _skip(ev, get)
            top[3] = _SKIP_KEY
            return
        key = ev.value
        if ev.tag is not None and ev.tag not in ("!", "tag:yaml.org,2002:str"):
            self._problem(mark, f"a key must be a plain word; the tag '{_shown(ev.tag)}' is not allowed on a key")
            top[3] = _SKIP_KEY
            return
        if key == "<<" and not ev.style and ev.tag is None:
            self._problem(mark, "merge keys ('<<') are not supported; write the keys out")
            top[3] = _SKIP_KEY
            return
        key_path = top[1] + (key,)
        key_positions = self.src.key_positions
        if key in top[0]:
            first = _pair(key_positions.get(key_path, (0, 0)))[0]
            self._problem(mark, f"duplicate key '{key}' (first given on line {first}); each key may appear once in a mapping")
            top[3] = _SKIP_KEY
            return
        pos = mark
        key_positions[key_path] = pos
        if self.capturing:
            self._record(_KEY_POS, key_path, pos)
        top[3] = key

    def _close(self, anchor: _Anchor, value: Any) -> None:
        anchor.value = value
        anchor.open = False
        self.capturing = [(a, n) for a, n in self.capturing if a is not anchor]
        anchor.depth = max((len(rel) for _, rel, _ in anchor.records), default=0)

    def _alias(self, ev: Any, path: Path, depth: int) -> Any:
        """Repeat an anchored value here, with its positions, within the same limits."""
        anchor = self.anchors.get(ev.anchor)
        if anchor is None:
            raise _TooBig(ev.start_mark, f"YAML syntax: found undefined alias '*{ev.anchor}'")
        if anchor.open:
            raise _TooBig(ev.start_mark, f"the alias '*{ev.anchor}' is inside the value it names, so it would never end")
        self.count += len(anchor.records)
        if self.count > MAX_NODES:
            raise _TooBig(ev.start_mark, f"too many values (over {MAX_NODES:,}); aliases may be expanding without bound")
        if depth + anchor.depth > MAX_DEPTH:
            raise _TooBig(ev.start_mark, f"nested more than {MAX_DEPTH} levels deep (through the alias '*{ev.anchor}')")
        src = self.src
        targets = (src.positions, src.key_positions, src.styles)
        for kind, rel, value in anchor.records:
            if kind == _REFUSED:
                src.refused.add(path + rel)
            else:
                targets[kind][path + rel] = value
            if self.capturing:
                self._record(kind, path + rel, value)
        return anchor.value


def _skip(ev: Any, get: Any) -> None:
    """Consume the rest of a value whose start event is `ev` (nothing of it is kept)."""
    if type(ev) is not _SequenceStartEvent and type(ev) is not _MappingStartEvent:
        return
    depth = 1
    while depth:
        cls = type(get())
        if cls is _SequenceStartEvent or cls is _MappingStartEvent:
            depth += 1
        elif cls in _CollectionEnd:
            depth -= 1


class _Unusual(Exception):
    """The plain reader met something only `_Builder` handles: anchors, tags, repeated keys, a limit, an error."""


_MappingEndEvent = yaml.MappingEndEvent
_SequenceEndEvent = yaml.SequenceEndEvent


def _read_plain(src: SourceFile, text: str, record: bool = True) -> bool:
    """Read the common file in one tight pass: plain keys, values, lists and maps, nothing else.

    Most of a load's YAML time is spent per event, and real scene files use
    none of what `_Builder` watches for at every one (anchors and aliases,
    tags, repeated or merge keys, values past a limit). This reader handles
    only that plain case; at the first event outside it, or any error, it
    gives up (False, and `src` as it was) and `read_yaml` reads the file
    again with `_Builder`, so every problem is still found and worded by one
    reader only. What it builds equals what `_Builder` builds from the same
    file (tests/test_yaml_plain_reader.py compares them).

    Without `record` no place is kept (no path, mark or style per value): `src`
    reads the text again, recording, when a place is first asked for.
    """
    positions: dict[Path, Any] = {}
    key_positions: dict[Path, Any] = {}
    styles: dict[Path, str] = {}
    maybe = _MAYBE_NOT_TEXT
    scalar_event, mapping_start, sequence_start = _ScalarEvent, _MappingStartEvent, _SequenceStartEvent
    mapping_end, sequence_end = _MappingEndEvent, _SequenceEndEvent
    parser = _Loader(text)
    try:
        get = parser.get_event
        if type(get()) is not yaml.StreamStartEvent or type(get()) is not yaml.DocumentStartEvent:
            return False
        stack: list[tuple[Any, Path, bool]] = []
        container: Any = None  # the list or dict being filled; None at the top
        path: Path = ()  # where `container` sits (when recording)
        in_map = False
        root: Any = None
        count = 0
        ev = get()
        at: Path = ()  # where the value `ev` starts goes (when recording)
        key: Any = None  # the key it goes under, in a mapping
        while True:
            cls = type(ev)
            if cls is scalar_event:
                if ev.anchor is not None or ev.tag is not None:
                    raise _Unusual
                style = ev.style
                value = ev.value
                if record:
                    positions[at] = ev.start_mark
                    if style:
                        styles[at] = style
                if not style and (not value or value[0] in maybe):
                    value = _scalar(value)
                if container is None:
                    root = value
                    break
                if in_map:
                    container[key] = value
                else:
                    container.append(value)
            elif cls is mapping_start or cls is sequence_start:
                if ev.anchor is not None or ev.tag is not None or len(stack) >= MAX_DEPTH:
                    raise _Unusual
                if record:
                    positions[at] = ev.start_mark
                else:  # where it goes, for the lists and mappings within; kept for an item of a list only
                    at = path if container is None else path + ((key if in_map else len(container)),)
                    if cls is mapping_start and not in_map and container is not None:
                        positions[at] = ev.start_mark
                value = {} if cls is mapping_start else []
                if container is None:
                    root = value
                elif in_map:
                    container[key] = value
                else:
                    container.append(value)
                stack.append((container, path, in_map))
                container, path, in_map = value, at, cls is mapping_start
            else:
                raise _Unusual
            count += 1
            if count > MAX_NODES:
                raise _Unusual
            ev = get()
            cls = type(ev)
            while cls is mapping_end or cls is sequence_end:
                container, path, in_map = stack.pop()
                if container is None:
                    break
                ev = get()
                cls = type(ev)
            if container is None:
                break
            if in_map:
                if cls is not scalar_event or ev.anchor is not None or ev.tag is not None:
                    raise _Unusual
                key = ev.value
                if key in container or key == "<<":
                    raise _Unusual
                if record:
                    at = path + (key,)
                    key_positions[at] = ev.start_mark
                ev = get()
            elif record:
                at = path + (len(container),)
        if type(get()) is not yaml.DocumentEndEvent or type(get()) is not yaml.StreamEndEvent:
            return False
    except Exception:
        return False
    finally:
        parser.dispose()
    src.data = root
    src.values = count
    src.plain = True
    src.positions = positions
    src.key_positions = key_positions
    src.styles = styles
    src._partial = not record
    return True


def _nothing_is_empty(src: SourceFile) -> None:
    """A document of only `~`, `null` or `---` holds nothing, exactly like an empty file."""
    if src.data is None and not src.problems:
        src.data = {}
        if not src._partial:  # else the reading again comes here too
            src._positions[()] = (1, 1)


def _char_at(text: str, line: int, col: int) -> str:
    """The character at 1-based `line` and `col` of `text` ('' past its end)."""
    lines = text.split("\n", line)
    return lines[line - 1][col - 1:col] if len(lines) >= line else ""


def read_yaml(name: str, text: bytes | str) -> SourceFile:
    """Parse one YAML file's contents safely; problems (under `name`) are collected on the result, never raised."""
    src = SourceFile(name)
    raw = text.encode("utf-8") if isinstance(text, str) else text
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
    src.raw = raw
    if _read_plain(src, decoded, record=False):
        _nothing_is_empty(src)
        return src
    parser = _Loader(decoded)
    try:
        get = parser.get_event
        get()  # stream start
        if type(parser.peek_event()) is yaml.StreamEndEvent:
            src.data = {}
            src.positions[()] = (1, 1)
            return src
        get()  # document start
        builder = _Builder(src)
        src.data = builder.build(get)
        src.values = builder.count
        _nothing_is_empty(src)
        extra = get()
        if type(extra) is not yaml.StreamEndEvent:
            line, col = _mark(extra)
            src.problems.append(Problem(src.path, line, col, "YAML syntax: a file holds one document; remove the second '---'"))
            src.data = None
    except _TooBig as exc:
        src.problems.append(Problem(src.path, exc.mark.line + 1, exc.mark.column + 1, exc.message))
        src.data = None
    except yaml.MarkedYAMLError as exc:
        # What was read before a syntax error is often its echo (an unclosed '{' reads as a
        # mapping used as a key): the syntax error alone says what to fix.
        src.problems.clear()
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = exc.problem or "invalid YAML"
        ctx = f" ({exc.context})" if exc.context else ""
        if _char_at(decoded, line, col) == "\t":  # libyaml names no character: the one writers meet is a tab
            what, ctx = "a tab character; YAML indents with spaces only, so put spaces in its place", ""
        elif (exc.context == "while scanning a quoted scalar" and exc.context_mark is not None
              and "end of stream" in (exc.problem or "")):
            # Found where the text ran out (the file's end, lines later): said where the quote opens.
            line, col = exc.context_mark.line + 1, exc.context_mark.column + 1
            what, ctx = "this quote is never closed (the text runs on to where the file ends)", ""
        src.problems.append(Problem(src.path, line, col, f"YAML syntax: {what}{ctx}"))
        src.data = None
    except yaml.reader.ReaderError as exc:  # a character YAML forbids (NUL, most control characters)
        src.problems.clear()
        before = decoded[: exc.position]
        line, col = before.count("\n") + 1, exc.position - (before.rfind("\n") + 1) + 1
        found = exc.character if isinstance(exc.character, int) else ord(exc.character)
        src.problems.append(Problem(src.path, line, col, f"YAML syntax: {exc.reason} (found U+{found:04X})"))
        src.data = None
    except yaml.YAMLError as exc:
        src.problems.clear()
        src.problems.append(Problem(src.path, 1, 1, f"YAML syntax: {exc}"))
        src.data = None
    finally:
        parser.dispose()
    return src
