"""The class report drawn two ways: Rich tables and bars for the terminal, one HTML page with SVG charts.

Both draw the same sections from the same `ClassReport`: the class at a
glance, each decision point (historical choice marked), the endings, where
students left history, how long they played, each student's line, and the
files that were skipped.
"""

from __future__ import annotations

from typing import Any, Callable

from ..story.model import Story, format_clock
from ..words import count
from .charts import Bar, bar_chart
from .page import esc, md_inline, page
from .report import ClassReport, Summary
from .transcript import duration


def decided(n: int) -> str:
    return f"{n} student{'' if n == 1 else 's'} decided here"


def _pct(n: int, total: int) -> str:
    return f"{round(100 * n / total)}%" if total else "–"


def _span(s: Summary | None, fmt: Callable[[float], str] = lambda v: f"{v:g}") -> str:
    if s is None:
        return "not recorded"
    if s.low == s.high:
        return fmt(s.median)
    return f"{fmt(s.median)} (from {fmt(s.low)} to {fmt(s.high)})"


def _mins(v: float) -> str:
    return duration(v)


def glance(r: ClassReport) -> list[tuple[str, str]]:
    n = len(r.students)
    finished = sum(1 for s in r.students if s.playthrough.finished)
    hist_end = sum(1 for s in r.students if s.playthrough.ending and s.playthrough.ending.historical)
    return [
        ("playthroughs", str(n)),
        ("finished", f"{finished} of {n}"),
        ("reached the historical ending", f"{hist_end} of {n}"),
        ("choices per playthrough (median)", _span(r.steps_summary(), lambda v: f"{v:g}")),
        ("story time played (median)", _span(r.story_minutes_summary(), _mins)),
        ("real time played (median)", _span(r.wall_minutes_summary(), _mins)),
        ("time on task, active (median)", _span(r.active_minutes_summary(), _mins)),
    ]


def student_rows(r: ClassReport) -> list[tuple[str, str, str, str, str, str, str]]:
    rows = []
    for st in r.students:
        pt = st.playthrough
        good, points = pt.debrief.followed, pt.debrief.rows
        wall = pt.wall_seconds
        rows.append((
            st.name,
            pt.ending.title if pt.ending else f"(at {pt.scene.title})",
            str(len(pt.steps)),
            f"{format_clock(pt.start_clock)}–{format_clock(pt.state.clock)}",
            (duration(wall / 60) if wall is not None else "–")
            + (f" ({duration(pt.active_seconds / 60)} active)" if pt.active_seconds is not None else ""),
            f"{good}/{len(points)}",
            pt.first_departure.scene.title if pt.first_departure else "never",
        ))
    return rows


# ------------------------------------------------------------------ terminal
def to_rich(r: ClassReport) -> list[Any]:
    """Renderables for a Rich console, in reading order."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    def plain(value: Any) -> Any:
        """Story and student text is never Rich markup: a name '[/]' or a quote's '[sic]' is shown as typed."""
        return Text(value) if isinstance(value, str) else value

    def row(table: Table, *cells: Any) -> None:
        table.add_row(*(plain(c) for c in cells))

    def titled(title: str, **kwargs: Any) -> Table:
        return Table(title=Text(title), **kwargs)

    out: list[Any] = []
    out.append(Text.assemble((f"{r.story.title}", "bold"), " — class report", style=""))
    out.append(Text(f"{count(len(r.students), 'playthrough')} from {count(r.files, 'file')}"
                    + (f" ({count(r.superseded, 'earlier save')} of the same games left out)" if r.superseded else "")
                    + (f"; {len(r.skipped)} skipped (listed at the end)" if r.skipped else ""), style="dim"))
    t = Table(box=box.SIMPLE, show_header=False)
    t.add_column(style="dim")
    t.add_column()
    for k, v in glance(r):
        row(t, k, v)
    out.append(t)
    if not r.students:
        out.append(Text("No playthroughs of this story were found.", style="bold"))

    def bar(n: int, top: int, hist: bool) -> Text:
        width = 24
        full = round(width * n / top) if top else 0
        return Text("█" * full + "·" * (width - full), style="green" if hist else "blue")

    for p in r.points:
        table = titled(f"{p.scene.title}", title_justify="left", title_style="bold", box=box.SIMPLE_HEAD,
                      caption=decided(len(p.reached)), caption_justify="left")
        table.add_column("choice")
        table.add_column("n", justify="right")
        table.add_column("", no_wrap=True)
        table.add_column("%", justify="right")
        table.add_column("")
        rows = p.rows()
        top = max((n for _, n, _ in rows), default=0)
        for label, n, hist in rows:
            row(table, label, str(n), bar(n, top, hist), _pct(n, p.total),
                          Text("✔ history", style="bold green") if hist else "")
        out.append(table)
    if r.students:
        t = titled("Endings", title_justify="left", title_style="bold", box=box.SIMPLE_HEAD)
        t.add_column("ending")
        t.add_column("n", justify="right")
        t.add_column("", no_wrap=True)
        t.add_column("")
        endings = r.ending_rows
        unfinished = r.unfinished_rows
        top = max([e.count for e in endings + unfinished] + [0])
        for e in endings:
            row(t, e.title, str(e.count), bar(e.count, top, e.historical),
                Text("✔ history", style="bold green") if e.historical else "")
        for u in unfinished:
            row(t, Text(f"not finished: at {u.title}", style="italic"), str(u.count), bar(u.count, top, False), "")
        out.append(t)
        deps = r.departures()
        t = titled("Where students left history", title_justify="left", title_style="bold", box=box.SIMPLE_HEAD)
        t.add_column("decision")
        t.add_column("first left here", justify="right")
        t.add_column("left here", justify="right")
        t.add_column("of", justify="right")
        for p in deps:
            row(t, p.scene.title, str(len(p.first_left)), str(len(p.left)), str(len(p.reached)))
        never = sum(1 for s in r.students if s.playthrough.first_departure is None)
        t.caption = f"{never} of {len(r.students)} never left history"
        t.caption_justify = "left"
        out.append(t)
        t = titled("Students", title_justify="left", title_style="bold", box=box.SIMPLE_HEAD)
        for col, just in (("student", "left"), ("ending", "left"), ("choices", "right"), ("story time", "left"),
                          ("real time", "right"), ("as history", "right"), ("first left history at", "left")):
            t.add_column(col, justify=just)  # type: ignore[arg-type]
        for cells in student_rows(r):
            row(t, *cells)
        out.append(t)
        for question, answers in r.reflections():
            t = titled(f"Reflection: {question}", title_justify="left", title_style="bold", box=box.SIMPLE_HEAD,
                      show_header=False)
            t.add_column(style="dim", no_wrap=True)
            t.add_column(overflow="fold")
            for name, answer in answers:
                row(t, name, answer)
            out.append(t)
    if r.skipped:
        t = titled(f"Skipped files ({len(r.skipped)})", title_justify="left", title_style="bold yellow",
                  box=box.SIMPLE_HEAD)
        t.add_column("file", overflow="fold")
        t.add_column("why", overflow="fold")
        for s in r.skipped:
            row(t, str(s.path), s.reason)
        out.append(t)
    return out


# ------------------------------------------------------------------ HTML
def to_html(r: ClassReport) -> str:
    return page(f"{r.story.title} — class report", html_body(r), wide=True)


def html_body(r: ClassReport) -> str:
    """The report's HTML without the page around it (the joint debrief puts one per chair on its page)."""
    n = len(r.students)
    out = [f"<h1>{esc(r.story.title)}</h1>",
           f'<p class="sub">Class report · {count(n, "playthrough")} from {count(r.files, "file")}'
           + (f" · {count(r.superseded, 'earlier save')} of the same games left out" if r.superseded else "")
           + (f' · <span class="skipped">{count(len(r.skipped), "file")} skipped</span>' if r.skipped else "") + "</p>"]
    out.append('<div class="stats">' + "".join(
        f'<div class="stat"><b>{esc(v)}</b><span>{esc(k)}</span></div>' for k, v in glance(r)[1:4]) + "</div>")
    if r.students:
        ends = [Bar(e.title, e.count, f"{e.count} · {_pct(e.count, n)}", historical=e.historical, faded=e.count == 0)
                for e in r.ending_rows]
        ends += [Bar(f"not finished: at {u.title}", u.count, f"{u.count} · {_pct(u.count, n)}", faded=True)
                 for u in r.unfinished_rows]
        out.append("<h2>Endings</h2>" + bar_chart(ends, title="How the playthroughs ended"))
        out.append("<h2>How the class chose</h2>")
        for p in r.points:
            bars = [Bar(label, n, f"{n} · {_pct(n, p.total)}", historical=hist) for label, n, hist in p.rows()]
            clock = f" · {format_clock(p.scene.time)}" if p.scene.time is not None else ""
            out.append(f"<h3>{esc(p.scene.title)}</h3><p class=\"sub\">{decided(len(p.reached))}{clock}</p>"
                       + bar_chart(bars, title=f"Choices at {p.scene.title}"))
        deps = r.departures()
        never = sum(1 for s in r.students if s.playthrough.first_departure is None)
        out.append("<h2>Where students left history</h2>")
        if deps:
            bars = [Bar(p.scene.title, len(p.first_left), f"{len(p.first_left)} first · {len(p.left)} in all, of {len(p.reached)}")
                    for p in deps]
            out.append(bar_chart(bars, title="Where students first left history"))
        out.append(f'<p class="sub">{never} of {n} never left history. “First” counts the decision where a student '
                   "first took a choice other than the historical one.</p>")
        out.append("<h2>How long they played</h2><table><tbody>" + "".join(
            f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in glance(r)[3:]) + "</tbody></table>")
        out.append("<h2>Students</h2><table><thead><tr><th>Student</th><th>Ending</th><th>Choices</th>"
                   "<th>Story time</th><th>Real time</th><th>As history</th><th>First left history at</th></tr></thead><tbody>")
        for row in student_rows(r):
            out.append("<tr>" + "".join(f'<td{" class=num" if i in (2, 4, 5) else ""}>{esc(c)}</td>'
                                        for i, c in enumerate(row)) + "</tr>")
        out.append("</tbody></table>")
        found = r.reflections()
        if found:
            out.append("<h2>Reflections</h2>")
            for question, answers in found:
                out.append(f'<h3>{esc(question)}</h3><table><tbody>' + "".join(
                    f'<tr><td style="width:25%">{esc(name)}</td><td class="answer-text">{esc(answer)}</td></tr>'
                    for name, answer in answers) + "</tbody></table>")
    else:
        out.append("<p><b>No playthroughs of this story were found.</b></p>")
    if r.skipped:
        out.append(f'<h2 class="skipped">Skipped files ({len(r.skipped)})</h2><table><thead><tr><th>File</th>'
                   "<th>Why</th></tr></thead><tbody>"
                   + "".join(f"<tr><td>{esc(s.path)}</td><td>{esc(s.reason)}</td></tr>" for s in r.skipped)
                   + "</tbody></table>")
    out.append(f"<footer>Made by Tauride from the saves; every playthrough was replayed through "
               f"“{md_inline(r.story.title)}” to count it.</footer>")
    return "\n".join(out)


# ---------------------------------------------------------------- the joint debrief (several chairs)
def _decided_lines(decided: tuple[Any, ...]) -> list[str]:
    return [f"{d.scene}: {d.choice} ×{d.count}{' (as in history)' if d.historical else ''}" for d in decided]


def who_plays(story: Story) -> str:
    """Who the player is in `story`'s chair ("A Kronstadt sailor"); the story's title if it names no chair."""
    return next((c.title for c in story.chairs if c.id == story.chair), story.title)


def chair_roll(j: Any) -> list[tuple[str, str, list[str]]]:
    """Who played which chair: (chair id, who the player is, the students' names, sorted). A student who
    played both chairs is in both."""
    return [(r.story.chair, who_plays(r.story), sorted({s.name for s in r.students}, key=str.lower)) for r in j.chairs]


def joint_to_rich(j: Any) -> list[Any]:
    """The hour-by-hour table of a class split between chairs, for a Rich console."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    out: list[Any] = [Text.assemble((j.story.title, "bold"), " — the joint debrief")]
    counts = ", ".join(f"{len(r.students)} in the chair {r.story.chair} ({r.story.title})" for r in j.chairs)
    out.append(Text(f"Hour by hour: what really happened, and what each half of the class decided. {counts}.",
                    style="dim"))
    t = Table(box=box.SIMPLE_HEAD, show_lines=True)
    t.add_column("Hour", style="bold", no_wrap=True)
    t.add_column("What really happened")
    for r in j.chairs:
        t.add_column(f"{r.story.chair}: decided")
    for row in j.rows():
        t.add_row(format_clock(row.start), "\n".join(f"{format_clock(e.time)} {e.title}" for e in row.happened),
                  *("\n".join(_decided_lines(d)) or "—" for d in row.decided))
    out.append(t)
    roll = Table(box=box.SIMPLE_HEAD, title="Each student's chair", title_justify="left", title_style="bold")
    roll.add_column("Chair", no_wrap=True)
    roll.add_column("Students")
    for chair, who, names in chair_roll(j):
        roll.add_row(Text(f"{chair} ({who})"), Text(", ".join(names) or "—"))
    out.append(roll)
    if j.skipped:
        out.append(Text(f"{len(j.skipped)} file(s) skipped:", style="bold red"))
        for s in j.skipped:
            out.append(Text(f"  {s.path}: {s.reason}"))
    return out


def joint_to_html(j: Any) -> str:
    """The joint debrief as one page: the hour-by-hour table, then each chair's own report."""
    heads = "".join(f"<th>{esc(r.story.chair)}: decided</th>" for r in j.chairs)
    rows = []
    for row in j.rows():
        cells = "".join("<td>" + "<br>".join(esc(x) for x in _decided_lines(d)) + "</td>" for d in row.decided)
        happened = "<br>".join(f"{esc(format_clock(e.time))} {esc(e.title)}" for e in row.happened)
        rows.append(f"<tr><th>{esc(format_clock(row.start))}</th><td>{happened}</td>{cells}</tr>")
    body = [f"<h1>{esc(j.story.title)} — the joint debrief</h1>",
            '<p class="sub">Hour by hour: what really happened, and what each half of the class decided.</p>',
            f"<table><thead><tr><th>Hour</th><th>What really happened</th>{heads}</tr></thead><tbody>"
            + "".join(rows) + "</tbody></table>",
            "<h2>Each student's chair</h2><table><thead><tr><th>Chair</th><th>Students</th></tr></thead><tbody>"
            + "".join(f"<tr><th>{esc(chair)} ({esc(who)})</th><td>{esc(', '.join(names) or '—')}</td></tr>"
                      for chair, who, names in chair_roll(j)) + "</tbody></table>"]
    if j.skipped:
        body.append(f'<h2 class="skipped">Skipped files ({len(j.skipped)})</h2><table><tbody>'
                    + "".join(f"<tr><td>{esc(s.path)}</td><td>{esc(s.reason)}</td></tr>" for s in j.skipped)
                    + "</tbody></table>")
    for r in j.chairs:
        body.append(f'<section class="chair"><h1>The chair {esc(r.story.chair)}: {esc(r.story.title)}</h1>'
                    + html_body(r) + "</section>")
    return page(f"{j.story.title} — the joint debrief", "\n".join(body), wide=True)
