"""`tauride report DIR...`: a class's saves added up, in the terminal or as one HTML page."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from ..output import emit
from .common import CommandError, add_scenes_option, load

if TYPE_CHECKING:
    from ..story import Story
    from ..story.model import Chair
    from .joint import JointReport
    from .report import ClassReport, Skipped


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dirs", metavar="DIR", nargs="+", help="folders of saves (searched recursively) or save files")
    parser.add_argument("--html", metavar="FILE", help="also write the report as one self-contained HTML page")
    parser.add_argument("--csv", metavar="FILE",
                        help="also write CSV for a gradebook: FILE has one row per student, FILE's sibling "
                             "NAME-decisions.csv the counts and names behind every option at each decision")
    add_scenes_option(parser)


def _by_chair(story: Story, args: argparse.Namespace) -> JointReport:
    """Each save handed to the chair it was played in (`JointReport.alone`: the lone chair's report when the
    class played one only)."""
    from .joint import build_joint

    return build_joint([story, *(chair_story for _, chair_story in _other_chairs(story, args))], args.dirs)


def _other_chairs(story: Story, args: argparse.Namespace) -> list[tuple[Chair, Story]]:
    """The folder's chairs other than `story`'s, each with its own story (each chair is a story of its own id)."""
    return [(c, load(args.scenes, c.id)) for c in story.chairs if c.id != story.chair]


def _whose_chair(story: Story, args: argparse.Namespace, skipped: list[Skipped]) -> list[Skipped]:
    """With --chair, a save played in another chair of the folder is skipped as that chair's, not as
    "another story's" (each chair is a story of its own id): the teacher learns where it is counted."""
    from ..saves import save_story_id
    from .report import Skipped

    others = {chair_story.id: chair for chair, chair_story in _other_chairs(story, args)}
    out = []
    for s in skipped:
        sid = save_story_id(s.path)
        chair = others.get(sid) if sid is not None else None
        out.append(s if chair is None else Skipped(
            s.path, f"played in the chair {chair.id} ({chair.title}): this report is the chair {story.chair}'s; "
                    "without --chair the report counts every chair"))
    return out


def _joint(joint: JointReport, args: argparse.Namespace) -> int:
    """Every chair's students side by side, hour by hour, then each chair's own report."""
    from rich.console import Console

    from .report_render import joint_to_html, joint_to_rich, to_rich

    if args.csv:
        raise CommandError("--csv makes one chair's gradebook: add --chair NAME (one of "
                           + ", ".join(c.id for c in joint.story.chairs) + ")")
    if args.html:
        emit(joint_to_html(joint), args.html)
    console = Console()
    for part in joint_to_rich(joint):
        console.print(part)
    for report in joint.chairs:
        for part in to_rich(report):
            console.print(part)
    return 0 if any(r.students for r in joint.chairs) or not joint.skipped else 1


def _which_chair(report: ClassReport, args: argparse.Namespace) -> str:
    """The line that tells a teacher whose report (and gradebook) they got without naming a chair."""
    from .report_render import who_plays

    made = "this report is"
    if args.csv:
        made = f"this report and {'the CSV' if args.csv == '-' else args.csv} are"
    return f"Every playthrough here is in the chair {report.story.chair} ({who_plays(report.story)}), so {made} that chair's."


def run(args: argparse.Namespace) -> int:
    from rich.console import Console

    from .report import build
    from .report_render import to_html, to_rich

    try:
        story = load(args.scenes, args.chair)
        note = None
        if story.chairs and args.chair is None:  # a story of several chairs: the joint debrief, if the class split
            joint = _by_chair(story, args)
            alone = joint.alone()
            if alone is None:
                return _joint(joint, args)
            report = alone
            note = _which_chair(report, args) if report.students else None
        else:
            report = build(story, args.dirs)
            if story.chairs and args.chair is not None:
                report.skipped = _whose_chair(story, args, report.skipped)
        # Files first: what a teacher asked for is written whatever happens to the terminal.
        if args.html:
            emit(to_html(report), args.html)
        if args.csv and args.csv != "-":
            _write_csv(report, args.csv)
        console = Console(markup=False, highlight=False)  # every part is a renderable; no text is read as markup
        if note:
            console.print(note, style="dim", soft_wrap=True)
        for part in to_rich(report):
            console.print(part)
        if args.csv == "-":
            _write_csv(report, args.csv)
    except CommandError as err:
        print(f"tauride: {err}", file=sys.stderr)
        return 1
    return 0 if report.students or not report.skipped else 1


def _write_csv(report: ClassReport, out: str) -> None:
    """The students' CSV to `out` ('-': standard output); beside a file, the decisions' CSV too."""
    from pathlib import Path

    from .report_csv import decisions_csv, decisions_path, students_csv

    emit(students_csv(report), out)
    if out != "-":
        emit(decisions_csv(report), str(decisions_path(Path(out))))
