"""The class report as CSV for a gradebook or a spreadsheet: one row per student, and the decisions.

Two files, because a spreadsheet holds one table per file: FILE has one row
per student (name, class, ending, choices made, choices as history,
reflections answered, active minutes); FILE's sibling `<stem>-decisions.csv`
has one row per option at each decision point, with how many took it and
who, and the most divided decisions flagged. Built from the same
`ClassReport` the terminal and HTML reports use.

A cell that a spreadsheet would read as a formula (a student's name or
answer starting with `=`, `+`, `-`, `@`) is written with a leading `'`, so
opening the file never runs anything.
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

from ..exit_question import answered
from .report import ClassReport

STUDENT_COLUMNS = ["student", "class", "ending", "finished", "choices made", "choices as history",
                   "decision points", "reflections answered", "active minutes", "real minutes", "exit question", "exit answer"]
DECISION_COLUMNS = ["decision", "clock", "option", "as history", "taken", "share", "students", "most divided"]
DIVIDED = 3
"""How many decisions are flagged as the most divided."""


def cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _table(header: list[str], rows: list[list[object]]) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(header)
    for row in rows:
        w.writerow([cell(v) for v in row])
    return out.getvalue()


def students_csv(r: ClassReport) -> str:
    rows: list[list[object]] = []
    for st in r.students:
        pt = st.playthrough
        active, wall = pt.active_seconds, pt.wall_seconds
        rows.append([
            pt.student or st.name, pt.class_name or "",
            pt.ending.title if pt.ending else f"(at {pt.scene.title})", "yes" if pt.finished else "no",
            len(pt.steps), pt.debrief.followed, len(pt.debrief.rows),
            sum(1 for s in pt.steps if s.answer), "" if active is None else round(active / 60),
            "" if wall is None else round(wall / 60), *(answered(pt.meta) or ("", "")),
        ])
    return _table(STUDENT_COLUMNS, rows)


def division(counts: list[int]) -> float:
    """How evenly a decision split, 0 (all alike) to 1 (every option equally): normalised entropy."""
    total = sum(counts)
    taken = [n for n in counts if n]
    if total == 0 or len(counts) < 2:
        return 0.0
    h = -sum(n / total * math.log(n / total) for n in taken)
    return h / math.log(len(counts))


def decisions_csv(r: ClassReport) -> str:
    names: dict[tuple[str, str], list[str]] = {}
    for st in r.students:
        for step in st.playthrough.steps:
            if step.row is not None:
                names.setdefault((step.scene.id, step.choice_id), []).append(st.playthrough.student or st.name)
    points = r.points
    split = {p.scene.id: division([n for _, n, _ in p.rows()]) for p in points if len(p.reached) >= 2}
    flagged = {sid for sid, d in sorted(split.items(), key=lambda x: -x[1])[:DIVIDED] if d > 0}
    rows: list[list[object]] = []
    for p in points:
        clock = p.scene.time
        for c in p.scene.choices:
            n = p.counts.get(c.id, 0)
            rows.append([p.scene.title, "" if clock is None else f"{clock // 60:02d}:{clock % 60:02d}", p.text(c.id),
                         "yes" if c.historical else "", n, f"{n / p.total:.0%}" if p.total else "",
                         "; ".join(sorted(names.get((p.scene.id, c.id), []), key=str.lower)),
                         "yes" if p.scene.id in flagged else ""])
    return _table(DECISION_COLUMNS, rows)


def decisions_path(path: Path) -> Path:
    return path.with_name(f"{path.stem}-decisions{path.suffix or '.csv'}")
