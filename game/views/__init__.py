"""Pure views of a playthrough, shared by every shell.

The Textual screens, plain mode, transcripts and the classroom all need the
same derived facts: what the player has read so far (the journal), how the
player's decisions compare with what the historical actors did (the
debrief), the historical sequence beside the player's afternoon (the
timeline), and which glossary terms a text mentions (terms). Computing them
once, here, keeps the shells from disagreeing.

Pure like the engine: no Textual, no Rich, no I/O. Each view rebuilds what
it needs by replaying the state's log from its origin with `game.engine`,
so a view never trusts a shell's copy of the past.
"""

from __future__ import annotations

from .debrief import Debrief, DebriefRow, EndingView, debrief
from .journal import JournalEntry, JournalHit, journal, journal_problem, search
from .refs import ChoiceRef, SourceRef, Vote, sources_of
from .terms import TermFinder, TermSpan, find_terms, terms_met
from .timeline import Timeline, TimelineLine, TimelineRow, historical_path, timeline

__all__ = [
    "ChoiceRef", "Debrief", "DebriefRow", "EndingView", "JournalEntry", "JournalHit", "SourceRef", "TermFinder",
    "TermSpan", "Timeline", "TimelineLine", "TimelineRow", "Vote", "debrief", "find_terms", "historical_path", "journal", "journal_problem",
    "search", "sources_of", "terms_met", "timeline",
]
