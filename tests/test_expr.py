"""The expression language: what it accepts, what it refuses, and that it cannot escape."""

from __future__ import annotations

import pytest

from game.story import expr as ex
from game.story.template import parse_template


class Env:
    """A story with three variables and two scenes, for checking expressions alone."""

    types = {"resolve": "int", "secret": "bool", "name": "str"}

    def var_type(self, name: str) -> str | None:
        return self.types.get(name)

    def has_ref(self, func: str, ref: str) -> bool:
        return ref in ("a", "b") if func == "visited" else ref in ("a.keep",)

    def names(self) -> list[str]:
        return list(self.types)

    def time_value(self, minutes: int) -> int:
        return minutes if minutes >= 900 else minutes + 1440


class Ctx:
    def __init__(self, **values):
        self.vars = {"resolve": 2, "secret": False, "name": "Chkheidze", **values}
        self.clock = 16 * 60
        self.visits = {"a": 2}
        self.chosen = {"a.keep"}
        self.draws = 0

    def random(self, lo: int, hi: int) -> int:
        self.draws += 1
        return lo


def run(source: str, **values):
    node = ex.parse_expr(source)
    ex.check(node, Env())
    return ex.compile_expr(node, Env())(Ctx(**values))


@pytest.mark.parametrize(
    "source, value",
    [
        ("resolve + 3 * 2", 8),
        ("(resolve + 3) * 2", 10),
        ("-resolve", -2),
        ("7 / 2", 3),
        ("7 % 4", 3),
        ("not secret and resolve >= 2", True),
        ("secret or resolve != 2", False),
        ("clock >= 16:00", True),
        ("clock < 15:30", False),
        ("01:00 > 23:00", True),  # after the story's start time, 01:00 is the next day
        # A literal on the right is compiled into the comparison (the commonest conditions): every operator,
        # and a time on the right counted from the story's start as on the left.
        ("clock < 01:00", True),
        ("clock <= 16:00", True),
        ("clock > 16:00", False),
        ("resolve == 2", True),
        ("resolve != 2", False),
        ("resolve < 2", False),
        ("resolve <= 1", False),
        ("resolve > 1", True),
        ("resolve >= 3", False),
        ("visited(a) == 2", True),
        ("visited(b) > 0", False),
        ('name != "Tsereteli"', True),
        ("2 == resolve", True),
        ("resolve + 1 == 3", True),
        ("min(resolve, 1) >= 2", False),
        ('name == "Chkheidze"', True),
        ('name + "!"', "Chkheidze!"),
        ("visited(a)", 2),
        ("visited(b)", 0),
        ("chosen(a.keep)", True),
        ("min(resolve, 1) + max(resolve, 5) + abs(-3)", 9),
    ],
)
def test_expressions_evaluate(source: str, value) -> None:
    assert run(source) == value


@pytest.mark.parametrize(
    "source, message",
    [
        ("__import__('os')", "unknown function '__import__'"),
        ("resolve.__class__", "expected an operator or the end of the expression, found '.'"),
        ("[x for x in resolve]", "unexpected character '['"),
        ("resolve ** 1000", "expected a value, a name or '(', found '*'"),
        ('"a" * 1000000', "'*' needs numbers, got text and a number"),
        ("lambda: 1", "unexpected character ':'"),
        ("open('/etc/passwd')", "unknown function 'open'"),
        ("resolve = 2", "'=' assigns; to compare, write '=='"),
        ("1 < resolve < 3", "comparisons cannot be chained"),
        ("resolv > 1", "'resolv' is not a declared variable. Did you mean 'resolve'?"),
        ("secret + 1", "'+' needs numbers, got true/false and a number"),
        ("resolve and secret", "'and' joins true/false conditions, got a number"),
        ("visited(c)", "visited() names 'c', which is not a scene"),
        ("random(1, 6) > 3", "random() may be used in effects only"),
        ("25:00 > clock", "'25:00' is not a time of day"),
        ("secret && resolve", "unexpected character '&' (use 'and', 'or', 'not' for logic)"),
        ("(" * 100 + "1" + ")" * 100, "nested more than"),
        ("1" + " + 1" * 400, "longer than"),
        ("", "empty expression"),
    ],
)
def test_hostile_or_wrong_expressions_are_refused_at_load(source: str, message: str) -> None:
    with pytest.raises(ex.ExprError) as info:
        ex.check(ex.parse_expr(source), Env())
    assert message in info.value.message


def test_numbers_cannot_grow_without_bound() -> None:
    node = ex.parse_expr("resolve * resolve * resolve")
    fn = ex.compile_expr(node, Env())
    with pytest.raises(ex.ExprRuntimeError, match="out of bounds"):
        fn(Ctx(resolve=10**6))


def test_division_by_zero_is_a_runtime_error_not_a_crash() -> None:
    fn = ex.compile_expr(ex.parse_expr("resolve / (resolve - 2)"), Env())
    with pytest.raises(ex.ExprRuntimeError, match="division by zero"):
        fn(Ctx())


def test_assignments() -> None:
    node = ex.parse_assignment("resolve += random(1, 6)")
    assert ex.check(node, Env(), effects=True) == "int"
    with pytest.raises(ex.ExprError, match="'\\+=' needs a number variable"):
        ex.check(ex.parse_assignment("secret += 1"), Env(), effects=True)
    with pytest.raises(ex.ExprError, match="expected an assignment"):
        ex.parse_assignment("resolve + 1")


def test_template_parts() -> None:
    parts = parse_template("A {resolve} {if secret}S{elif resolve > 1}R{else}E{/if} {{x}}")
    from game.story.template import compile_template

    render = compile_template(parts, Env())
    assert render(Ctx()) == "A 2 R {x}"
    assert render(Ctx(secret=True)) == "A 2 S {x}"
    assert render(Ctx(resolve=0)) == "A 0 E {x}"
