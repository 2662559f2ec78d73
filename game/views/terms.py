"""Glossary terms in a text: where each one is, so a shell can mark it.

Rules (the writer can rely on them):
- An entry is found by its `term` and by each of its `match` words.
- Whole words only: a match may not have a letter, digit or underscore
  directly before or after it ("Chkheidze's" finds "Chkheidze";
  "Chkheidzes" does not).
- Case: a match word is compared exactly as written, except its first
  letter when that letter is lower case, which may also be upper case at
  the start of a sentence ("the Tauride" finds "The Tauride"). A capital
  is never lowered: "Bell" does not find "bell".
- A space in a match word matches any run of whitespace, so a name may
  wrap across a line of the scene text.
- Longest match first: where matches overlap, the one that starts first
  wins, and of those starting at the same place the longest ("Catherine
  Hall" before "Catherine"). Spans never overlap.
- If two entries share a match word, the entry listed first in the
  glossary takes it (the loader warns about such duplicates).
- A scene's own `terms:` win in that scene: `{the Soviet: kronstadt_soviet}`
  links those words to that entry instead, `{the Soviet: null}` to none.
  They are match words like any other (whole words, longest first), found
  before the glossary's own words of the same length (`TermFinder.for_scene`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping

from ..engine import State
from ..story.model import GlossaryEntry, Scene, Story
from .journal import journal


@dataclass(frozen=True)
class TermSpan:
    """One mention of a glossary entry in a text."""

    start: int
    end: int
    """Offsets into the text searched (end exclusive)."""
    entry: str
    """The glossary entry's id."""
    text: str
    """The words as they appear in the text."""


def _pattern(word: str) -> str:
    parts = word.split()
    first = parts[0]
    head = first[0]
    lead = f"[{re.escape(head)}{re.escape(head.upper())}]" if head.islower() and head.upper() != head else re.escape(head)
    parts[0] = lead + re.escape(first[1:])
    return r"(?<!\w)" + r"\s+".join([parts[0]] + [re.escape(p) for p in parts[1:]]) + r"(?!\w)"


_WORD = re.compile(r"\w+")


class TermFinder:
    """A compiled matcher for one glossary; build once per story and reuse.

    Indexed by each match word's first run of letters, so finding terms costs
    one dictionary look-up per word of text, however large the glossary.
    """

    def __init__(self, glossary: Mapping[str, GlossaryEntry],
                 own: tuple[tuple[str, str | None], ...] = ()):
        """`own`: a scene's `terms:` (words, entry id or None for no link), found before the glossary's words."""
        self.glossary = glossary
        self._scenes: dict[tuple[tuple[str, str | None], ...], TermFinder] = {}
        """Finders for scenes with `terms:` of their own, made on first use (see `for_scene`)."""
        words: list[tuple[int, int, str, str]] = []  # (-length, glossary order, word, entry id)
        seen: set[str] = set()
        for words_, gid_ in own:  # order -1: before any glossary entry of the same length
            key = " ".join(words_.split())
            if key and key not in seen and _WORD.search(key):
                seen.add(key)
                words.append((-len(key), -1, key, gid_ or ""))  # "": the words are found, and linked to nothing
        for order, entry in enumerate(glossary.values()):
            for word in (entry.term, *entry.match):
                key = " ".join(word.split())
                if not key or key in seen or not _WORD.search(key):
                    continue
                seen.add(key)
                words.append((-len(key), order, key, entry.id))
        words.sort()  # longest first; on a tie, the entry listed first
        # first run of letters -> [(offset of that run in the word, the word, entry id)]
        self._index: dict[str, list[tuple[int, str, str]]] = {}
        self._compiled: dict[str, re.Pattern[str]] = {}
        """Patterns compiled on first use: a big glossary costs nothing until its words appear."""
        for _, _, key, gid in words:
            run = _WORD.search(key)
            assert run is not None
            item = (run.start(), key, gid)
            heads = {run.group()}
            if run.start() == 0 and key[0].islower():
                heads.add(key[0].upper() + run.group()[1:])
            for head in heads:
                self._index.setdefault(head, []).append(item)

    def find(self, text: str) -> list[TermSpan]:
        """Every mention in `text`, in order, never overlapping."""
        spans: list[TermSpan] = []
        if not self._index:
            return spans
        last = 0
        for run in _WORD.finditer(text):
            if run.start() < last:
                continue
            best: re.Match[str] | None = None
            best_id = ""
            for offset, key, gid in self._index.get(run.group(), ()):
                at = run.start() - offset
                if at < last:
                    continue
                rx = self._compiled.get(key)
                if rx is None:
                    rx = self._compiled[key] = re.compile(_pattern(key))
                m = rx.match(text, at)
                if m and (best is None or m.start() < best.start() or
                          (m.start() == best.start() and m.end() > best.end())):
                    best, best_id = m, gid
            if best is not None:
                if best_id:  # "": a scene said these words link to nothing
                    spans.append(TermSpan(best.start(), best.end(), best_id, best.group()))
                last = best.end()
        return spans

    def for_scene(self, scene: Scene | None) -> TermFinder:
        """The finder for `scene`'s text: this one, or one that also knows the scene's own `terms:`."""
        if scene is None or not scene.terms:
            return self
        found = self._scenes.get(scene.terms)
        if found is None:
            found = self._scenes[scene.terms] = TermFinder(self.glossary, scene.terms)
        return found


def find_terms(story: Story, text: str) -> list[TermSpan]:
    """Mentions of `story`'s glossary entries in `text` (builds a TermFinder; hold one to search often)."""
    return TermFinder(story.glossary).find(text)


def terms_met(story: Story, state: State, finder: TermFinder | None = None) -> list[GlossaryEntry]:
    """The glossary entries the player has met so far, in the order first met.

    Met means: the place of a visited scene, or a mention in a visited
    scene's text as the player read it. Pass the story's `finder` if you hold one.
    """
    finder = finder or TermFinder(story.glossary)
    met: dict[str, GlossaryEntry] = {}
    for entry in journal(story, state):
        scene_finder = finder.for_scene(story.scenes.get(entry.scene))
        ids = ([entry.place] if entry.place else []) + [s.entry for s in scene_finder.find(entry.text)]
        for gid in ids:
            if gid in story.glossary and gid not in met:
                met[gid] = story.glossary[gid]
    return list(met.values())
