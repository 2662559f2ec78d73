"""Scene text with interpolation and conditional passages.

    The wire is signed {signer}.
    {if telegram_secret}You keep the form folded.{elif resolve > 3}You read it out.{else}You hesitate.{/if}

`{expr}` inserts the value of any expression; `{if …}`, `{elif …}`, `{else}`
and `{/if}` choose a passage and may nest; `{{` and `}}` are literal braces.
Templates are parsed when the story loads, so a typo is a load error with
its line and column, never a surprise in front of a class.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable, Union

from . import expr as ex

MAX_NESTING = 16
_BRACE = re.compile(r"[{}]")


@dataclass(frozen=True)
class Interp:
    node: ex.Node
    offset: int
    """Offset of the expression's first character within the template."""


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
    root: list[Part] = []
    stack: list[tuple[IfBlock, list[Part]]] = []
    current = root
    buf: list[str] = []
    i = 0
    n = len(text)

    def flush() -> None:
        if buf:
            current.append("".join(buf))
            buf.clear()

    while i < n:
        brace = _BRACE.search(text, i)
        if brace is None:
            buf.append(text[i:])
            break
        j = brace.start()
        if j > i:
            buf.append(text[i:j])
        i = j
        ch = text[i]
        if ch == "{" and text.startswith("{{", i):
            buf.append("{")
            i += 2
            continue
        if ch == "}" and text.startswith("}}", i):
            buf.append("}")
            i += 2
            continue
        if ch == "}":
            raise TemplateError("a lone '}' in text; write '}}' for a literal brace", i)
        close = text.find("}", i + 1)
        if close < 0 or "\n" in text[i + 1 : close]:
            raise TemplateError("'{' is not closed on the same line; write '{{' for a literal brace", i)
        inner = text[i + 1 : close]
        stripped = inner.strip()
        lead = len(inner) - len(inner.lstrip())
        start = i + 1 + lead
        flush()
        word, _, rest = stripped.partition(" ")
        if word == "if":
            if len(stack) >= MAX_NESTING:
                raise TemplateError(f"{{if}} nested more than {MAX_NESTING} deep", i)
            block = IfBlock(offset=i)
            body: list[Part] = []
            block.branches.append((_expr(rest, start + 3), start + 3, body))
            current.append(block)
            stack.append((block, current))
            current = body
        elif word == "elif":
            if not stack or stack[-1][0].otherwise is not None:
                raise TemplateError("{elif} without an open {if}" if not stack else "{elif} after {else}", i)
            body = []
            stack[-1][0].branches.append((_expr(rest, start + 5), start + 5, body))
            current = body
        elif stripped == "else":
            if not stack or stack[-1][0].otherwise is not None:
                raise TemplateError("{else} without an open {if}" if not stack else "a second {else} in one {if}", i)
            body = []
            stack[-1][0].otherwise = body
            current = body
        elif stripped == "/if":
            if not stack:
                raise TemplateError("{/if} without an open {if}", i)
            _, current = stack.pop()
        elif not stripped:
            raise TemplateError("empty '{}'; write '{{' for a literal brace", i)
        else:
            current.append(Interp(_expr(stripped, start), start))
        i = close + 1
    flush()
    if stack:
        raise TemplateError("{if} is never closed with {/if}", stack[-1][0].offset)
    return root


def _expr(source: str, offset: int) -> ex.Node:
    try:
        return ex.parse_expr(source)
    except ex.ExprError as err:
        raise TemplateError(err.message, offset + err.offset) from None


def check_template(parts: list[Part], env: ex.Env) -> list[ex.ExprError]:
    """Type-check every expression; returns all errors with offsets into the text."""
    errors: list[ex.ExprError] = []
    for part in parts:
        if isinstance(part, Interp):
            try:
                ex.check(part.node, env)
            except ex.ExprError as err:
                errors.append(ex.ExprError(err.message, part.offset + err.offset))
        elif isinstance(part, IfBlock):
            for cond, offset, body in part.branches:
                try:
                    if ex.check(cond, env) != ex.BOOL:
                        errors.append(ex.ExprError("an {if} condition must be true/false", offset))
                except ex.ExprError as err:
                    errors.append(ex.ExprError(err.message, offset + err.offset))
                errors.extend(check_template(body, env))
            if part.otherwise:
                errors.extend(check_template(part.otherwise, env))
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


def compile_template(parts: list[Part], env: ex.Env) -> Renderer:
    """A closure that renders the text for a game state."""
    if len(parts) == 1 and isinstance(parts[0], str):
        constant = parts[0]
        return lambda ctx: constant
    pieces: list[Renderer] = []
    for part in parts:
        if isinstance(part, str):
            pieces.append(_constant(part))
        elif isinstance(part, Interp):
            pieces.append(_interpolate(ex.compile_expr(part.node, env)))
        else:
            branches = [(ex.compile_expr(c, env), compile_template(b, env)) for c, _, b in part.branches]
            otherwise = compile_template(part.otherwise, env) if part.otherwise else None

            def choose(ctx: Any, branches: Any = branches, otherwise: Any = otherwise) -> str:
                for cond, body in branches:
                    if cond(ctx):
                        return str(body(ctx))
                return str(otherwise(ctx)) if otherwise else ""

            pieces.append(choose)
    return lambda ctx: "".join(p(ctx) for p in pieces)


def _constant(text: str) -> Renderer:
    return lambda ctx: text


def _interpolate(fn: ex.Compiled) -> Renderer:
    return lambda ctx: _show(fn(ctx))


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
