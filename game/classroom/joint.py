"""The joint debrief: a class split between the chairs of one story, brought together hour by hour.

`tauride report` over a class folder of a story with several chairs (see
docs/authoring.md, "Chairs") hands each save to the chair it was played in
(by the story id the save records), builds each chair's class report as
for a one-chair story, and sets the halves side by side: for every hour of
the shared clock, what really happened (the story's one timeline) and what
each half of the class decided at the decision points of that hour.

It takes two halves: when every playthrough in the folders is of one chair
(a class that has not split, or a folder of one half), `JointReport.alone`
is that chair's own report, and the teacher gets it and nothing else.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from ..saves import SaveError, read_file
from ..story.model import Story, TimelineEntry
from .report import ClassReport, Skipped, build_from, find_saves


@dataclass(frozen=True)
class Decided:
    """One choice taken at one decision point by part of a class."""

    scene: str
    choice: str
    count: int
    historical: bool


@dataclass(frozen=True)
class HourRow:
    """One hour of the shared clock: what happened, and what each chair's students decided in it."""

    start: int
    """Story minutes at the top of the hour."""
    happened: tuple[TimelineEntry, ...]
    decided: tuple[tuple[Decided, ...], ...]
    """Per chair, in the order of `JointReport.chairs`."""


@dataclass
class JointReport:
    story: Story
    """The folder's own chair: its title names the report, its timeline is every chair's."""
    chairs: list[ClassReport]
    skipped: list[Skipped]
    """Files no chair could take: unreadable, or saves of another story (each chair lists its own besides)."""
    files: int = 0
    """Save files found in the folders, counted or not."""

    def alone(self) -> ClassReport | None:
        """The one chair's report when the class played only that chair (or none: the folder's own); else None.

        With one half there is nothing to set beside it, and the other chair's empty report would only
        puzzle a teacher; so the lone chair's report stands by itself, counting every file found and
        listing every file skipped, whichever chair it was meant for.
        """
        played = [r for r in self.chairs if r.students]
        if len(played) > 1:
            return None
        one = played[0] if played else self.chairs[0]
        skipped = self.skipped + [s for r in self.chairs for s in r.skipped]
        return ClassReport(one.story, one.students, skipped, one.superseded, self.files)

    def rows(self) -> list[HourRow]:
        """Every hour in which something happened or somebody decided, in clock order."""
        per_chair: list[dict[int, Counter[tuple[str, str, bool]]]] = []
        for report in self.chairs:
            by_hour: dict[int, Counter[tuple[str, str, bool]]] = {}
            for st in report.students:
                for step in st.playthrough.steps:
                    if step.row is None or step.choice is None:
                        continue  # not a decision point: history records nothing here
                    hour = step.clock // 60 * 60
                    key = (step.scene.title, step.choice_text, step.choice.historical)
                    by_hour.setdefault(hour, Counter())[key] += 1
            per_chair.append(by_hour)
        happened: dict[int, list[TimelineEntry]] = {}
        for t in self.story.timeline:
            happened.setdefault(t.time // 60 * 60, []).append(t)
        hours = sorted(set(happened).union(*(set(h) for h in per_chair)))
        return [HourRow(h, tuple(happened.get(h, ())), tuple(
            tuple(Decided(scene, choice, n, hist) for (scene, choice, hist), n in c.get(h, Counter()).most_common())
            for c in per_chair)) for h in hours]


def build_joint(stories: list[Story], folders: Iterable[str | Path]) -> JointReport:
    """Each save goes to the chair whose story id it records; one that fits no chair is listed as skipped."""
    roots = [Path(r) for r in folders]
    files, skipped = find_saves(roots)
    by_id = {s.id: s for s in stories}
    mine: dict[str, list[Path]] = {s.id: [] for s in stories}
    for path in files:
        try:
            data = read_file(path)
        except SaveError as exc:
            skipped.append(Skipped(path, str(exc).removeprefix(f"{path}: ")))
            continue
        ref = data.get("story")
        sid = ref.get("id") if isinstance(ref, dict) else None
        if not isinstance(sid, str) or sid not in by_id:
            names = ", ".join(f"'{s.id}'" for s in stories)
            skipped.append(Skipped(path, f"the save belongs to the story '{sid}', which is none of this story's "
                                         f"chairs ({names})"))
            continue
        mine[sid].append(path)
    reports = [build_from(s, roots, mine[s.id], []) for s in stories]
    return JointReport(stories[0], reports, skipped, len(files))
