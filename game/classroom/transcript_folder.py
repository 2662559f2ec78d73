"""`tauride transcript DIR -o OUTDIR/`: every student's transcript at once, and an index page.

The folder is read as the class report reads it (`report.build`): each
student's playthrough once (earlier named saves of the same game left out),
files that cannot be read listed on the index with the reason. Each
transcript is the same document `tauride transcript SAVE` writes; the
index links them, one line per student with their ending and choices.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from ..output import OutputError, write_shared
from ..saves import safe_folder_name
from ..story.model import Story
from .page import esc, page
from .report import ClassReport, build
from .transcript import to_html, to_markdown


def file_names(report: ClassReport, ext: str) -> list[str]:
    """One file name per student, from their name, never two alike."""
    used: set[str] = set()
    out = []
    for st in report.students:
        try:
            base = safe_folder_name(st.name)
        except ValueError:
            base = "student"
        name, n = f"{base}.{ext}", 1
        while name.casefold() in used or name.casefold() == f"index.{ext}":
            n += 1
            name = f"{base} {n}.{ext}"
        used.add(name.casefold())
        out.append(name)
    return out


def index_html(report: ClassReport, names: list[str]) -> str:
    rows = []
    for st, name in zip(report.students, names):
        pt = st.playthrough
        end = esc(pt.ending.title) if pt.ending else f"<em>not finished</em> (at {esc(pt.scene.title)})"
        answers = sum(1 for s in pt.steps if s.answer)
        # A file name is a path, not a URL: "Zoe #1" or "Yan 100%" opened the wrong file (or none) unquoted.
        rows.append(f'<tr><td><a href="{esc(quote(name))}">{esc(st.name)}</a></td><td>{end}</td>'
                    f'<td class="num">{len(pt.steps)}</td><td class="num">{pt.debrief.followed}/{len(pt.debrief.rows)}'
                    f'</td><td class="num">{answers}</td></tr>')
    skipped = ""
    if report.skipped:
        items = "\n".join(f"<li>{esc(s.path.name)}: {esc(s.reason)}</li>" for s in report.skipped)
        skipped = f"<h2>Files not read ({len(report.skipped)})</h2>\n<ul>\n{items}\n</ul>"
    body = (f"<h1>{esc(report.story.title)}: transcripts</h1>\n"
            f'<p class="sub">{len(report.students)} students. Each name opens that student\'s transcript.</p>\n'
            "<table><thead><tr><th>Student</th><th>Ending</th><th>Choices</th><th>As history</th>"
            "<th>Reflections</th></tr></thead><tbody>\n" + "\n".join(rows) + "\n</tbody></table>\n" + skipped)
    return page(f"Transcripts · {report.story.title}", body)


def write_folder(story: Story, folder: Path, out: Path, fmt: str) -> tuple[ClassReport, list[Path]]:
    """Write every transcript and the index into `out` (made if missing); the report and the files written."""
    report = build(story, [folder])
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{out}: could not make the folder ({exc.strerror or exc})") from None
    ext = "html" if fmt == "html" else "md"
    written = []
    for st, name in zip(report.students, file_names(report, ext)):
        text = to_html(st.playthrough) if fmt == "html" else to_markdown(st.playthrough)
        path = out / name
        write_shared(path, text)
        written.append(path)
    if fmt == "html":
        index = out / "index.html"
        write_shared(index, index_html(report, file_names(report, ext)))
        written.append(index)
    return report, written
