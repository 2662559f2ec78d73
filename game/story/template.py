"""Scene text with interpolation and conditional passages.

    The wire is signed {signer}.
    {if telegram_secret}You keep the form folded.{elif resolve > 3}You read it out.{else}You hesitate.{/if}

`{expr}` inserts the value of any expression; `{if …}`, `{elif …}`, `{else}`
and `{/if}` choose a passage and may nest; `{{` and `}}` are literal braces.
A number of minutes prints as a time of day with `{expr as time}` ("19:00",
as the header shows the clock; a bare `{clock}` does this by itself) or as a
length of time with `{expr as duration}` ("1h 30m").
Templates are parsed when the story loads, so a typo is a load error with
its line and column, never a surprise in front of a class.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable, NamedTuple, Union

from . import expr as ex
from .model import format_clock
from .problems import ExprRuntimeError

MAX_NESTING = 16
_TOKEN = re.compile(r"(\{\{|\}\}|\{[^}]*\}|[{}])")
"""What the parser stops at, in the order it tries them: literal braces, a `{…}` up to the first `}`
(a newline inside is an error), and a lone brace (an error)."""


class Interp(NamedTuple):
    """`{expr}`: a tuple, since a story makes tens of thousands of them (a frozen dataclass is slow to make)."""

    node: ex.Node
    offset: int
    """Offset of the expression's first character within the template."""
    fmt: str | None = None
    """'time' or 'duration' (`{… as time}`): how a number of minutes is printed; None prints the value."""


_FORMAT = re.compile(r"\s+as\s+([A-Za-z_]\w*)\s*$")
FORMATS = ("time", "duration")


@dataclass
class IfBlock:
    branches: list[tuple[ex.Node, int, list["Part"]]] = field(default_factory=list)
    otherwise: list["Part"] | None = None
    offset: int = 0


Part = Union[str, Interp, IfBlock]


class TemplateError(ex.ExprError):
    """A malformed template; `offset` is into the whole text."""


def parse_template(text: str) -> list[Part]:
    """Parse text into literal strings, interpolations and if-blocks."""
    if "{" not in text and "}" not in text:
        return [text] if text else []
    root: list[Part] = []
    stack: list[tuple[IfBlock, list[Part]]] = []
    current = root
    pieces = _TOKEN.split(text)  # text, token, text, token, …, text
    buf: list[str] = [pieces[0]] if pieces[0] else []
    end = len(pieces[0])
    for k in range(1, len(pieces), 2):
        token = pieces[k]
        i = end
        end += len(token)
        after = pieces[k + 1]
        if token == "{{":
            buf.append("{")
        elif token == "}}":
            buf.append("}")
        elif token == "}":
            raise TemplateError("a lone '}' in text; write '}}' for a literal brace", i)
        elif token == "{" or "\n" in token:
            raise TemplateError("'{' is not closed on the same line; write '{{' for a literal brace", i)
        else:
            if buf:
                current.append("".join(buf))
                buf.clear()
            current = _place(token, i, current, stack)
        if after:
            buf.append(after)
        end += len(after)
    if buf:
        current.append("".join(buf))
    if stack:
        raise TemplateError("{if} is never closed with {/if}", stack[-1][0].offset)
    return root


ELLIPSIS = "…"


def outline(text: str) -> str:
    """`text` as a view that speaks for many players reads it: each `{expr}` and `{if}` block shown as "…".

    A class report, a story map or a walker's table lists a scene once for
    everyone, so it cannot fill in one player's values; the braces of the
    source would mean nothing to a teacher. Literal `{{`/`}}` become braces.
    A malformed template (an error the loader reports) is returned as written.
    """
    try:
        parts = parse_template(text)
    except ex.ExprError:
        return text
    return "".join(p if isinstance(p, str) else ELLIPSIS for p in parts)


def _place(token: str, i: int, current: list[Part], stack: list[tuple[IfBlock, list[Part]]]) -> list[Part]:
    """Add what the `{…}` at offset `i` stands for; returns the list the text after it goes into."""
    kind, source, at = _TOKENS.get(token) or _read_token(token)
    if kind is _INTERP:
        assert source is not None
        fmt = None
        if (m := _FORMAT.search(source)) is not None:
            if m.group(1) not in FORMATS:
                raise TemplateError(f"'as {m.group(1)}': a number of minutes prints 'as time' (19:00) or "
                                    "'as duration' (1h 30m)", i + at + m.start(1))
            fmt, source = m.group(1), source[: m.start()]
        node = _expr(source, i + at)
        if fmt is None and isinstance(node, ex.Name) and node.name == "clock":
            fmt = "time"  # `{clock}` reads as the header shows it: 19:00, not 1140
        current.append(Interp(node, i + at, fmt))
    elif kind is _IF:
        if len(stack) >= MAX_NESTING:
            raise TemplateError(f"{{if}} nested more than {MAX_NESTING} deep", i)
        block = IfBlock(offset=i)
        body: list[Part] = []
        block.branches.append((_expr(source, i + at), i + at, body))
        current.append(block)
        stack.append((block, current))
        current = body
    elif kind is _ELIF:
        if not stack or stack[-1][0].otherwise is not None:
            raise TemplateError("{elif} without an open {if}" if not stack else "{elif} after {else}", i)
        body = []
        stack[-1][0].branches.append((_expr(source, i + at), i + at, body))
        current = body
    elif kind is _ELSE:
        if not stack or stack[-1][0].otherwise is not None:
            raise TemplateError("{else} without an open {if}" if not stack else "a second {else} in one {if}", i)
        body = []
        stack[-1][0].otherwise = body
        current = body
    elif kind is _END_IF:
        if not stack:
            raise TemplateError("{/if} without an open {if}", i)
        _, current = stack.pop()
    else:
        raise TemplateError("empty '{}'; write '{{' for a literal brace", i)
    return current


_INTERP, _IF, _ELIF, _ELSE, _END_IF, _EMPTY = "interp", "if", "elif", "else", "/if", "empty"
_TOKENS: dict[str, tuple[str, str | None, int]] = {}
"""What each `{…}` written so far is (see `_read_token`): stories repeat `{resolve}`, `{else}`, `{/if}`
thousands of times."""


def _read_token(token: str) -> tuple[str, str | None, int]:
    """A `{…}` (one line, braces included): its kind, the expression in it, and where that starts in it."""
    inner = token[1:-1]
    stripped = inner.strip()
    at = 1 + len(inner) - len(inner.lstrip())
    word, _, rest = stripped.partition(" ")
    if word == "if":
        read: tuple[str, str | None, int] = (_IF, rest, at + 3)
    elif word == "elif":
        read = (_ELIF, rest, at + 5)
    elif stripped == "else":
        read = (_ELSE, None, at)
    elif stripped == "/if":
        read = (_END_IF, None, at)
    elif not stripped:
        read = (_EMPTY, None, at)
    else:
        read = (_INTERP, stripped, at)
    if len(_TOKENS) >= 50_000:  # bounded, whatever a program parses
        _TOKENS.clear()
    _TOKENS[token] = read
    return read


def _expr(source: str | None, offset: int) -> ex.Node:
    assert source is not None
    try:
        return ex.parse_expr(source)
    except ex.ExprError as err:
        raise TemplateError(err.message, offset + err.offset) from None


def check_template(parts: list[Part], env: ex.Env,
                   check: Callable[[ex.Node, ex.Env], str] = ex.check) -> list[ex.ExprError]:
    """Type-check every expression; returns all errors with offsets into the text.

    `check` is `expr.check` or one that remembers its answers (the loader's:
    a story repeats `{resolve}` in thousands of texts).
    """
    errors: list[ex.ExprError] = []
    for part in parts:
        if isinstance(part, Interp):
            try:
                if check(part.node, env) != ex.INT and part.fmt is not None:
                    errors.append(ex.ExprError(f"'as {part.fmt}' prints a number of minutes; this is not a number",
                                               part.offset))
            except ex.ExprError as err:
                errors.append(ex.ExprError(err.message, part.offset + err.offset))
        elif isinstance(part, IfBlock):
            for cond, offset, body in part.branches:
                try:
                    if check(cond, env) != ex.BOOL:
                        errors.append(ex.ExprError("an {if} condition must be true/false", offset))
                except ex.ExprError as err:
                    errors.append(ex.ExprError(err.message, offset + err.offset))
                errors.extend(check_template(body, env, check))
            if part.otherwise:
                errors.extend(check_template(part.otherwise, env, check))
    return errors


def template_nodes(parts: list[Part]) -> list[ex.Node]:
    """Every expression in a template (for usage and reference checks)."""
    out: list[ex.Node] = []
    for part in parts:
        if isinstance(part, Interp):
            out.append(part.node)
        elif isinstance(part, IfBlock):
            for cond, _, body in part.branches:
                out.append(cond)
                out.extend(template_nodes(body))
            if part.otherwise:
                out.extend(template_nodes(part.otherwise))
    return out


Renderer = Callable[[Any], str]


def compile_template(parts: list[Part], env: ex.Env, text: str = "") -> Renderer:
    """A closure that renders the text for a game state.

    `text`, the template's source: an expression that fails as the game runs (a division by zero) then says
    which `{…}` it was, not only the scene it is in."""
    if len(parts) == 1 and isinstance(parts[0], str):
        constant = parts[0]
        return lambda ctx: constant
    pieces: list[Renderer] = []
    for part in parts:
        if isinstance(part, str):
            pieces.append(_constant(part))
        elif isinstance(part, Interp):
            pieces.append(_interpolate(_naming(ex.compile_expr(part.node, env), text, part.offset), part.fmt))
        else:
            branches = [(_naming(ex.compile_expr(c, env), text, at), compile_template(b, env, text))
                        for c, at, b in part.branches]
            otherwise = compile_template(part.otherwise, env, text) if part.otherwise else None

            def choose(ctx: Any, branches: Any = branches, otherwise: Any = otherwise) -> str:
                for cond, body in branches:
                    if cond(ctx):
                        return str(body(ctx))
                return str(otherwise(ctx)) if otherwise else ""

            pieces.append(choose)
    return lambda ctx: "".join(p(ctx) for p in pieces)


def _naming(fn: ex.Compiled, text: str, offset: int) -> ex.Compiled:
    """`fn`, whose run-time failure names the `{…}` of `text` it was written in (as the writer wrote it)."""
    start, end = text.rfind("{", 0, offset + 1), text.find("}", offset)
    if not text or start < 0 or end < 0:
        return fn
    said = text[start:end + 1]

    def run(ctx: Any) -> Any:
        try:
            return fn(ctx)
        except ExprRuntimeError as err:
            raise ExprRuntimeError(f"{said}: {err}") from None

    return run


def _constant(text: str) -> Renderer:
    return lambda ctx: text


def _interpolate(fn: ex.Compiled, fmt: str | None = None) -> Renderer:
    if fmt == "time":
        return lambda ctx: format_clock(fn(ctx))
    if fmt == "duration":
        return lambda ctx: format_duration(fn(ctx))
    return lambda ctx: _show(fn(ctx))


def format_duration(minutes: int) -> str:
    """Minutes as a writer says a length of time: '45m', '2h', '1h 30m' (the `cost:` notation, spaced)."""
    sign, m = ("-", -minutes) if minutes < 0 else ("", minutes)
    hours, rest = divmod(m, 60)
    parts = ([f"{hours}h"] if hours else []) + ([f"{rest}m"] if rest or not hours else [])
    return sign + " ".join(parts)


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
