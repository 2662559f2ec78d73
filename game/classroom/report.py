"""A class's playthroughs, added up: how the class chose, how it ended, where it left history.

Reads every save under the folders given (a class folder as `tauride serve`
writes it: ROOT/<class>/<student>/*.json), replays each through the story
(so a report never counts a step the story would not allow), and sums them.
Files that are unreadable, damaged, or saves of another story are listed
with the reason and skipped: one broken file must not cost a teacher the
report on the other twenty-nine.

A student's folder usually holds the autosave and a few named saves of the
same game at earlier moments. Those are one playthrough, not several: a
save whose choices are the start of another save's choices (from the same
beginning, in the same folder) is left out, and counted as `superseded`.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from ..exit_question import answered
from ..saves import SaveError
from ..story.model import Scene, Story
from .guide import hours
from .playthrough import Playthrough, load_playthrough

SKIP_DIRS = {".git", "__pycache__", "node_modules"}


@dataclass(frozen=True)
class Skipped:
    """A file that could not be counted, and why."""

    path: Path
    reason: str


@dataclass(frozen=True)
class Student:
    """One counted playthrough and the name the teacher knows it by."""

    name: str
    playthrough: Playthrough


@dataclass(frozen=True)
class EndingRow:
    """An ending as students read it (its title), how many reached it, and whether it is history's."""

    title: str
    count: int
    historical: bool


@dataclass
class Point:
    """One decision point (a scene whose choices include what really happened), across the class."""

    scene: Scene
    counts: Counter[str] = field(default_factory=Counter)
    """Choice id -> how many times the class took it here (a student who came back counts again)."""
    reached: set[str] = field(default_factory=set)
    """Students who made a choice here."""
    left: set[str] = field(default_factory=set)
    """Students who left history here (a historical choice was on offer; they took another)."""
    first_left: set[str] = field(default_factory=set)
    """Students for whom this was the first place they left history."""
    texts: dict[str, str] = field(default_factory=dict)
    """Choice id -> its text as a student saw it (texts may hold expressions)."""

    def rows(self) -> list[tuple[str, int, bool]]:
        """(choice text, times taken, historical) per choice; choices worded alike (split by condition) count as one."""
        merged: dict[str, list[Any]] = {}
        for c in self.scene.choices:
            row = merged.setdefault(c.text_source, [self.text(c.id), 0, False])
            row[1] += self.counts.get(c.id, 0)
            row[2] = row[2] or c.historical
        return [(label, n, hist) for label, n, hist in merged.values()]

    def text(self, choice_id: str) -> str:
        c = self.scene.choice(choice_id)
        return self.texts.get(choice_id) or (c.text_source if c else choice_id)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def historical_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.scene.choices if c.historical)


@dataclass
class ClassReport:
    story: Story
    students: list[Student]
    skipped: list[Skipped]
    superseded: int = 0
    """Saves left out as earlier moments of a playthrough that was counted."""
    files: int = 0

    # ------------------------------------------------------------ decisions
    @property
    def points(self) -> list[Point]:
        """Every decision point any student reached, in story order."""
        by_scene: dict[str, Point] = {}
        for st in self.students:
            departed = st.playthrough.first_departure
            for step in st.playthrough.steps:
                if step.row is None:  # history records nothing here: not a decision point
                    continue
                p = by_scene.setdefault(step.scene.id, Point(step.scene))
                p.counts[step.choice_id] += 1
                for view in step.offered:
                    p.texts.setdefault(view.id, view.text)
                p.reached.add(st.name)
                if step.left_history:
                    p.left.add(st.name)
                    if step is departed:
                        p.first_left.add(st.name)
        order = {s.id: i for i, s in enumerate(scene for info in hours(self.story) for scene in info.scenes)}
        return sorted(by_scene.values(), key=lambda p: order.get(p.scene.id, len(order)))

    def departures(self) -> list[Point]:
        """Decision points where students left history, most first-departures first."""
        pts = [p for p in self.points if p.left]
        return sorted(pts, key=lambda p: (-len(p.first_left), -len(p.left), p.scene.title))

    def reflections(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """Each reflection question asked, with every (student, answer) typed to it, in story order."""
        by_question: dict[str, list[tuple[str, str]]] = {}
        for st in self.students:
            for step in st.playthrough.steps:
                if step.answer and step.reflect:
                    by_question.setdefault(step.reflect, []).append((st.name, step.answer))
        for st in self.students:  # the exit question last, as it was asked last
            got = answered(st.playthrough.meta)
            if got is not None and got[1] is not None:
                by_question.setdefault(f"Exit question: {got[0]}", []).append((st.name, got[1]))
        return list(by_question.items())

    # ------------------------------------------------------------ endings
    @property
    def endings(self) -> list[tuple[Scene, int]]:
        """Every ending of the story with how many students reached it, reached ones first."""
        c = Counter(st.playthrough.scene.id for st in self.students if st.playthrough.finished)
        all_endings = self.story.endings
        return sorted(((e, c.get(e.id, 0)) for e in all_endings), key=lambda x: -x[1])

    @property
    def ending_rows(self) -> list[EndingRow]:
        """The endings as the class read them, most reached first: endings with the same title (one outcome
        reached another way, or at another hour, as two of July Days' endings are) are one row, so a
        teacher never reads the same ending twice with two counts. The tables and charts show these."""
        return _by_title((scene.ending.title if scene.ending else scene.title, bool(scene.ending and scene.ending.historical), n)
                         for scene, n in self.endings)

    @property
    def unfinished_rows(self) -> list[EndingRow]:
        """Where the unfinished playthroughs stand, by the title a student sees there (as `ending_rows`)."""
        return _by_title((scene.title, False, n) for scene, n in self.unfinished)

    @property
    def unfinished(self) -> list[tuple[Scene, int]]:
        """Where the unfinished playthroughs stand, most common first."""
        c = Counter(st.playthrough.scene.id for st in self.students if not st.playthrough.finished)
        return [(self.story.scenes[sid], n) for sid, n in c.most_common()]

    # ------------------------------------------------------------ time
    def steps_summary(self) -> Summary | None:
        return summarise([len(s.playthrough.steps) for s in self.students])

    def story_minutes_summary(self) -> Summary | None:
        return summarise([s.playthrough.story_minutes for s in self.students])

    def active_minutes_summary(self) -> Summary | None:
        return summarise([s.playthrough.active_seconds / 60 for s in self.students
                          if s.playthrough.active_seconds is not None])

    def wall_minutes_summary(self) -> Summary | None:
        return summarise([s.playthrough.wall_seconds / 60 for s in self.students
                          if s.playthrough.wall_seconds is not None])


def _by_title(counts: Iterable[tuple[str, bool, int]]) -> list[EndingRow]:
    """Counts of places that read alike (same title, same history mark) added up, most first, ties in order."""
    rows: dict[tuple[str, bool], int] = {}
    for title, historical, n in counts:
        rows[title, historical] = rows.get((title, historical), 0) + n
    return sorted((EndingRow(title, n, historical) for (title, historical), n in rows.items()), key=lambda row: -row.count)


@dataclass(frozen=True)
class Summary:
    count: int
    low: float
    median: float
    high: float


def summarise(values: list[float] | list[int]) -> Summary | None:
    if not values:
        return None
    return Summary(len(values), min(values), statistics.median(values), max(values))


def find_saves(roots: Iterable[str | Path]) -> tuple[list[Path], list[Skipped]]:
    """Every `*.json` under the roots (recursively), and roots that do not exist."""
    files: list[Path] = []
    missing: list[Skipped] = []
    for root in map(Path, roots):
        if root.is_file():
            files.append(root)
        elif root.is_dir():
            for path in sorted(root.rglob("*.json")):
                rel = path.relative_to(root).parts
                if any(part in SKIP_DIRS or part.startswith(".") for part in rel):
                    continue  # hidden files include a save being written right now (.autosave.json.XXXX.tmp)
                if path.is_file():
                    files.append(path)
        else:
            missing.append(Skipped(root, "no such file or folder"))
    return list(dict.fromkeys(files)), missing


def student_name(pt: Playthrough, path: Path, roots: list[Path]) -> str:
    """The name the student typed, else the save's folder under the class folder, else the file name."""
    if pt.student:
        return pt.student if not pt.class_name else f"{pt.student} ({pt.class_name})"
    for root in roots:
        try:
            rel = path.relative_to(root)
        except ValueError:
            continue
        if len(rel.parts) > 1:
            return "/".join(rel.parts[:-1])
    return path.stem


def build(story: Story, folders: Iterable[str | Path]) -> ClassReport:
    roots = [Path(r) for r in folders]
    files, skipped = find_saves(roots)
    return build_from(story, roots, files, skipped)


def build_from(story: Story, roots: list[Path], files: list[Path], skipped: list[Skipped]) -> ClassReport:
    """The report over save files already found (the joint debrief hands each chair its own)."""
    loaded: list[tuple[Path, Playthrough]] = []
    for path in files:
        try:
            loaded.append((path, load_playthrough(story, path)))
        except SaveError as exc:
            reason = str(exc)
            prefix = f"{path}: "
            skipped.append(Skipped(path, reason[len(prefix):] if reason.startswith(prefix) else reason))
    kept, superseded = _drop_earlier_moments(loaded)
    students: list[Student] = []
    names: Counter[str] = Counter()
    for path, pt in kept:
        name = student_name(pt, path, roots)
        names[name] += 1
        if names[name] > 1:  # two separate games by one student: tell them apart
            name = f"{name} #{names[name]}"
        students.append(Student(name, pt))
    students.sort(key=lambda s: s.name.lower())
    return ClassReport(story, students, skipped, superseded, len(files))


def _drop_earlier_moments(loaded: list[tuple[Path, Playthrough]]) -> tuple[list[tuple[Path, Playthrough]], int]:
    def key(pt: Playthrough) -> tuple[tuple[str, str], ...]:
        return tuple((e.scene, e.choice) for e in pt.state.log)

    kept = []
    dropped = 0
    for path, pt in loaded:
        mine = key(pt)
        earlier = False
        for other_path, other in loaded:
            if other is pt or other_path.parent != path.parent or other.state.origin != pt.state.origin:
                continue
            theirs = key(other)
            if len(theirs) >= len(mine) and theirs[: len(mine)] == mine:
                # identical games: keep one (the first in file order)
                if len(theirs) > len(mine) or str(other_path) < str(path):
                    earlier = True
                    break
        if earlier:
            dropped += 1
        else:
            kept.append((path, pt))
    return kept, dropped
