"""Property-based tests: whatever a writer types, the loader answers with places, not tracebacks.

- Any expression text is either refused when the story loads (an
  `ExprError` pointing inside the text) or runs in bounded work (its tree
  is no larger than its tokens) to a value of the type it was checked to
  have, or to an `ExprRuntimeError` the engine reports with a place.
- Any template is refused with an offset inside it, or renders to text.
- Any scene file, typed from scratch or mutated from a good one, either
  loads or raises `StoryError` whose every problem is `file:line:col`
  inside that file; never another exception, never a hang (an alarm stops
  an example that runs for `HANG_LIMIT_S`: that is a failure, not a timing).

CI runs a bounded number of examples; the `slow` variants run many more.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import string
import tempfile
from pathlib import Path
from typing import Any, Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.story import StoryError
from game.story import expr as ex
from game.story import template as tp
from game.story_folder import load_folder
from tests.conftest import MINI_MANIFEST, MINI_SCENES

HANG_LIMIT_S = 20
CI = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                        HealthCheck.too_slow])
LONG = settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                         HealthCheck.too_slow])


@contextlib.contextmanager
def hang_guard(what: str) -> Iterator[None]:
    def alarm(signum: int, frame: Any) -> None:
        raise AssertionError(f"{what} still running after {HANG_LIMIT_S} s: a hang")

    old = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(HANG_LIMIT_S)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


class Env:
    """A story with three variables, one scene with one choice, and a clock from 15:00."""

    types = {"resolve": ex.INT, "secret": ex.BOOL, "name": ex.STR}

    def var_type(self, name: str) -> str | None:
        return self.types.get(name)

    def has_ref(self, func: str, ref: str) -> bool:
        return ref == "a" if func == "visited" else ref == "a.keep"

    def names(self) -> list[str]:
        return list(self.types)

    def time_value(self, minutes_of_day: int) -> int:
        return minutes_of_day if minutes_of_day >= 900 else minutes_of_day + 1440


class Ctx:
    def __init__(self, resolve: int, secret: bool, name: str, clock: int, visits: int, chose: bool, rng: int):
        self.vars: dict[str, Any] = {"resolve": resolve, "secret": secret, "name": name}
        self.clock = clock
        self.visits = {"a": visits}
        self.chosen = {"a.keep"} if chose else set()
        self.rng = rng

    def random(self, lo: int, hi: int) -> int:
        self.rng = (self.rng * 6364136223846793005 + 1442695040888963407) % 2**64
        return lo + self.rng % (hi - lo + 1)


contexts = st.builds(
    Ctx,
    resolve=st.integers(-ex.MAX_INT, ex.MAX_INT),
    secret=st.booleans(),
    name=st.text(max_size=ex.MAX_STR // 2),
    clock=st.integers(0, 3 * 1440),
    visits=st.integers(0, 10**6),
    chose=st.booleans(),
    rng=st.integers(0, 2**64 - 1),
)

# ---------------------------------------------------------------- expression sources

_atoms = st.one_of(
    st.sampled_from(["resolve", "secret", "name", "clock", "true", "false", "visited(a)", "chosen(a.keep)",
                     "visited(b)", "nope", "__class__", "__import__('os')", "16:00", "25:99", "''", "'x'"]),
    st.integers(-(10**13), 10**13).map(str),
    st.text(alphabet=string.ascii_letters + " \\'\"", max_size=12).map(lambda s: "'" + s.replace("'", "") + "'"),
)
_ops = ["and", "or", "==", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "%", "**", ".", ",", "//", "=", "&&"]


def _grow(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(children, st.sampled_from(_ops), children).map(" ".join),
        children.map(lambda c: f"({c})"),
        children.map(lambda c: f"not {c}"),
        children.map(lambda c: f"-{c}"),
        st.tuples(st.sampled_from(["min", "max", "abs", "random", "open", "len"]), st.lists(children, max_size=3))
        .map(lambda t: f"{t[0]}({', '.join(t[1])})"),
    )


structured = st.recursive(_atoms, _grow, max_leaves=40)
noise = st.text(alphabet=string.printable + "«»—é\u0000\u202e", max_size=120)
expressions = st.one_of(structured, noise)


def tree_size(node: ex.Node) -> int:
    kids: list[ex.Node] = []
    if isinstance(node, ex.Unary):
        kids = [node.operand]
    elif isinstance(node, ex.Binary):
        kids = [node.left, node.right]
    elif isinstance(node, ex.Call):
        kids = list(node.args)
    elif isinstance(node, ex.Assign):
        kids = [node.value]
    return 1 + sum(tree_size(k) for k in kids)


def run_expression(source: str, ctxs: list[Ctx], *, effect: bool) -> None:
    env = Env()
    try:
        node = ex.parse_assignment(source) if effect else ex.parse_expr(source)
        typ = ex.check(node, env, effects=effect)
    except ex.ExprError as err:
        assert 0 <= err.offset <= len(source), (source, err.offset)
        assert err.message
        return
    # Bounded work: no node is made without a token, and evaluation visits each node once.
    assert tree_size(node) <= len(ex.tokenize(source))
    fn = ex.compile_expr(node.value if isinstance(node, ex.Assign) else node, env)
    want = {ex.INT: int, ex.BOOL: bool, ex.STR: str}[typ]
    for ctx in ctxs:
        try:
            value = fn(ctx)
        except ex.ExprRuntimeError as err:
            assert str(err)
            continue
        assert type(value) is want, (source, value)
        if want is int:
            assert -ex.MAX_INT <= value <= ex.MAX_INT or isinstance(node, (ex.Lit, ex.Name, ex.Unary, ex.Call))
        if want is str:
            assert len(value) <= ex.MAX_STR


@CI
@given(source=expressions, ctxs=st.lists(contexts, min_size=1, max_size=3))
def test_any_condition_is_refused_or_runs_bounded(source: str, ctxs: list[Ctx]) -> None:
    with hang_guard(repr(source)):
        run_expression(source, ctxs, effect=False)


@CI
@given(target=st.sampled_from(["resolve", "secret", "name", "nope", "clock"]),
       op=st.sampled_from(["=", "+=", "-=", "==", "*="]), source=expressions,
       ctxs=st.lists(contexts, min_size=1, max_size=3))
def test_any_effect_is_refused_or_runs_bounded(target: str, op: str, source: str, ctxs: list[Ctx]) -> None:
    text = f"{target} {op} {source}"
    with hang_guard(repr(text)):
        run_expression(text, ctxs, effect=True)


templates = st.lists(
    st.one_of(st.text(alphabet=string.ascii_letters + " .,\n—", max_size=20),
              structured.map(lambda e: "{" + e + "}"),
              st.sampled_from(["{if secret}", "{elif resolve > 2}", "{else}", "{/if}", "{{", "}}", "{", "}", "{}",
                               "{if}", "{ if secret }"])),
    max_size=20,
).map("".join)


@CI
@given(text=templates, ctxs=st.lists(contexts, min_size=1, max_size=3))
def test_any_template_is_refused_with_an_offset_or_renders(text: str, ctxs: list[Ctx]) -> None:
    env = Env()
    with hang_guard(repr(text)):
        try:
            parts = tp.parse_template(text)
        except ex.ExprError as err:
            assert 0 <= err.offset <= len(text)
            return
        errors = tp.check_template(parts, env)
        for err in errors:
            assert 0 <= err.offset <= len(text), (text, err.offset, err.message)
        if errors:
            return
        render = tp.compile_template(parts, env)
        for ctx in ctxs:
            try:
                assert isinstance(render(ctx), str)
            except ex.ExprRuntimeError:
                pass


# ---------------------------------------------------------------- scene files

_SNIPPETS = ["{", "}", "[", "]", ":", "- ", "&a ", "*a", "!!python/object:os.system", "<<: ", "'", '"', "\t",
             "\n", "  ", "#", "{if secret}", "{/if}", "{resolve}", "16:00", "25:00", "goto: ", "id: ", "1e999",
             "ending: {}", "choices: []", "\u0000", "\ufeff", "é", "---\n", "?", "|", ">"]


@st.composite
def mutated(draw: st.DrawFn, base: str) -> str:
    text = base
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["insert", "delete", "replace", "dup-line", "drop-line"]))
        i = draw(st.integers(0, len(text)))
        if kind == "insert":
            text = text[:i] + draw(st.sampled_from(_SNIPPETS) | st.text(max_size=4)) + text[i:]
        elif kind == "delete":
            text = text[:i] + text[i + draw(st.integers(1, 12)):]
        elif kind == "replace":
            text = text[:i] + draw(st.sampled_from(_SNIPPETS)) + text[i + 1:]
        else:
            lines = text.split("\n")
            j = draw(st.integers(0, len(lines) - 1))
            if kind == "dup-line":
                lines.insert(j, lines[j])
            else:
                del lines[j]
            text = "\n".join(lines)
    return text


_PLACE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): ")


def check_load(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (folder / name).write_bytes(text.encode("utf-8", "surrogatepass"))
    with hang_guard(f"loading {files}"):
        try:
            load_folder(str(folder))
            return
        except StoryError as err:
            problems = err.problems
    assert problems
    for p in problems:
        text = str(p)
        m = _PLACE.match(text)
        assert m, f"no file:line:col in {text!r}"
        name = os.path.basename(m["path"])
        assert name in files, text
        lines = files[name].count("\n") + 2
        assert 1 <= int(m["line"]) <= lines, text
        assert int(m["col"]) >= 1, text


def _story_folder(tmp_path: Path) -> Path:
    """A fresh folder per example (hypothesis runs many examples in one test's tmp_path)."""
    return Path(tempfile.mkdtemp(dir=tmp_path))


@CI
@given(data=st.data())
def test_a_mutated_scene_file_loads_or_is_placed(tmp_path: Path, data: st.DataObject) -> None:
    scenes = data.draw(mutated(MINI_SCENES))
    check_load(_story_folder(tmp_path), {"story.yaml": MINI_MANIFEST, "16.yaml": scenes})


@CI
@given(data=st.data())
def test_a_mutated_manifest_loads_or_is_placed(tmp_path: Path, data: st.DataObject) -> None:
    manifest = data.draw(mutated(MINI_MANIFEST))
    check_load(_story_folder(tmp_path), {"story.yaml": manifest, "16.yaml": MINI_SCENES})


@CI
@given(text=st.text(max_size=400))
def test_any_text_as_a_scene_file_loads_or_is_placed(tmp_path: Path, text: str) -> None:
    check_load(_story_folder(tmp_path), {"story.yaml": MINI_MANIFEST, "16.yaml": MINI_SCENES, "17.yaml": text})


@pytest.mark.slow
@LONG
@given(data=st.data())
def test_many_mutated_scene_files_load_or_are_placed(tmp_path: Path, data: st.DataObject) -> None:
    scenes = data.draw(mutated(MINI_SCENES))
    manifest = data.draw(mutated(MINI_MANIFEST)) if data.draw(st.booleans()) else MINI_MANIFEST
    check_load(_story_folder(tmp_path), {"story.yaml": manifest, "16.yaml": scenes})


@pytest.mark.slow
@LONG
@given(source=expressions, ctxs=st.lists(contexts, min_size=1, max_size=3))
def test_many_conditions_are_refused_or_run_bounded(source: str, ctxs: list[Ctx]) -> None:
    run_expression(source, ctxs, effect=False)
