"""Stylesheets parsed once per process: every Textual stylesheet of the game shares what was parsed.

Textual keeps the rules it parsed from each CSS source in a cache of that
`Stylesheet` only. Two things start a new `Stylesheet` and so parse every
source again: `Stylesheet.reparse` (which the game runs when it adds the
screens' stylesheet after the title's first frame, and on a theme change),
and a new `App`. On a classroom server each student's game is a new `App`
forked from the fork server (`game/classroom/zygote.py`). A served title
started in one process spent about a third of its CPU parsing (cProfile,
December 2026: ~60 ms of ~180 ms, headless); a forked game, which finds
the fork server's imports already warm, saves 10–30 ms of ~170.

Here one memo for the process answers the same source, read from the same
place, under the same variables (the theme's colours and the game's own,
`TaurideApp.get_css_variables`) with the rules parsed before. Textual treats
parsed rules as read-only: its own cache hands the same lists to every parse
of a stylesheet. A source Textual cannot parse raises as before and is not
remembered; one with errors is remembered with them, and every stylesheet
that reads it reports them, as Textual's own cache does. The fork server
fills the memo before it forks (`warm`), so a forked game parses nothing
the fork server parsed.

Textual names used that it does not document: `Stylesheet._parse_rules` and
`Stylesheet._variables`. Textual is pinned to one exact version, and
`tests/test_framework_pins.py` fails if either moves or changes its shape.
"""

from __future__ import annotations

import tempfile
from typing import TYPE_CHECKING, Any

from textual.cache import LRUCache
from textual.css.stylesheet import Stylesheet

if TYPE_CHECKING:
    from textual.css.model import RuleSet

    from ..story import Story

MEMO_SIZE = 512
"""Sources remembered (a theme and its screens need about 25; each other theme tried adds as many)."""

_memo: LRUCache[tuple[Any, ...], list[RuleSet]] = LRUCache(MEMO_SIZE)
_warmed: frozenset[tuple[str, str]] | None = None
"""The CSS variables `warm` parsed a game's stylesheets under (None: it has not run in this process)."""
_textual_parse_rules = Stylesheet._parse_rules


def _parse_rules(self: Stylesheet, css: str, read_from: Any, is_default_rules: bool = False, tie_breaker: int = 0,
                 scope: str = "") -> list[RuleSet]:
    """`Stylesheet._parse_rules`, through the memo (same arguments, same result)."""
    key = (css, read_from, is_default_rules, tie_breaker, scope, tuple(self._variables.items()))
    rules = _memo.get(key)
    if rules is None:
        rules = _textual_parse_rules(self, css, read_from, is_default_rules, tie_breaker, scope)
        _memo[key] = rules
    return rules


def install() -> None:
    """Parse through the memo from now on, in this process (`TaurideApp` does, as it is made)."""
    Stylesheet._parse_rules = _parse_rules  # type: ignore[method-assign]


def remembered() -> int:
    """How many parsed sources the memo holds."""
    return len(_memo)


def warm(story: Story) -> None:
    """Do now, headless, what a game's title does: parse its stylesheets (the screens' read after its first
    frame, and the play screen's and content note's widgets), and prepare a new game while it is read
    (`TaurideApp.prepare_new_game`: the modules it imports, the glossary's finder and patterns).

    For the fork server, before it forks: a game made with the default settings then finds every source
    of its first frame parsed, and reads them all before that frame (`warmed_for`): nothing is left to parse.
    Nothing is written: its saves folder is a new empty folder, removed after.
    """
    global _warmed
    import asyncio

    from ..saves import SaveStore
    from ..settings import Settings
    from .app import TaurideApp

    async def drawn(pilot: Any) -> None:
        await pilot.pause()
        await pilot.pause()  # the screens' stylesheet is read right after the first frame
        pilot.app.prepare_new_game()  # and what the title prepares while it is read: a new game's widgets
        pilot.app.exit()

    with tempfile.TemporaryDirectory(prefix="tauride-warm-") as folder:
        app = TaurideApp(story, SaveStore(folder), settings=Settings())
        asyncio.run(app.run_async(headless=True, size=(100, 30), auto_pilot=drawn))
    _warmed = frozenset(app.get_css_variables().items())


def warmed_for(variables: dict[str, str]) -> bool:
    """`warm` ran in this process (a forked game's did) under these variables: a game with them finds its
    stylesheets parsed. Another theme or reading width is parsed afresh, the title's part first."""
    return _warmed is not None and _warmed == frozenset(variables.items())
