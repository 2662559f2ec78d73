"""The work one load may do, counted across the whole story, not per file.

Each file already has its own limits (`MAX_FILE_BYTES`, `yamlsrc.MAX_NODES`,
`expr.MAX_SOURCE`), but a story inside all of them could still cost
minutes and gigabytes: one 7.8 MB scene holding 7,900 different 1,000-
character expressions took 7.6 s and 812 MB to check, and a hundred 8 MB
files are each allowed. `StoryBudget` adds up what the loader has read and
parsed so far and names the place where a story-wide limit was passed.
The limits are about three times the 5,000-scene story of the benchmarks
(5.3 MB of YAML, ~190,000 values, ~350,000 characters of expressions), so
a real story never meets them.
"""

from __future__ import annotations

import re

from .expr import MAX_SOURCE

MAX_STORY_BYTES = 16 * 1024 * 1024
"""All of a story's YAML files together."""
MAX_STORY_VALUES = 600_000
"""Values read from all files together (aliases expanded)."""
MAX_STORY_EXPRESSION_CHARS = 1_000_000
"""Characters of the different expressions, effects and `{…}` passages of a story together."""

_PASSAGE = re.compile(r"\{[^{}\n]*\}")


class StoryBudget:
    """Running totals of one load; each `add_*` returns a message when a limit is passed, else None.

    A file past a limit ends the load (the caller stops reading); the
    expression limit is reported once and the loader checks no further ones.
    An expression or passage met again costs nothing (parsing and checking
    are cached), so each different text is counted once.
    """

    def __init__(self) -> None:
        self.bytes = 0
        self.values = 0
        self.expression_chars = 0
        self.expressions_spent = False
        """The expression limit was passed: the loader checks no further expressions."""
        self._seen: set[str] = set()
        """Expressions and passages counted so far (at most the limit's worth of text)."""

    def add_file(self, size: int, values: int) -> str | None:
        self.bytes += size
        self.values += values
        if self.bytes > MAX_STORY_BYTES:
            return (f"the story's files add up to more than {MAX_STORY_BYTES // (1024 * 1024)} MiB, and this file "
                    "passes that limit; the load stopped here. Make the story smaller")
        if self.values > MAX_STORY_VALUES:
            return (f"the story's files hold more than {MAX_STORY_VALUES:,} values in all, and this file passes that "
                    "limit; the load stopped here. Make the story smaller")
        return None

    def add_expression(self, kind: str, text: str) -> tuple[str, int] | None:
        """Count a text about to be checked: all of a condition or effect, the `{…}` passages of a
        template (its plain words cost next to nothing). Past the limit: the message, and the offset
        in `text` of the passage that passed it (0 for a condition or effect)."""
        if self.expressions_spent:
            return None
        if kind != "template":
            pieces: list[tuple[int, str]] = [(0, text)]
        elif "{" in text:
            pieces = [(m.start(), m.group()) for m in _PASSAGE.finditer(text)]
        else:
            return None
        seen = self._seen
        for offset, piece in pieces:
            if piece in seen:
                continue
            seen.add(piece)
            self.expression_chars += min(len(piece), MAX_SOURCE)  # a longer one is refused before it is parsed
            if self.expression_chars > MAX_STORY_EXPRESSION_CHARS:
                self.expressions_spent = True
                self._seen = set()
                return (f"the story's different expressions and {{…}} passages add up to more than "
                        f"{MAX_STORY_EXPRESSION_CHARS:,} characters, and this one passes that limit; the rest were "
                        "not checked. Shorten them, or reuse a passage instead of writing variants of it"), offset
        return None
