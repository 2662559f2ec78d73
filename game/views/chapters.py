"""Chapters: lesson-sized starts, with the state a historical path has there.

A chapter names the scene it starts at. Its starting state is found by
playing the story's historical path (`historical_path`, the timeline's and
the debrief's definition) through the engine from the story's start with the
game's seed, and stopping on entering that scene: variables, clock, visits
and the log are what a class that had followed history would have. Every
shell (the title screen, `tauride play --chapter`, `tauride class
--chapter`) calls `chapter_state`; the guide calls `chapter_plans` for each
chapter's length, read aloud along the same path.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import engine
from ..engine import State
from ..errors import TaurideError
from ..story.model import Chapter, Story, format_clock
from .reading import count_words, read_aloud_minutes
from .timeline import historical_path


class ChapterError(TaurideError):
    """The chapter asked for does not exist, or the historical path never reaches its scene."""


@dataclass(frozen=True)
class ChapterPlan:
    """A chapter as a teacher plans a lesson with it."""

    chapter: Chapter
    clock: int
    """The story clock as the chapter starts."""
    until: int
    """The story clock where the next chapter starts (or the ending's)."""
    scenes: int
    """Scenes read along the historical path before the next chapter."""
    decisions: int
    """Of those, scenes where the class votes on a choice."""
    words: int
    """Words read aloud on the way: the scenes' text as it renders, the choices offered, the ending's epilogue."""

    @property
    def minutes(self) -> int:
        """Minutes of reading aloud at `READ_ALOUD_WPM` (votes and discussion come on top)."""
        return read_aloud_minutes(self.words)

    @property
    def span(self) -> str:
        return f"{format_clock(self.clock)}–{format_clock(self.until)}"


def _path_states(story: Story, seed: int) -> list[State]:
    """The state on entering each scene of the historical path, in order."""
    rows, _ = historical_path(story, seed=seed)
    state = engine.new_game(story, seed=seed)
    states = []
    for row in rows:
        states.append(state)
        if row.choice is not None:
            # The route is the chapter's, not the player's: marked, so no view counts it.
            state = engine.choose(story, state, row.choice.id, by_chapter=True)
    return states


def chapter(story: Story, number: int) -> Chapter:
    """Chapter `number` (from 1), or a ChapterError that lists the chapters there are."""
    if not story.chapters:
        raise ChapterError(f"the story '{story.title}' declares no chapters")
    if not 1 <= number <= len(story.chapters):
        listing = "; ".join(f"{c.number}. {c.title}" for c in story.chapters)
        raise ChapterError(f"there is no chapter {number}: choose 1 to {len(story.chapters)} ({listing})")
    return story.chapters[number - 1]


def chapter_state(story: Story, number: int, seed: int = 0) -> State:
    """A new game at chapter `number`, in the state the historical path reaches there."""
    wanted = chapter(story, number)
    for state in _path_states(story, seed):
        if state.scene == wanted.start:
            return state
    raise ChapterError(f"chapter {number} ('{wanted.title}') starts at scene '{wanted.start}', "
                       "which the historical path does not pass through")


def words_read(story: Story, state: State) -> tuple[int, int]:
    """The words read out at one step of a path, and how many choices are offered there.

    What a class reads aloud: the scene's text as shown (its `{…}` filled in, one branch of each `{if}`),
    then the choices offered, or the ending's epilogue. The one count for the chapters' minutes and the
    guide's historical route, so the two figures agree.
    """
    scene = story.scenes[state.scene]
    words = count_words(engine.scene_text(story, state))
    if scene.ending is not None:
        return words + count_words(scene.ending.epilogue), 0
    offered = engine.choices(story, state)
    return words + sum(count_words(c.text) for c in offered), len(offered)


def historical_path_words(story: Story, seed: int = 0) -> int:
    """The words read out along the whole historical path (`words_read` at each of its scenes)."""
    return sum(words_read(story, state)[0] for state in _path_states(story, seed))


def chapter_plans(story: Story, seed: int = 0) -> list[ChapterPlan]:
    """Each chapter's span, scenes, decisions and read-aloud words, along the historical path.

    Raises ChapterError if a chapter's scene is not on the path, or the
    chapters are not listed in the order the path meets them.
    """
    states = _path_states(story, seed)
    index = {s.scene: i for i, s in reversed(list(enumerate(states)))}
    starts = []
    for c in story.chapters:
        if c.start not in index:
            raise ChapterError(f"chapter {c.number} ('{c.title}') starts at scene '{c.start}', "
                               "which the historical path does not pass through")
        starts.append(index[c.start])
    if starts != sorted(starts):
        raise ChapterError("the chapters are not listed in the order the historical path meets them")
    plans = []
    for n, c in enumerate(story.chapters):
        first, end = starts[n], (starts[n + 1] if n + 1 < len(starts) else len(states))
        words = scenes = decisions = 0
        for state in states[first:end]:
            scenes += 1
            read, offered = words_read(story, state)
            words += read
            decisions += offered > 1
        until = states[end].clock if end < len(states) else states[-1].clock
        plans.append(ChapterPlan(c, states[first].clock, until, scenes, decisions, words))
    return plans
