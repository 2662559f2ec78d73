"""The glossary finders of this process, shared by whatever plays in it (terminal, plain mode, reader).

A glossary is read-only once loaded, and a finder only adds the patterns it compiled on first use, so
one finder serves every game of a process. On a classroom server the fork server builds it (and compiles
the first scene's patterns) before it forks: each student's game finds them. The core's
`views.terms.TermFinder` stays a plain object; keeping one per glossary for the process is the shells'.
"""

from __future__ import annotations

from typing import Mapping

from .story.model import GlossaryEntry
from .views.terms import TermFinder

KEPT = 4
"""Glossaries whose finders are kept (a story and its chairs; a writer's reloads replace them)."""

_finders: dict[int, tuple[Mapping[str, GlossaryEntry], TermFinder]] = {}


def finder_for(glossary: Mapping[str, GlossaryEntry]) -> TermFinder:
    """The finder for `glossary`, built once per process.

    Kept by the glossary's identity, with the glossary itself, so an id is never reused while kept.
    """
    kept = _finders.get(id(glossary))
    if kept is not None and kept[0] is glossary:
        return kept[1]
    finder = TermFinder(glossary)
    while len(_finders) >= KEPT:
        del _finders[next(iter(_finders))]  # the oldest
    _finders[id(glossary)] = (glossary, finder)
    return finder
