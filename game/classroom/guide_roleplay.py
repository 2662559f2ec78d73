"""The teacher's sheet's role-play lesson plan, for a story whose folder holds several chairs.

Two lessons of 45 minutes: the class split between the chairs plays the same
afternoon from both sides of the palace door, then comes together over the
joint debrief (`tauride report`) and the story's one timeline.
"""

from __future__ import annotations

from typing import Iterator

from ..story.model import Story, format_clock

QUESTIONS = (
    "At 17:00 both halves of the class were at the palace door, on opposite sides of it. "
    "What did each half know then that the other did not?",
    "The sailors shouted for Pereverzev and seized Chernov; the Executive Committee sent Chernov out. "
    "What did Chernov stand for to each half, and who, in the end, freed him?",
    "Find a moment where one half's choice would have changed the other half's afternoon "
    "(a shot at the colonnade, the armoured cars at the door, a wire read aloud). Whose choice mattered more?",
    "Both halves met the charges against Lenin in the evening. Why did they swing the neutral regiments, "
    "and how did they look from a sailor's floor and from a committee man's telephone?",
    "Compare the endings each half reached with what really happened (the timeline). "
    "Which half's history is closer to the history books, and whose books are they?",
    "Name one thing the other half did that you would have called a crime, and one you would have called "
    "a duty. Would they have called it the same?",
)
"""Debrief questions that bring the two halves together (lesson 2)."""


def roleplay_md(story: Story) -> Iterator[str]:
    """The role-play section, or nothing for a story of one chair."""
    if len(story.chairs) < 2:
        return
    names = ", ".join(f"**{c.id}** ({c.title})" for c in story.chairs)
    yield "## Role-play: two chairs, one afternoon (2 × 45 minutes)"
    yield ""
    yield (f"This story can be played from {len(story.chairs)} chairs: {names}. They share one clock, one "
           "glossary, one source packet and one timeline, so a class split between them plays the same "
           "afternoon from both sides of the palace door.")
    yield ""
    yield "**Lesson 1 (45 minutes): the afternoon, in two halves.**"
    yield ""
    yield "- 5 min: read the content note aloud; split the class in two; say nothing of the other half's story."
    for c in story.chairs:
        yield (f"- Half {c.id}: `tauride class --chair {c.id}` on each computer, or "
               f"`tauride serve --class CLASS-{c.id} --chair {c.id}` for a room of browsers.")
    yield ("- Or one served class where each student picks: `tauride serve --class CLASS --chair pick`; the "
           "sign-in form lists the chairs, and you tell each student which to tick (the live view's Chair column "
           "shows who is where).")
    yield "- 35 min: play. Students answer the reflection questions as they meet them; the saves record the chair."
    yield "- 5 min: each student writes three lines: where they were at five o'clock, and what they decided there."
    yield ""
    yield "**Lesson 2 (45 minutes): the joint debrief.**"
    yield ""
    yield ("- 10 min: `tauride report CLASS_FOLDER --html report.html` gives, hour by hour, what really happened "
           "beside what each half decided; project it.")
    yield "- 10 min: pairs, one from each half, tell each other their five o'clock."
    yield "- 20 min: the questions below, whole class."
    yield "- 5 min: each student writes how the other chair changed their reading of their own."
    yield ""
    yield "Debrief questions:"
    yield ""
    for i, q in enumerate(QUESTIONS, 1):
        yield f"{i}. {q}"
    yield ""
    if story.timeline:
        yield "The shared timeline (what really happened, on the clock both chairs share):"
        yield ""
        yield "| Time | What happened |"
        yield "|---|---|"
        for t in story.timeline:
            yield f"| {format_clock(t.time)} | {t.title} |"
        yield ""
