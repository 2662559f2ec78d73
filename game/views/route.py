"""Whether a decision followed history: the one rule the debrief, the timeline, transcripts and class reports share.

History speaks to a decision when the writer marked a choice of its scene
`historical: true` *and* that choice was open to the player then (shown and
not locked). The player followed history by taking such a choice, and left
history by taking another. Where the historical option was hidden or
locked, the player could not have taken it: taking what was on offer there
is not leaving history, and the decision is not counted either way.
"""

from __future__ import annotations

from ..engine import ChoiceView, State, choices
from ..story.model import Story


def open_historical(story: Story, state: State) -> tuple[ChoiceView, ...]:
    """The historical choices the player could take in `state` (shown and enabled); empty if none."""
    return tuple(c for c in choices(story, state) if c.historical and c.enabled)


def followed_history(story: Story, state: State, choice_id: str) -> bool | None:
    """True if taking `choice_id` in `state` followed history, False if it left it, None if history is silent here."""
    offered = open_historical(story, state)
    if not offered:
        return None
    return any(c.id == choice_id for c in offered)
