"""The story's expression language: conditions, effects and interpolation.

Writers' text is untrusted, so it is never given to Python's `eval`. It is
tokenised and parsed here into a small tree, type-checked against the
story's declared variables at load time, and compiled into closures that can
only read the game state handed to them. There are no attribute lookups, no
loops, no user-defined calls and no exponentiation, so an expression runs in
time proportional to its length; sizes of numbers and strings are bounded.

Grammar (lowest precedence first)::

    assignment := NAME ("=" | "+=" | "-=") expr          # effects only
    expr       := and ("or" and)*
    and        := not ("and" not)*
    not        := "not" not | compare
    compare    := sum (("==" | "!=" | "<" | "<=" | ">" | ">=") sum)?
    sum        := term (("+" | "-") term)*
    term       := unary (("*" | "/" | "%") unary)*
    unary      := "-" unary | atom
    atom       := INT | TIME | STRING | "true" | "false" | NAME
                | NAME "(" [expr ("," expr)*] ")" | "(" expr ")"

`17:00` is a time literal (minutes on the story clock); `clock` is the
current story time. Functions: `visited(scene)`, `chosen(scene.choice)`,
`min(a, b)`, `max(a, b)`, `abs(x)`, and in effects only `random(lo, hi)`.
"""

from __future__ import annotations

import functools
import operator
import re
from dataclasses import dataclass
from typing import Any, Callable, Iterator, NamedTuple, Protocol

from ..errors import TaurideError
from .problems import ExprRuntimeError as ExprRuntimeError  # where it always was, for callers

MAX_SOURCE = 1000
"""Longest expression accepted; longer ones are almost certainly mistakes or attacks."""
MAX_DEPTH = 40
"""Deepest nesting of parentheses and operators."""
MAX_INT = 10**12
"""Integers past this raise at run time instead of growing without bound."""
MAX_STR = 10_000
"""Longest string an expression may build."""

Value = int | bool | str
INT, BOOL, STR = "int", "bool", "str"


class ExprError(TaurideError):
    """An expression is malformed or ill-typed; `offset` is 0-based into its source."""

    def __init__(self, message: str, offset: int = 0):
        super().__init__(message)
        self.message = message
        self.offset = offset




# ---------------------------------------------------------------- tokens

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<time>\d{1,2}:\d{2}(?![\d:]))
  | (?P<int>\d+)
  | (?P<str>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>\+=|-=|==|!=|<=|>=|[-+*/%<>=(),.])
  | (?P<bad>.)
    """,
    re.VERBOSE,
)
_KEYWORDS = {"and", "or", "not", "true", "false"}


class Token(NamedTuple):
    kind: str
    text: str
    offset: int


def tokenize(source: str) -> list[Token]:
    """Split an expression into tokens; raises ExprError at the first stray character."""
    if len(source) > MAX_SOURCE:
        raise ExprError(f"expression is longer than {MAX_SOURCE} characters", 0)
    out: list[Token] = []
    append = out.append
    for m in _TOKEN.finditer(source):
        kind = m.lastgroup
        if kind == "ws":
            continue
        text = m.group()
        if kind == "bad":
            hint = " (use 'and', 'or', 'not' for logic)" if text in "&|!" else ""
            raise ExprError(f"unexpected character {text!r}{hint}", m.start())
        if kind == "name" and text in _KEYWORDS:
            kind = text
        append(Token(kind, text, m.start()))  # type: ignore[arg-type]
    out.append(Token("end", "", len(source)))
    return out


# ---------------------------------------------------------------- tree


@dataclass(frozen=True)
class Node:
    offset: int


@dataclass(frozen=True)
class Lit(Node):
    value: Value
    is_time: bool = False


@dataclass(frozen=True)
class Name(Node):
    name: str


@dataclass(frozen=True)
class Ref(Node):
    """A scene or choice id given to visited()/chosen(): not a variable."""

    ref: str


@dataclass(frozen=True)
class Unary(Node):
    op: str
    operand: Node


@dataclass(frozen=True)
class Binary(Node):
    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Call(Node):
    func: str
    args: tuple[Node, ...]


@dataclass(frozen=True)
class Assign(Node):
    target: str
    op: str
    value: Node


_REF_FUNCS = {"visited", "chosen"}
_FUNCS = {"visited": 1, "chosen": 1, "min": 2, "max": 2, "abs": 1, "random": 2}


class _Parser:
    def __init__(self, source: str):
        self.source = source
        self.tokens = tokenize(source)
        self.i = 0
        self.depth = 0

    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def take(self) -> Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def expect(self, text: str, what: str) -> Token:
        if self.tok.text != text or self.tok.kind in ("str",):
            raise ExprError(f"expected {what}, found {_describe(self.tok)}", self.tok.offset)
        return self.take()

    def deeper(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExprError(f"expression nested more than {MAX_DEPTH} levels deep", self.tok.offset)

    def finish(self, node: Node) -> Node:
        if self.tok.kind != "end":
            raise ExprError(f"expected an operator or the end of the expression, found {_describe(self.tok)}", self.tok.offset)
        return node

    def assignment(self) -> Node:
        tok = self.tok
        if tok.kind != "name" or self.tokens[self.i + 1].text not in ("=", "+=", "-="):
            raise ExprError(
                f"expected an assignment such as 'resolve += 1' or 'telegram_secret = true', found {_describe(tok)}",
                tok.offset,
            )
        self.take()
        op = self.take().text
        return Assign(tok.offset, tok.text, op, self.expr())

    def expr(self) -> Node:
        self.deeper()
        node = self.and_()
        while self.tok.kind == "or":
            op = self.take()
            node = Binary(op.offset, "or", node, self.and_())
        self.depth -= 1
        return node

    def and_(self) -> Node:
        node = self.not_()
        while self.tok.kind == "and":
            op = self.take()
            node = Binary(op.offset, "and", node, self.not_())
        return node

    def not_(self) -> Node:
        if self.tok.kind == "not":
            op = self.take()
            self.deeper()
            node = Unary(op.offset, "not", self.not_())
            self.depth -= 1
            return node
        return self.compare()

    def compare(self) -> Node:
        node = self.sum()
        if self.tok.text in ("==", "!=", "<", "<=", ">", ">=") and self.tok.kind == "op":
            op = self.take()
            node = Binary(op.offset, op.text, node, self.sum())
            if self.tok.text in ("==", "!=", "<", "<=", ">", ">=") and self.tok.kind == "op":
                raise ExprError("comparisons cannot be chained; join them with 'and'", self.tok.offset)
        elif self.tok.text == "=" and self.tok.kind == "op":
            raise ExprError("'=' assigns; to compare, write '=='", self.tok.offset)
        return node

    def sum(self) -> Node:
        node = self.term()
        while self.tok.kind == "op" and self.tok.text in ("+", "-"):
            op = self.take()
            node = Binary(op.offset, op.text, node, self.term())
        return node

    def term(self) -> Node:
        node = self.unary()
        while self.tok.kind == "op" and self.tok.text in ("*", "/", "%"):
            op = self.take()
            node = Binary(op.offset, op.text, node, self.unary())
        return node

    def unary(self) -> Node:
        if self.tok.kind == "op" and self.tok.text == "-":
            op = self.take()
            self.deeper()
            node = Unary(op.offset, "-", self.unary())
            self.depth -= 1
            return node
        return self.atom()

    def atom(self) -> Node:
        tok = self.take()
        if tok.kind == "int":
            if len(tok.text) > 12:
                raise ExprError("number is too large", tok.offset)
            return Lit(tok.offset, int(tok.text))
        if tok.kind == "time":
            hours, minutes = (int(x) for x in tok.text.split(":"))
            if hours > 23 or minutes > 59:
                raise ExprError(f"'{tok.text}' is not a time of day (00:00 to 23:59)", tok.offset)
            return Lit(tok.offset, hours * 60 + minutes, is_time=True)
        if tok.kind == "str":
            return Lit(tok.offset, _unquote(tok.text))
        if tok.kind in ("true", "false"):
            return Lit(tok.offset, tok.kind == "true")
        if tok.kind == "name":
            if self.tok.text == "(" and self.tok.kind == "op":
                return self.call(tok)
            return Name(tok.offset, tok.text)
        if tok.kind == "op" and tok.text == "(":
            node = self.expr()
            self.expect(")", "')'")
            return node
        raise ExprError(f"expected a value, a name or '(', found {_describe(tok)}", tok.offset)

    def call(self, name: Token) -> Node:
        func = name.text
        if func not in _FUNCS:
            raise ExprError(
                f"unknown function '{func}'; the functions are {', '.join(sorted(_FUNCS))}", name.offset
            )
        self.take()  # (
        args: list[Node] = []
        if func in _REF_FUNCS:
            first = self.take()
            if first.kind != "name":
                raise ExprError(f"{func}() takes a scene id{' and choice id, as scene.choice' if func == 'chosen' else ''}", first.offset)
            ref = first.text
            if self.tok.text == "." and self.tok.kind == "op":
                self.take()
                second = self.take()
                if second.kind != "name":
                    raise ExprError("expected a choice id after '.'", second.offset)
                ref += "." + second.text
            args.append(Ref(first.offset, ref))
        elif not (self.tok.text == ")" and self.tok.kind == "op"):
            args.append(self.expr())
            while self.tok.text == "," and self.tok.kind == "op":
                self.take()
                args.append(self.expr())
        self.expect(")", f"')' to close {func}(")
        if len(args) != _FUNCS[func]:
            raise ExprError(f"{func}() takes {_FUNCS[func]} argument(s), got {len(args)}", name.offset)
        return Call(name.offset, func, tuple(args))


def _describe(tok: Token) -> str:
    return "the end of the expression" if tok.kind == "end" else repr(tok.text)


def _unquote(text: str) -> str:
    body = text[1:-1]
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), body)


@functools.lru_cache(maxsize=4096)
def parse_expr(source: str) -> Node:
    """Parse a condition or value expression.

    Cached: the tree is immutable and depends only on the text, and stories
    repeat the same small expressions (`{resolve}`, `secret`) in hundreds of
    places. Errors are raised afresh each time (exceptions are not cached).
    """
    p = _Parser(source)
    if p.tok.kind == "end":
        raise ExprError("empty expression", 0)
    return p.finish(p.expr())


def parse_assignment(source: str) -> Assign:
    """Parse one effect such as `resolve += 1`."""
    p = _Parser(source)
    node = p.finish(p.assignment())
    assert isinstance(node, Assign)
    return node


# ---------------------------------------------------------------- checking


class Env(Protocol):
    """What the checker needs to know about the story."""

    def var_type(self, name: str) -> str | None: ...
    def has_ref(self, func: str, ref: str) -> bool: ...
    def names(self) -> list[str]: ...
    def time_value(self, minutes_of_day: int) -> int: ...


_BUILTIN_NAMES = {"clock": INT}


def check(node: Node, env: Env, *, effects: bool = False) -> str:
    """Return the type of `node`, raising ExprError with the offending offset.

    Parts made only of literals (`1 / 0`, `999999999999 * 999999999999`)
    are worked out here too, so their run-time errors are load errors.
    """
    t = _check(node, env, effects=effects)
    if _constant(node, env):
        _evaluate(node, env)
    return t


def _constant(node: Node, env: Env) -> bool:
    """Whether `node` reads nothing from the game; evaluates its largest constant parts."""
    if isinstance(node, Lit):
        return True
    if isinstance(node, Unary):
        return _constant(node.operand, env)
    if isinstance(node, Binary):
        left, right = _constant(node.left, env), _constant(node.right, env)
        if left != right:
            _evaluate(node.left if left else node.right, env)
        return left and right
    if isinstance(node, Call):
        consts = [_constant(a, env) for a in node.args]
        if node.func in ("min", "max", "abs") and all(consts):
            return True
        for arg, const in zip(node.args, consts):
            if const:
                _evaluate(arg, env)
        return False
    if isinstance(node, Assign):
        if _constant(node.value, env):
            _evaluate(node.value, env)
        return False
    return False


def _evaluate(node: Node, env: Env) -> None:
    if isinstance(node, Lit):
        return
    try:
        compile_expr(node, env)(None)
    except ExprRuntimeError as err:
        raise ExprError(str(err), node.offset) from None


def _check(node: Node, env: Env, *, effects: bool = False) -> str:
    if isinstance(node, Lit):
        return BOOL if isinstance(node.value, bool) else INT if isinstance(node.value, int) else STR
    if isinstance(node, Name):
        if node.name in _BUILTIN_NAMES:
            return _BUILTIN_NAMES[node.name]
        t = env.var_type(node.name)
        if t is None:
            from .problems import did_you_mean

            raise ExprError(
                f"'{node.name}' is not a declared variable.{did_you_mean(node.name, env.names())}"
                " Declare it under 'variables' in story.yaml",
                node.offset,
            )
        return t
    if isinstance(node, Unary):
        t = _check(node.operand, env, effects=effects)
        want = BOOL if node.op == "not" else INT
        if t != want:
            raise ExprError(f"'{node.op}' needs {_a(want)}, got {_a(t)}", node.offset)
        return want
    if isinstance(node, Binary):
        lt = _check(node.left, env, effects=effects)
        rt = _check(node.right, env, effects=effects)
        op = node.op
        if op in ("and", "or"):
            for t in (lt, rt):
                if t != BOOL:
                    raise ExprError(f"'{op}' joins true/false conditions, got {_a(t)}", node.offset)
            return BOOL
        if op in ("==", "!="):
            if lt != rt:
                raise ExprError(f"cannot compare {_a(lt)} with {_a(rt)} using '{op}'", node.offset)
            return BOOL
        if op in ("<", "<=", ">", ">="):
            if lt != INT or rt != INT:
                raise ExprError(f"'{op}' compares numbers or times, got {_a(lt)} and {_a(rt)}", node.offset)
            return BOOL
        if op == "+" and lt == STR and rt == STR:
            return STR
        if lt != INT or rt != INT:
            raise ExprError(f"'{op}' needs numbers, got {_a(lt)} and {_a(rt)}", node.offset)
        return INT
    if isinstance(node, Call):
        if node.func in _REF_FUNCS:
            ref = node.args[0]
            assert isinstance(ref, Ref)
            if not env.has_ref(node.func, ref.ref):
                kind = "scene" if node.func == "visited" else "choice (scene.choice)"
                raise ExprError(f"{node.func}() names '{ref.ref}', which is not a {kind} in this story", ref.offset)
            return INT if node.func == "visited" else BOOL
        if node.func == "random" and not effects:
            raise ExprError("random() may be used in effects only; a condition must give the same answer every time", node.offset)
        for arg in node.args:
            t = _check(arg, env, effects=effects)
            if t != INT:
                raise ExprError(f"{node.func}() takes numbers, got {_a(t)}", arg.offset)
        return INT
    if isinstance(node, Assign):
        t = env.var_type(node.target)
        if t is None and node.target == "clock":
            raise ExprError("'clock' is the story clock, read by conditions but moved only by time passing: give "
                            "the choice a 'cost:' (such as 30m) instead", node.offset)
        if t is None:
            from .problems import did_you_mean

            raise ExprError(
                f"'{node.target}' is not a declared variable.{did_you_mean(node.target, env.names())}", node.offset
            )
        vt = _check(node.value, env, effects=True)
        if node.op != "=" and t != INT:
            raise ExprError(f"'{node.op}' needs a number variable; '{node.target}' is {_a(t)}", node.offset)
        if vt != t:
            raise ExprError(f"'{node.target}' is {_a(t)}, but the value is {_a(vt)}", node.value.offset)
        return t
    raise ExprError("unknown expression", node.offset)  # pragma: no cover


def _a(t: str) -> str:
    return {INT: "a number", BOOL: "true/false", STR: "text"}[t]


def names_in(node: Node) -> Iterator[str]:
    """Every variable an expression reads or writes (for 'unused variable' warnings)."""
    if isinstance(node, Name):
        yield node.name
    elif isinstance(node, Assign):
        yield node.target
        yield from names_in(node.value)
    elif isinstance(node, Unary):
        yield from names_in(node.operand)
    elif isinstance(node, Binary):
        yield from names_in(node.left)
        yield from names_in(node.right)
    elif isinstance(node, Call):
        for a in node.args:
            yield from names_in(a)


def refs_in(node: Node) -> Iterator[tuple[str, str]]:
    """Every (function, id) pair given to visited()/chosen()."""
    if isinstance(node, Call):
        for a in node.args:
            if isinstance(a, Ref):
                yield node.func, a.ref
            else:
                yield from refs_in(a)
    elif isinstance(node, Unary):
        yield from refs_in(node.operand)
    elif isinstance(node, Binary):
        yield from refs_in(node.left)
        yield from refs_in(node.right)
    elif isinstance(node, Assign):
        yield from refs_in(node.value)


# ---------------------------------------------------------------- compiling


class Context(Protocol):
    """What a compiled expression may read at run time; nothing else is reachable."""

    vars: dict[str, Value]
    clock: int
    visits: dict[str, int]
    chosen: frozenset[str] | set[str]

    def random(self, lo: int, hi: int) -> int: ...


Compiled = Callable[[Any], Any]


def _bounded(value: int) -> int:
    if value > MAX_INT or value < -MAX_INT:
        raise ExprRuntimeError(f"number {value} is out of bounds (beyond ±{MAX_INT:,})")
    return value


def assign(op: str, old: Value, value: Value) -> Value:
    """A variable's new value after an effect `name op value`, under the bound every sum has.

    `+=` and `-=` are sums like any other: without this the engine added
    outside the compiled expression, and `n += n` grew past 10¹⁸ until the
    value broke rendering and saving. Raises ExprRuntimeError past ±MAX_INT.
    """
    if op == "+=":
        return _bounded(int(old) + int(value))
    if op == "-=":
        return _bounded(int(old) - int(value))
    return value


def compile_expr(node: Node, env: Env) -> Compiled:
    """Turn a checked tree into a closure `f(ctx) -> value`; no Python source is generated."""
    if isinstance(node, Lit):
        value = _literal(node, env)
        return lambda ctx: value
    if isinstance(node, Name):
        name = node.name
        if name == "clock":
            return lambda ctx: ctx.clock
        return lambda ctx: ctx.vars[name]
    if isinstance(node, Unary):
        inner = compile_expr(node.operand, env)
        if node.op == "not":
            return lambda ctx: not inner(ctx)
        return lambda ctx: -inner(ctx)
    if isinstance(node, Binary):
        if isinstance(node.right, Lit) and node.op in _COMPARE_TO:
            return _compare_to_literal(node.left, _COMPARE_TO[node.op], _literal(node.right, env), env)
        left = compile_expr(node.left, env)
        right = compile_expr(node.right, env)
        return _BINARY[node.op](left, right)
    if isinstance(node, Call):
        if node.func == "visited":
            ref = node.args[0].ref  # type: ignore[attr-defined]
            return lambda ctx: ctx.visits.get(ref, 0)
        if node.func == "chosen":
            ref = node.args[0].ref  # type: ignore[attr-defined]
            return lambda ctx: ref in ctx.chosen
        args = [compile_expr(a, env) for a in node.args]
        if node.func == "min":
            a, b = args
            return lambda ctx: min(a(ctx), b(ctx))
        if node.func == "max":
            a, b = args
            return lambda ctx: max(a(ctx), b(ctx))
        if node.func == "abs":
            (a,) = args
            return lambda ctx: abs(a(ctx))
        if node.func == "random":
            a, b = args

            def rand(ctx: Any) -> int:
                lo, hi = a(ctx), b(ctx)
                if hi < lo:
                    raise ExprRuntimeError(f"random({lo}, {hi}): the second number must not be smaller than the first")
                return int(ctx.random(lo, hi))

            return rand
    raise ExprError("cannot compile expression", node.offset)  # pragma: no cover


def _literal(node: Lit, env: Env) -> Value:
    """A literal's value; a time of day becomes story minutes (after midnight counts on from the start)."""
    return env.time_value(node.value) if node.is_time else node.value  # type: ignore[arg-type]


def _div(a: int, b: int) -> int:
    if b == 0:
        raise ExprRuntimeError("division by zero")
    return a // b


def _mod(a: int, b: int) -> int:
    if b == 0:
        raise ExprRuntimeError("division by zero (in %)")
    return a % b


def _add(a: Any, b: Any) -> Any:
    if isinstance(a, str):
        if len(a) + len(b) > MAX_STR:
            raise ExprRuntimeError(f"text longer than {MAX_STR} characters")
        return a + b
    return _bounded(a + b)


_COMPARE_TO: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
}
"""The comparisons, for one with a literal on its right (`_compare_to_literal`)."""


def _compare_to_literal(left: Node, cmp: Callable[[Any, Any], bool], value: Value, env: Env) -> Compiled:
    """`garrison >= 5`, `visited(x) == 0`, `clock < 16:30`: the commonest conditions, compiled into one closure.

    The literal's value is known when compiled; a variable, the clock or a visit count on the left is
    read in the same closure (as `compile_expr` reads each alone), anything else by its own closure.
    """
    if isinstance(left, Name):
        name = left.name
        if name == "clock":
            return lambda ctx: cmp(ctx.clock, value)
        return lambda ctx: cmp(ctx.vars[name], value)
    if isinstance(left, Call) and left.func == "visited":
        ref = left.args[0].ref  # type: ignore[attr-defined]
        return lambda ctx: cmp(ctx.visits.get(ref, 0), value)
    read = compile_expr(left, env)
    return lambda ctx: cmp(read(ctx), value)


_BINARY: dict[str, Callable[[Compiled, Compiled], Compiled]] = {
    "and": lambda l, r: lambda ctx: l(ctx) and r(ctx),
    "or": lambda l, r: lambda ctx: l(ctx) or r(ctx),
    "==": lambda l, r: lambda ctx: l(ctx) == r(ctx),
    "!=": lambda l, r: lambda ctx: l(ctx) != r(ctx),
    "<": lambda l, r: lambda ctx: l(ctx) < r(ctx),
    "<=": lambda l, r: lambda ctx: l(ctx) <= r(ctx),
    ">": lambda l, r: lambda ctx: l(ctx) > r(ctx),
    ">=": lambda l, r: lambda ctx: l(ctx) >= r(ctx),
    "+": lambda l, r: lambda ctx: _add(l(ctx), r(ctx)),
    "-": lambda l, r: lambda ctx: _bounded(l(ctx) - r(ctx)),
    "*": lambda l, r: lambda ctx: _bounded(l(ctx) * r(ctx)),
    "/": lambda l, r: lambda ctx: _div(l(ctx), r(ctx)),
    "%": lambda l, r: lambda ctx: _mod(l(ctx), r(ctx)),
}
