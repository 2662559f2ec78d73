"""The joint debrief: a class split between the chairs of one story, brought together hour by hour.

`tauride report` over a class folder of a story with several chairs (see
docs/authoring.md, "Chairs") hands each save to the chair it was played in
(by the story id the save records), builds each chair's class report as
for a one-chair story, and sets the halves side by side: for every hour of
the shared clock, what really happened (the story's one timeline) and what
each half of the class decided at the decision points of that hour.
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
    return JointReport(stories[0], reports, skipped)
