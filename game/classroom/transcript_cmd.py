"""`tauride transcript SAVE`: a playthrough as Markdown or one self-contained HTML page."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..output import emit
from ..words import count
from .common import CommandError, add_scenes_option, find_save, load


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("save", metavar="SAVE",
                        help="a save file (or a slot name in the default save folder); or a folder of saves, with "
                             "-o OUTDIR/: every student's transcript, and an index page")
    parser.add_argument("--student", metavar="NAME",
                        help="with a class's folder of saves (saves/9B): that student's game, by the name they "
                             "sign in with (their folder is named by a hash of it)")
    parser.add_argument("--format", choices=("md", "html"), default=None,
                        help="md (default) or html; guessed from -o FILE's extension when not given")
    parser.add_argument("-o", "--output", metavar="FILE", help="write here instead of standard output")
    parser.add_argument("--summary", action="store_true",
                        help="HTML only: the summary for printing — choices, reflections, the ending — on at most "
                             "two A4 pages")
    add_scenes_option(parser)


def run(args: argparse.Namespace) -> int:
    from ..saves import SaveError
    from .playthrough import load_playthrough
    from .transcript import to_html, to_markdown

    fmt = args.format or ("html" if (args.output or "").lower().endswith((".html", ".htm")) else "md")
    if Path(args.save).is_dir() and args.student is None:
        return run_folder(args, args.format or "html")
    try:
        path = student_save(Path(args.save), args.student) if args.student is not None else find_save(args.save)
        from ..saves import save_chair

        story = load(args.scenes, args.chair or save_chair(path))  # the chair the save was played in
        pt = load_playthrough(story, path)
        if args.summary:
            from .transcript_summary import to_summary_html

            if fmt != "html":
                raise CommandError("--summary is a page for printing: use it with --format html or -o FILE.html")
            emit(to_summary_html(pt), args.output)
        else:
            emit(to_html(pt) if fmt == "html" else to_markdown(pt), args.output)
    except (CommandError, SaveError) as err:
        print(f"tauride: {err}", file=sys.stderr)
        return 1
    return 0


def student_save(class_dir: Path, name: str) -> Path:
    """The game a student of `class_dir` is playing or last played: their latest autosave (of any chair).

    A served student's folder is a readable prefix and a hash of their name (`students.student_folder`), so a
    teacher cannot type its path; the name they sign in with finds it, in any case, as the server does."""
    from .students import BadName, student, student_folder

    if not class_dir.is_dir():
        raise CommandError(f"--student needs a class's folder of saves (such as saves/9B); {class_dir} is not one")
    try:
        who = student(name)
    except BadName as err:
        raise CommandError(f"--student: {err}") from None
    folder = student_folder(class_dir, who)
    autosaves = sorted(folder.glob("autosave*.json"), key=lambda p: p.stat().st_mtime) if folder.is_dir() else []
    if not autosaves:
        raise CommandError(f"{who.name} has no game in {class_dir}" + ("" if folder.is_dir() else
                           " (nobody of that name has signed in there)"))
    return autosaves[-1]


def run_folder(args: argparse.Namespace, fmt: str) -> int:
    """A folder of saves: one transcript per student into -o OUTDIR, and (HTML) an index page."""
    from ..saves import SaveError
    from .transcript_folder import write_folder

    if not args.output or args.output == "-":
        print("tauride: a folder of saves makes one transcript per student: give the folder to write them to, "
              "as in -o transcripts/", file=sys.stderr)
        return 2
    out = Path(args.output)
    if out.exists() and not out.is_dir():
        print(f"tauride: -o {out}: that is a file; give a folder for the transcripts", file=sys.stderr)
        return 2
    try:
        story = load(args.scenes)
        report, written = write_folder(story, Path(args.save), out, fmt)
    except (CommandError, SaveError) as err:
        print(f"tauride: {err}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"tauride: {out}: could not write ({exc.strerror or exc})", file=sys.stderr)
        return 1
    for s in report.skipped:
        print(f"skipped {s.path}: {s.reason}", file=sys.stderr)
    print(f"wrote {count(len(report.students), 'transcript')} to {out}"
          + (f" (open {out / 'index.html'})" if fmt == "html" else ""), file=sys.stderr)
    return 0 if report.students else 1
